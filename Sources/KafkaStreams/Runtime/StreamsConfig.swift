import KafkaProtocol

/// The configuration of a streams application, as a value.
///
/// Typed properties for the settings this library uses, and ``init(properties:)`` for
/// Kafka Streams' own property names (`application.id`, `commit.interval.ms`, ...) so a Java
/// user's settings carry over. Unknown names are kept in ``properties`` for the clients.
///
/// ```swift
/// var config = StreamsConfig(applicationID: "fraud", bootstrapServers: "kafka:9092")
/// config.commitInterval = .milliseconds(100)
/// ```
public struct StreamsConfig: Sendable {
    /// What to do with a record whose key or value cannot be deserialized.
    public enum DeserializationExceptionHandler: String, Sendable {
        /// Fail the task with a ``StreamsError`` naming topic, partition and offset (default).
        case logAndFail
        /// Log the error, count the record as dropped and go on.
        case logAndContinue
    }

    /// Delivery guarantee.
    public enum ProcessingGuarantee: String, Sendable {
        /// Each record is processed at least once (default).
        case atLeastOnce = "at_least_once"
        /// Each record's effects are committed exactly once (transactions).
        case exactlyOnceV2 = "exactly_once_v2"
    }

    /// `application.id`: names the consumer group, internal topics and state directory.
    public var applicationID: String
    /// `bootstrap.servers`: the cluster to connect to, or `"embedded"`.
    public var bootstrapServers: String
    /// `default.deserialization.exception.handler`.
    public var deserializationExceptionHandler: DeserializationExceptionHandler = .logAndFail
    /// `processing.guarantee`.
    public var processingGuarantee: ProcessingGuarantee = .atLeastOnce
    /// `commit.interval.ms` (default 30 s, 100 ms under exactly-once).
    public var commitInterval: Duration = .seconds(30)
    /// `num.stream.threads`.
    public var numStreamThreads: Int = 1
    /// `state.dir`.
    public var stateDirectory: String = "/tmp/kafka-streams"
    /// `statestore.cache.max.bytes`.
    public var cacheMaxBytes: Int = 10 * 1024 * 1024
    /// `num.standby.replicas`.
    public var numStandbyReplicas: Int = 0
    /// `max.task.idle.ms`.
    public var maxTaskIdle: Duration = .zero
    /// `default.dsl.store`: the store type of DSL operators whose ``Materialized`` names
    /// no supplier. RocksDB by default, as in Kafka Streams.
    public var defaultDSLStore: DSLStoreType = .rocksDB
    /// `rocksdb.total.memory` (bytes): the bound on the block cache plus memtables shared by
    /// every RocksDB store of this instance (default 64 MiB). See docs/state.md.
    public var rocksDBTotalMemory: Int = 64 * 1024 * 1024
    /// `rocksdb.memtable.ratio`: the part of ``rocksDBTotalMemory`` given to memtables
    /// (default 0.25); the rest is block cache.
    public var rocksDBMemtableRatio: Double = 0.25
    /// `rocksdb.compression`: `lz4` (default), `zstd`, `snappy` or `none`.
    public var rocksDBCompression: RocksDBOptions.Compression = .lz4
    /// `rocksdb.config.setter` as a closure: adjusts one store's options before it opens.
    public var rocksDBConfigSetter: RocksDBConfigSetter?
    /// `state.cleanup.delay.ms`: how long a task directory this instance no longer owns is
    /// kept before ``StateDirectory/cleanRemovedTasks(cleanupDelay:ownedTasks:now:)`` deletes it
    /// (default 10 minutes).
    public var stateCleanupDelay: Duration = .seconds(600)
    /// `processing.exception.handler`: what to do when a processor throws.
    public var processingExceptionHandler: ProcessingExceptionHandler = .logAndFail
    /// `default.production.exception.handler`: what to do when output cannot be sent.
    public var productionExceptionHandler: ProductionExceptionHandler = .fail
    /// `auto.offset.reset` of the main consumers for partitions without a committed
    /// offset (default `earliest`, as in Kafka Streams).
    public var autoOffsetReset: AutoOffsetReset = .earliest
    /// `max.poll.records` (default 1000, as in Kafka Streams).
    public var maxPollRecords: Int = 1000
    /// `max.poll.interval.ms`.
    public var maxPollInterval: Duration = .seconds(300)
    /// `session.timeout.ms`.
    public var sessionTimeout: Duration = .seconds(45)
    /// `heartbeat.interval.ms`.
    public var heartbeatInterval: Duration = .seconds(3)
    /// `fetch.max.wait.ms` of the main consumers.
    public var fetchMaxWait: Duration = .milliseconds(100)
    /// `linger.ms` of the producers (default 100 ms, Kafka Streams' setting).
    public var producerLinger: Duration = .milliseconds(100)
    /// `batch.size` of the producers.
    public var producerBatchSize: Int = 64 * 1024
    /// `compression.type` of the producers: `none`, `gzip`, `snappy`, `lz4` or `zstd`.
    public var producerCompression: CompressionCodec = .none
    /// `transaction.timeout.ms` under exactly-once (default 10 s, Kafka Streams' setting).
    public var transactionTimeout: Duration = .seconds(10)
    /// `replication.factor` of internal topics (-1: the broker's default).
    public var replicationFactor: Int16 = -1
    /// `application.server`: this instance's `host:port` for interactive queries, shared
    /// with the other instances through the group.
    public var applicationServer: String?
    /// `acceptable.recovery.lag`: a client this close to a changelog's end counts as caught up.
    public var acceptableRecoveryLag: Int64 = 10_000
    /// `max.warmup.replicas`: how many tasks may warm up on a new owner at once.
    public var maxWarmupReplicas: Int = 2
    /// `probing.rebalance.interval.ms`: how often warm-up progress is checked.
    public var probingRebalanceInterval: Duration = .seconds(600)
    /// Every property given by name, including those this library does not interpret.
    public var properties: [String: String] = [:]

    /// Every property name ``init(properties:)`` reads, with the client's (`client.id`,
    /// timeouts, `security.protocol` and its SASL/TLS settings), for configuration sources
    /// that are looked up by key rather than listed (environment variables, flags).
    public static let propertyNames: [String] = [
        "application.id", "bootstrap.servers", "application.server", "processing.guarantee", "commit.interval.ms",
        "num.stream.threads", "state.dir", "statestore.cache.max.bytes", "cache.max.bytes.buffering",
        "num.standby.replicas", "max.task.idle.ms", "default.dsl.store", "rocksdb.total.memory", "rocksdb.memtable.ratio",
        "rocksdb.compression", "state.cleanup.delay.ms", "default.deserialization.exception.handler",
        "processing.exception.handler", "default.production.exception.handler", "production.exception.handler",
        "auto.offset.reset", "max.poll.records", "max.poll.interval.ms", "session.timeout.ms", "heartbeat.interval.ms",
        "fetch.max.wait.ms", "linger.ms", "batch.size", "compression.type", "transaction.timeout.ms", "replication.factor",
        "acceptable.recovery.lag", "max.warmup.replicas", "probing.rebalance.interval.ms",
        "client.id", "metadata.max.age.ms", "reconnect.backoff.ms", "reconnect.backoff.max.ms", "request.timeout.ms",
        "retry.backoff.ms", "socket.connection.setup.timeout.ms", "security.protocol", "sasl.mechanism",
        "sasl.mechanisms", "sasl.username", "sasl.password", "ssl.ca.location", "ssl.certificate.location",
        "ssl.key.location", "ssl.endpoint.identification.algorithm",
    ]

    /// Creates a configuration.
    public init(applicationID: String, bootstrapServers: String = "embedded") {
        self.applicationID = applicationID
        self.bootstrapServers = bootstrapServers
    }

    /// Creates a configuration from Kafka Streams property names.
    ///
    /// - Throws: ``StreamsError`` (`invalidConfig`) naming the property if `application.id`
    ///   is missing or a value has the wrong form.
    public init(properties: [String: String]) throws {
        guard let id = properties["application.id"], !id.isEmpty else {
            throw StreamsError(.invalidConfig, "application.id is required")
        }
        self.init(applicationID: id, bootstrapServers: properties["bootstrap.servers"] ?? "embedded")
        self.properties = properties
        func int(_ name: String) throws -> Int? {
            guard let text = properties[name] else { return nil }
            guard let value = Int(text.trimmingCharacters(in: " ")) else {
                throw StreamsError(.invalidConfig, "\(name) must be an integer, got \"\(text)\"")
            }
            return value
        }
        if let g = properties["processing.guarantee"] {
            guard let value = ProcessingGuarantee(rawValue: g) else {
                throw StreamsError(.invalidConfig, "processing.guarantee must be at_least_once or exactly_once_v2, got \"\(g)\"")
            }
            processingGuarantee = value
            if value == .exactlyOnceV2 { commitInterval = .milliseconds(100) }
        }
        if let h = properties["default.deserialization.exception.handler"] {
            switch h {
            case "logAndFail", "LogAndFailExceptionHandler", "org.apache.kafka.streams.errors.LogAndFailExceptionHandler":
                deserializationExceptionHandler = .logAndFail
            case "logAndContinue", "LogAndContinueExceptionHandler", "org.apache.kafka.streams.errors.LogAndContinueExceptionHandler":
                deserializationExceptionHandler = .logAndContinue
            default:
                throw StreamsError(.invalidConfig, "default.deserialization.exception.handler \"\(h)\" is not logAndFail or logAndContinue")
            }
        }
        if let v = try int("commit.interval.ms") { commitInterval = .milliseconds(v) }
        if let v = try int("num.stream.threads") { numStreamThreads = v }
        if let v = properties["state.dir"] { stateDirectory = v }
        if let v = try int("statestore.cache.max.bytes") ?? int("cache.max.bytes.buffering") { cacheMaxBytes = v }
        if let v = try int("num.standby.replicas") { numStandbyReplicas = v }
        if let v = try int("max.task.idle.ms") { maxTaskIdle = .milliseconds(v) }
        if let v = properties["default.dsl.store"] {
            guard let type = DSLStoreType(rawValue: v.lowercased()) else {
                throw StreamsError(.invalidConfig, "default.dsl.store must be rocksDB or in_memory, got \"\(v)\"")
            }
            defaultDSLStore = type
        }
        if let v = try int("rocksdb.total.memory") { rocksDBTotalMemory = v }
        if let v = properties["rocksdb.memtable.ratio"] {
            guard let ratio = Double(v), ratio > 0, ratio < 1 else {
                throw StreamsError(.invalidConfig, "rocksdb.memtable.ratio must be a number between 0 and 1, got \"\(v)\"")
            }
            rocksDBMemtableRatio = ratio
        }
        if let v = properties["rocksdb.compression"] {
            guard let compression = RocksDBOptions.Compression(named: v) else {
                throw StreamsError(.invalidConfig, "rocksdb.compression must be lz4, zstd, snappy or none, got \"\(v)\"")
            }
            rocksDBCompression = compression
        }
        if let v = try int("state.cleanup.delay.ms") { stateCleanupDelay = .milliseconds(v) }
        if let h = properties["processing.exception.handler"] {
            guard let value = ProcessingExceptionHandler(named: h) else {
                throw StreamsError(.invalidConfig, "processing.exception.handler must be logAndFail or logAndContinue, got \"\(h)\"")
            }
            processingExceptionHandler = value
        }
        if let h = properties["default.production.exception.handler"] ?? properties["production.exception.handler"] {
            guard let value = ProductionExceptionHandler(named: h) else {
                throw StreamsError(.invalidConfig, "default.production.exception.handler must be fail or continue, got \"\(h)\"")
            }
            productionExceptionHandler = value
        }
        if let v = properties["auto.offset.reset"] {
            guard let value = AutoOffsetReset(rawValue: v) else {
                throw StreamsError(.invalidConfig, "auto.offset.reset must be earliest or latest, got \"\(v)\"")
            }
            autoOffsetReset = value
        }
        if let v = try int("max.poll.records") { maxPollRecords = v }
        if let v = try int("max.poll.interval.ms") { maxPollInterval = .milliseconds(v) }
        if let v = try int("session.timeout.ms") { sessionTimeout = .milliseconds(v) }
        if let v = try int("heartbeat.interval.ms") { heartbeatInterval = .milliseconds(v) }
        if let v = try int("fetch.max.wait.ms") { fetchMaxWait = .milliseconds(v) }
        if let v = try int("linger.ms") { producerLinger = .milliseconds(v) }
        if let v = try int("batch.size") { producerBatchSize = v }
        if let v = properties["compression.type"] {
            guard let codec = CompressionType(name: v).map({ CompressionCodec($0) }) else {
                throw StreamsError(.invalidConfig, "compression.type must be none, gzip, snappy, lz4 or zstd, got \"\(v)\"")
            }
            producerCompression = codec
        }
        if let v = try int("transaction.timeout.ms") { transactionTimeout = .milliseconds(v) }
        if let v = try int("replication.factor") { replicationFactor = Int16(clamping: v) }
        if let v = properties["application.server"], !v.isEmpty {
            guard let colon = v.lastIndex(of: ":"), Int(v[v.index(after: colon)...]) != nil, colon != v.startIndex else {
                throw StreamsError(.invalidConfig, "application.server must be host:port, got \"\(v)\"")
            }
            applicationServer = v
        }
        if let v = try int("acceptable.recovery.lag") { acceptableRecoveryLag = Int64(v) }
        if let v = try int("max.warmup.replicas") { maxWarmupReplicas = v }
        if let v = try int("probing.rebalance.interval.ms") { probingRebalanceInterval = .milliseconds(v) }
        if numStreamThreads < 1 {
            throw StreamsError(.invalidConfig, "num.stream.threads must be at least 1, got \(numStreamThreads)")
        }
    }
}

/// What to do when a processor throws (`processing.exception.handler`, KIP-1033).
public enum ProcessingExceptionHandler: String, Sendable {
    /// Fail the stream thread (default).
    case logAndFail
    /// Log the error, count the record as dropped and go on with the next one.
    case logAndContinue

    init?(named name: String) {
        switch name {
        case "logAndFail", "LogAndFailProcessingExceptionHandler",
            "org.apache.kafka.streams.errors.LogAndFailProcessingExceptionHandler":
            self = .logAndFail
        case "logAndContinue", "LogAndContinueProcessingExceptionHandler",
            "org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler":
            self = .logAndContinue
        default: return nil
        }
    }
}

/// What to do when output cannot be sent (`default.production.exception.handler`).
public enum ProductionExceptionHandler: String, Sendable {
    /// Fail the stream thread (default).
    case fail
    /// Log the error, count the records as dropped and go on (at-least-once only; under
    /// exactly-once a send failure always aborts the transaction).
    case `continue`

    init?(named name: String) {
        switch name {
        case "fail", "DefaultProductionExceptionHandler", "org.apache.kafka.streams.errors.DefaultProductionExceptionHandler":
            self = .fail
        case "continue": self = .continue
        default: return nil
        }
    }
}

/// The kind of store DSL operators create by default (`default.dsl.store`).
public enum DSLStoreType: String, Sendable {
    /// Persistent RocksDB stores under `state.dir` (Kafka Streams' default).
    case rocksDB = "rocksdb"
    /// In-memory stores, rebuilt from their changelogs after a restart.
    case inMemory = "in_memory"
}

extension String {
    func trimmingCharacters(in set: Character) -> Substring {
        var s = Substring(self)
        while s.first == set { s.removeFirst() }
        while s.last == set { s.removeLast() }
        return s
    }
}
