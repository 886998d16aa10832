import KafkaProtocol

/// Settings of a ``KafkaProducer``: the shared ``ClientConfig`` plus the producer's own.
///
/// Defaults are those of Kafka 4's Java producer. ``init(properties:)`` takes Kafka's
/// property names, so a Java producer's settings carry over:
///
/// ```swift
/// var config = ProducerConfig(client: try ClientConfig(bootstrapServers: "kafka:9092"))
/// config.compression = .zstd
/// config.linger = .milliseconds(20)
///
/// let same = try ProducerConfig(properties: [
///     "bootstrap.servers": "kafka:9092", "compression.type": "zstd", "linger.ms": "20",
/// ])
/// ```
///
/// | property | field | default |
/// | --- | --- | --- |
/// | `acks` | ``acks`` | `all` |
/// | `linger.ms` | ``linger`` | 5 ms |
/// | `batch.size` | ``batchSize`` | 16384 |
/// | `buffer.memory` | ``bufferMemory`` | 33554432 |
/// | `max.block.ms` | ``maxBlock`` | 60000 |
/// | `compression.type` (+ `compression.gzip.level`, `compression.lz4.level`, `compression.zstd.level`) | ``compression`` | `none` |
/// | `retries` | ``retries`` | 2147483647 |
/// | `retry.backoff.ms` | ``ClientConfig/retryBackoff`` | 100 |
/// | `retry.backoff.max.ms` | ``retryBackoffMax`` | 1000 |
/// | `delivery.timeout.ms` | ``deliveryTimeout`` | 120000 |
/// | `request.timeout.ms` | ``ClientConfig/requestTimeout`` | 30000 |
/// | `max.in.flight.requests.per.connection` | ``maxInFlight`` | 5 |
/// | `enable.idempotence` | ``enableIdempotence`` | `true` |
/// | `max.request.size` | ``maxRequestSize`` | 1048576 |
/// | `partitioner.class`, `partitioner.ignore.keys` | ``partitioner`` | default (murmur2, sticky) |
/// | `transactional.id` | ``transactionalID`` | none (no transactions) |
/// | `transaction.timeout.ms` | ``transactionTimeout`` | 60000 |
public struct ProducerConfig: Sendable {
    /// Connection settings shared with the other clients (`bootstrap.servers`, `client.id`,
    /// `request.timeout.ms`, `retry.backoff.ms`, ...).
    public var client: ClientConfig

    /// `acks`: how many replicas must have a record before the broker acknowledges it.
    public var acks: Acks = .all
    /// `linger.ms`: how long a batch waits for more records before it is sent.
    public var linger: Duration = .milliseconds(5)
    /// `batch.size`: the size in bytes (before compression) at which a partition's batch
    /// is sent without waiting for ``linger``. A record larger than this gets a batch of
    /// its own.
    public var batchSize: Int = 16 * 1024
    /// `buffer.memory`: the bytes of records the producer holds before they are
    /// acknowledged. When it is full, ``KafkaProducer/send(topic:partition:key:value:headers:timestamp:)``
    /// suspends until space is freed, at most ``maxBlock``.
    public var bufferMemory: Int = 32 * 1024 * 1024
    /// `max.block.ms`: how long a send waits for buffer space or for the topic's metadata
    /// before it fails.
    public var maxBlock: Duration = .seconds(60)
    /// `compression.type`: the codec (and level) of every batch.
    public var compression: CompressionCodec = .none
    /// `retries`: how often a batch is resent after a retriable error (also bounded by
    /// ``deliveryTimeout``).
    public var retries: Int = Int(Int32.max)
    /// `retry.backoff.max.ms`: the longest wait between retries of a partition; the wait
    /// starts at ``ClientConfig/retryBackoff`` and doubles.
    public var retryBackoffMax: Duration = .seconds(1)
    /// `delivery.timeout.ms`: the longest time between a send and its result; a batch not
    /// acknowledged by then fails with a `timeout` error. Must be at least ``linger`` plus
    /// the request timeout.
    public var deliveryTimeout: Duration = .seconds(120)
    /// `max.in.flight.requests.per.connection`: Produce requests awaiting a response on one
    /// connection. With idempotence, at most 5.
    public var maxInFlight: Int = 5
    /// `enable.idempotence`: the broker de-duplicates retries using a producer id and
    /// per-partition sequence numbers, so records are written exactly once and in order.
    /// Requires `acks=all`, `retries > 0` and ``maxInFlight`` ≤ 5.
    public var enableIdempotence: Bool = true
    /// `max.request.size`: the largest Produce request; a single record larger than this
    /// is rejected when it is sent.
    public var maxRequestSize: Int = 1024 * 1024
    /// `partitioner.class` / `partitioner.ignore.keys`: how partitions are chosen for
    /// records sent without one.
    public var partitioner: ProducerPartitioner = .default
    /// `transactional.id`: makes the producer transactional (``KafkaProducer/initTransactions()``);
    /// a stable id per producer role, so that a restarted instance fences its predecessor.
    /// Requires idempotence.
    public var transactionalID: String?
    /// `transaction.timeout.ms`: the coordinator aborts a transaction left open this long
    /// (the producer is then fenced: its next transactional call fails with
    /// `PRODUCER_FENCED`).
    public var transactionTimeout: Duration = .seconds(60)

    /// Creates a configuration with Kafka's defaults.
    public init(client: ClientConfig) {
        self.client = client
    }

    /// Creates a configuration with Kafka's defaults for these brokers.
    /// - Throws: ``KafkaClientError`` (`invalidConfig`) for a bad address list.
    public init(bootstrapServers: String) throws {
        self.init(client: try ClientConfig(bootstrapServers: bootstrapServers))
    }

    /// `acks`: the acknowledgement a Produce request asks for.
    public struct Acks: Sendable, Hashable, CustomStringConvertible {
        /// The value on the wire: 0, 1 or -1.
        public let rawValue: Int16
        private init(_ rawValue: Int16) { self.rawValue = rawValue }

        /// `acks=0`: no response; a send succeeds once written, with offset -1.
        public static let none = Acks(0)
        /// `acks=1`: the leader has written the record.
        public static let leader = Acks(1)
        /// `acks=all` (`-1`): every in-sync replica has it.
        public static let all = Acks(-1)

        /// `0`, `1` or `all`.
        public var description: String { rawValue == -1 ? "all" : "\(rawValue)" }
    }

    /// The producer's own property names (``init(properties:)`` also takes
    /// ``ClientConfig/propertyNames``).
    public static let propertyNames: Set<String> = [
        "acks", "linger.ms", "batch.size", "buffer.memory", "max.block.ms", "compression.type",
        "compression.gzip.level", "compression.lz4.level", "compression.zstd.level", "retries",
        "retry.backoff.max.ms", "delivery.timeout.ms", "max.in.flight.requests.per.connection",
        "enable.idempotence", "max.request.size", "partitioner.class", "partitioner.ignore.keys",
        "transactional.id", "transaction.timeout.ms",
    ]

    /// Java's partitioner class names that ``init(properties:)`` maps to a ``ProducerPartitioner``.
    static let partitionerClasses: [String: ProducerPartitioner] = [
        "org.apache.kafka.clients.producer.RoundRobinPartitioner": .roundRobin,
        "org.apache.kafka.clients.producer.internals.DefaultPartitioner": .default,
        "org.apache.kafka.clients.producer.UniformStickyPartitioner": .uniformSticky,
    ]

    /// Creates a configuration from Kafka property names (the producer's and
    /// ``ClientConfig``'s).
    ///
    /// As in Java, idempotence is switched off when `enable.idempotence` is not given and
    /// `acks`, `retries` or `max.in.flight.requests.per.connection` conflict with it; when it
    /// is given as `true`, a conflict is an error.
    ///
    /// - Throws: ``KafkaClientError`` (`invalidConfig`) naming the property for an unknown
    ///   name, a value of the wrong form or out of range, or conflicting settings.
    public init(properties: [String: String]) throws {
        let p = PropertyReader(properties)
        try p.rejectUnknown(ClientConfig.propertyNames.union(Self.propertyNames), client: "producer")
        self.init(client: try ClientConfig(properties: properties))
        if let acks = try p.choice("acks", ["all", "-1", "0", "1"]) {
            self.acks = acks == "0" ? .none : acks == "1" ? .leader : .all
        }
        if let v = try p.milliseconds("linger.ms", min: 0) { linger = v }
        if let v = try p.int("batch.size", min: 0, max: Int(Int32.max)) { batchSize = v }
        if let v = try p.int("buffer.memory", min: 0) { bufferMemory = v }
        if let v = try p.milliseconds("max.block.ms", min: 0) { maxBlock = v }
        if let name = try p.choice("compression.type", ["none", "gzip", "snappy", "lz4", "zstd"]) {
            compression = CompressionCodec(CompressionType(name: name) ?? .none)
        }
        let levels: [(String, CompressionType, ClosedRange<Int>)] = [
            ("compression.gzip.level", .gzip, 1...9), ("compression.lz4.level", .lz4, 1...17),
            ("compression.zstd.level", .zstd, -131072...22),
        ]
        for (name, type, range) in levels {
            // Java's gzip level also accepts -1 (the codec's default).
            let low = type == .gzip ? -1 : range.lowerBound
            if let level = try p.int(name, min: low, max: range.upperBound), compression.type == type {
                compression.level = level == -1 ? nil : level
            }
        }
        if let v = try p.int("retries", min: 0, max: Int(Int32.max)) { retries = v }
        if let v = try p.milliseconds("retry.backoff.max.ms", min: 0) { retryBackoffMax = v }
        if let v = try p.milliseconds("delivery.timeout.ms", min: 0) { deliveryTimeout = v }
        if let v = try p.int("max.in.flight.requests.per.connection", min: 1) { maxInFlight = v }
        if let v = try p.int("max.request.size", min: 1, max: Int(Int32.max)) { maxRequestSize = v }
        if let name = properties["partitioner.class"] {
            let trimmed = name.trimmingWhitespace()
            if !trimmed.isEmpty {
                guard let chosen = Self.partitionerClasses[trimmed] else {
                    throw KafkaClientError(
                        .invalidConfig,
                        "partitioner.class must be empty or one of \(Self.partitionerClasses.keys.sorted().joined(separator: ", ")), got \"\(name)\""
                    )
                }
                partitioner = chosen
            }
        }
        if try p.bool("partitioner.ignore.keys") == true {
            if case .default = partitioner.kind { partitioner = .uniformSticky }
        }
        if let id = properties["transactional.id"], !id.isEmpty { transactionalID = id }
        if let v = try p.milliseconds("transaction.timeout.ms", min: 1) { transactionTimeout = v }
        if let idempotence = try p.bool("enable.idempotence") {
            enableIdempotence = idempotence
        } else if transactionalID == nil && (acks != .all || retries == 0 || maxInFlight > 5) {
            // Java (3.2+): idempotence is on by default only when nothing conflicts with it.
            enableIdempotence = false
        }
        try validate()
    }

    /// Checks the settings together.
    /// - Throws: ``KafkaClientError`` (`invalidConfig`) naming the property at fault.
    public func validate() throws {
        func fail(_ text: String) -> KafkaClientError { KafkaClientError(.invalidConfig, text) }
        if batchSize < 0 { throw fail("batch.size must be at least 0, got \(batchSize)") }
        if bufferMemory < 0 { throw fail("buffer.memory must be at least 0, got \(bufferMemory)") }
        if maxRequestSize < 1 { throw fail("max.request.size must be at least 1, got \(maxRequestSize)") }
        if maxInFlight < 1 { throw fail("max.in.flight.requests.per.connection must be at least 1, got \(maxInFlight)") }
        if retries < 0 { throw fail("retries must be at least 0, got \(retries)") }
        if linger < .zero { throw fail("linger.ms must be at least 0") }
        if maxBlock < .zero { throw fail("max.block.ms must be at least 0") }
        if deliveryTimeout < linger + client.requestTimeout {
            throw fail(
                "delivery.timeout.ms (\(deliveryTimeout.milliseconds)) must be at least linger.ms + request.timeout.ms (\(linger.milliseconds + client.requestTimeout.milliseconds))"
            )
        }
        if transactionalID != nil && !enableIdempotence {
            throw fail("transactional.id requires enable.idempotence=true")
        }
        if enableIdempotence {
            if acks != .all { throw fail("enable.idempotence requires acks=all, got acks=\(acks); set enable.idempotence=false") }
            if retries == 0 { throw fail("enable.idempotence requires retries > 0; set enable.idempotence=false") }
            if maxInFlight > 5 {
                throw fail(
                    "enable.idempotence requires max.in.flight.requests.per.connection <= 5, got \(maxInFlight); set enable.idempotence=false"
                )
            }
        }
        if let level = compression.level {
            let ok: Bool
            switch compression.type {
            case .gzip: ok = (1...9).contains(level)
            case .lz4: ok = (1...17).contains(level)
            case .zstd: ok = (-131072...22).contains(level)
            default: ok = false
            }
            if !ok { throw fail("compression level \(level) is not valid for compression.type=\(compression.type)") }
        }
        if ![CompressionType.none, .gzip, .snappy, .lz4, .zstd].contains(compression.type) {
            throw fail("compression.type \(compression.type) is not supported")
        }
    }
}
