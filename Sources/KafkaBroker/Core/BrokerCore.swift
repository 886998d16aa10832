import Foundation
import KafkaProtocol
import Logging
import NIOCore

/// The broker's state and the single place it changes: topics and partitions, the group
/// coordinator and the transaction coordinator. Request handlers (`Handlers/`) are
/// extensions of this actor, one file per API.
///
/// The actor runs on an event loop thread of its own (`executorLoop`), not on Swift
/// concurrency's shared cooperative pool: its file reads, writes and fsyncs block, and on a
/// small machine they would otherwise stall every other task of the process (an
/// application's stream threads, or the tests beside an in-process broker).
actor BrokerCore {
    /// The thread the actor runs on.
    nonisolated let executorLoop: any EventLoop
    nonisolated var unownedExecutor: UnownedSerialExecutor { executorLoop.executor.asUnownedSerialExecutor() }
    let config: BrokerConfig
    let dataDirectory: String
    let logger: Logger
    let clusterId: String
    /// The address advertised in Metadata, FindCoordinator and DescribeCluster.
    var advertisedHost: String = "127.0.0.1"
    var advertisedPort: Int32 = 0
    var topics: [String: TopicState] = [:]
    let groups: GroupCoordinator
    var transactions: TransactionState
    let offsetsLog: InternalLog
    let transactionLog: InternalLog
    private var lastCleanupMs: Int64 = nowMs()
    private(set) var isShutDown = false
    /// Set when shutdown begins: long polls and group waits end, new requests are refused.
    nonisolated let stopSignal = StopSignal()
    /// Whether the broker is shutting down or shut down.
    var isStopping: Bool { isShutDown || stopSignal.isSet }

    private var clusterDirectory: String { dataDirectory + "/__cluster" }
    private var topicsPath: String { clusterDirectory + "/topics.json" }

    init(dataDirectory: String, config: BrokerConfig, logger: Logger, executorLoop: any EventLoop) throws {
        self.executorLoop = executorLoop
        self.config = config
        self.dataDirectory = dataDirectory
        self.logger = logger
        let fm = FileManager.default
        let clusterDirectory = dataDirectory + "/__cluster"
        try fm.createDirectory(atPath: clusterDirectory, withIntermediateDirectories: true)
        let idPath = clusterDirectory + "/cluster-id"
        if let stored = try? String(contentsOfFile: idPath, encoding: .utf8), !stored.isEmpty {
            clusterId = stored
        } else {
            clusterId = config.clusterId ?? "embedded-" + UUID().uuidString.prefix(8).lowercased()
            try clusterId.write(toFile: idPath, atomically: true, encoding: .utf8)
        }
        // Topics.
        var topics: [String: TopicState] = [:]
        if let data = fm.contents(atPath: clusterDirectory + "/topics.json") {
            let records = try JSONDecoder().decode([TopicRecord].self, from: data)
            for record in records {
                let topicConfig = TopicConfig(record.configs)
                let effective = EffectiveTopicConfig(topicConfig, brokerDefaults: config.topicDefaults)
                var partitions: [Partition] = []
                for p in 0..<record.partitions {
                    partitions.append(
                        try Partition(topic: record.name, index: p, directory: dataDirectory + "/\(record.name)-\(p)", config: effective))
                }
                topics[record.name] = TopicState(name: record.name, id: KafkaUUID(text: record.id), config: topicConfig, partitions: partitions)
            }
        }
        self.topics = topics
        // Consumer offsets.
        let groups = GroupCoordinator(config: config)
        offsetsLog = try InternalLog(directory: clusterDirectory + "/consumer-offsets") { key, value in
            groups.replay(key: key, value: value)
        }
        groups.offsetsLog = offsetsLog
        self.groups = groups
        var transactions = TransactionState()
        transactionLog = try InternalLog(directory: clusterDirectory + "/transactions") { key, value in
            transactions.replay(key: key, value: value)
        }
        self.transactions = transactions
    }

    func setAdvertised(host: String, port: Int32) {
        advertisedHost = host
        advertisedPort = port
    }

    // MARK: topics

    func persistTopics() throws {
        let records = topics.values.sorted { $0.name < $1.name }.map {
            TopicRecord(name: $0.name, id: $0.id.text, partitions: Int32($0.partitions.count), configs: $0.config.overrides)
        }
        let data = try JSONEncoder().encode(records)
        try data.write(to: URL(fileURLWithPath: topicsPath), options: .atomic)
    }

    /// Whether `name` is a legal topic name; returns the reason when not.
    static func topicNameProblem(_ name: String) -> String? {
        if name.isEmpty { return "Topic name is empty" }
        if name == "." || name == ".." { return "Topic name cannot be \".\" or \"..\"" }
        if name.utf8.count > 249 { return "Topic name is longer than 249 characters" }
        let legal = name.unicodeScalars.allSatisfy {
            ($0 >= "a" && $0 <= "z") || ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9") || $0 == "." || $0 == "_" || $0 == "-"
        }
        return legal ? nil : "Topic name \(name) contains characters other than ASCII alphanumerics, '.', '_' and '-'"
    }

    /// Creates a topic; returns an error code and message on failure.
    func createTopic(name: String, partitions: Int32, configs: [String: String], validateOnly: Bool = false) -> (KafkaErrorCode, String?) {
        if let problem = Self.topicNameProblem(name) { return (.invalidTopicException, problem) }
        if topics[name] != nil { return (.topicAlreadyExists, "Topic '\(name)' already exists.") }
        let count = partitions == -1 ? config.defaultPartitions : partitions
        guard count >= 1, count <= 100_000 else { return (.invalidPartitions, "Number of partitions must be at least 1, got \(count)") }
        for (key, value) in configs {
            if let problem = TopicConfig.validate(name: key, value: value) { return (.invalidConfig, problem) }
        }
        if validateOnly { return (.none, nil) }
        let topicConfig = TopicConfig(configs)
        let effective = EffectiveTopicConfig(topicConfig, brokerDefaults: config.topicDefaults)
        do {
            var list: [Partition] = []
            for p in 0..<count {
                let dir = dataDirectory + "/\(name)-\(p)"
                try? FileManager.default.removeItem(atPath: dir)
                list.append(try Partition(topic: name, index: p, directory: dir, config: effective))
            }
            topics[name] = TopicState(name: name, id: KafkaUUID.random(), config: topicConfig, partitions: list)
            try persistTopics()
        } catch {
            return (.kafkaStorageError, "\(error)")
        }
        logger.info("created topic", metadata: ["topic": "\(name)", "partitions": "\(count)"])
        return (.none, nil)
    }

    /// Deletes a topic and its files.
    func deleteTopic(name: String) -> KafkaErrorCode {
        guard let topic = topics.removeValue(forKey: name) else { return .unknownTopicOrPartition }
        for partition in topic.partitions { partition.log.deleteAll() }
        try? persistTopics()
        logger.info("deleted topic", metadata: ["topic": "\(name)"])
        return .none
    }

    /// Adds partitions to reach `count`.
    func addPartitions(topic name: String, count: Int32, validateOnly: Bool) -> (KafkaErrorCode, String?) {
        guard let topic = topics[name] else { return (.unknownTopicOrPartition, "Topic '\(name)' does not exist.") }
        guard count > topic.partitions.count else {
            return (.invalidPartitions, "Topic currently has \(topic.partitions.count) partitions, which is higher than or equal to the requested \(count).")
        }
        if validateOnly { return (.none, nil) }
        let effective = EffectiveTopicConfig(topic.config, brokerDefaults: config.topicDefaults)
        do {
            for p in Int32(topic.partitions.count)..<count {
                let dir = dataDirectory + "/\(name)-\(p)"
                try? FileManager.default.removeItem(atPath: dir)
                topic.partitions.append(try Partition(topic: name, index: p, directory: dir, config: effective))
            }
            try persistTopics()
        } catch {
            return (.kafkaStorageError, "\(error)")
        }
        return (.none, nil)
    }

    /// Applies a changed topic config to the topic's partitions and persists it.
    func updateTopicConfig(_ name: String, _ newConfig: TopicConfig) throws {
        guard let topic = topics[name] else { return }
        topic.config = newConfig
        let effective = EffectiveTopicConfig(newConfig, brokerDefaults: config.topicDefaults)
        for partition in topic.partitions { partition.log.config = effective }
        try persistTopics()
    }

    func partition(_ topic: String, _ index: Int32) -> Partition? {
        guard let state = topics[topic], index >= 0, index < state.partitions.count else { return nil }
        return state.partitions[Int(index)]
    }

    // MARK: periodic work

    /// Expires group members and transactions, applies `flush.ms`, and runs retention and
    /// compaction every `logCleanupIntervalMs`. Called about every 100 ms.
    func tick() {
        guard !isShutDown else { return }
        let now = nowMs()
        groups.tick(now: now)
        expireTransactions(now: now)
        for topic in topics.values {
            for partition in topic.partitions { try? partition.log.flushIfDue(now: now) }
        }
        if now - lastCleanupMs >= config.logCleanupIntervalMs {
            lastCleanupMs = now
            runLogCleanup(now: now)
        }
    }

    /// Retention, then compaction, over every partition.
    func runLogCleanup(now: Int64 = nowMs()) {
        for topic in topics.values {
            for partition in topic.partitions {
                do {
                    try partition.log.applyRetention(now: now)
                    if partition.log.config.compact {
                        try LogCompactor.compact(partition.log, now: now, lastStableOffset: partition.lastStableOffset)
                    }
                    partition.pruneAbortedTransactions()
                } catch {
                    logger.warning("log cleanup failed", metadata: ["topic": "\(topic.name)", "partition": "\(partition.index)", "error": "\(error)"])
                }
            }
        }
    }

    /// Flushes and closes every log; waiting requests are answered with errors.
    /// First step of a shutdown: refuses new requests and answers the waiting ones (long
    /// polls end at their next check, group joins and syncs get NOT_COORDINATOR), while the
    /// logs stay open for requests already being handled.
    func stopServing() {
        stopSignal.set()
        groups.shutdown()
    }

    /// Last step of a shutdown: flushes and closes every log.
    func shutdown() {
        guard !isShutDown else { return }
        isShutDown = true
        stopSignal.set()
        groups.shutdown()
        for topic in topics.values {
            for partition in topic.partitions { partition.log.close() }
        }
        offsetsLog.log.close()
        transactionLog.log.close()
    }
}

extension KafkaUUID {
    /// A random version-4 UUID.
    static func random() -> KafkaUUID {
        let u = UUID().uuid
        let b = [u.0, u.1, u.2, u.3, u.4, u.5, u.6, u.7, u.8, u.9, u.10, u.11, u.12, u.13, u.14, u.15]
        var high: UInt64 = 0
        var low: UInt64 = 0
        for i in 0..<8 { high = high << 8 | UInt64(b[i]) }
        for i in 8..<16 { low = low << 8 | UInt64(b[i]) }
        return KafkaUUID(high: high, low: low)
    }

    /// `high:low` in hex, as stored in `topics.json`.
    var text: String { String(high, radix: 16) + ":" + String(low, radix: 16) }

    init(text: String) {
        let parts = text.split(separator: ":")
        self.init(high: UInt64(parts.first ?? "", radix: 16) ?? 0, low: UInt64(parts.dropFirst().first ?? "", radix: 16) ?? 0)
    }
}

extension BrokerCore {
    /// The high watermark of a partition, or `nil` when it does not exist (for tests and tools).
    func highWatermark(_ topic: String, _ index: Int32) -> Int64? { partition(topic, index)?.highWatermark }
}
