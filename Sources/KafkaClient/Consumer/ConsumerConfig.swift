import KafkaProtocol

/// Settings of a ``KafkaConsumer``: the shared ``ClientConfig`` plus the consumer's own.
///
/// Defaults are those of Kafka 4's Java consumer. ``init(properties:)`` takes Kafka's
/// property names, so a Java consumer's settings carry over:
///
/// ```swift
/// let config = try ConsumerConfig(properties: [
///     "bootstrap.servers": "kafka:9092", "group.id": "billing",
///     "auto.offset.reset": "earliest", "isolation.level": "read_committed",
/// ])
/// ```
///
/// | property | field | default |
/// | --- | --- | --- |
/// | `group.id` | ``groupID`` | none (no group: `assign` only, no commits) |
/// | `group.instance.id` | ``groupInstanceID`` | none (dynamic membership) |
/// | `auto.offset.reset` | ``autoOffsetReset`` | `latest` |
/// | `enable.auto.commit` | ``enableAutoCommit`` | `true` (with a `group.id`) |
/// | `auto.commit.interval.ms` | ``autoCommitInterval`` | 5000 |
/// | `fetch.min.bytes` | ``fetchMinBytes`` | 1 |
/// | `fetch.max.wait.ms` | ``fetchMaxWait`` | 500 |
/// | `fetch.max.bytes` | ``fetchMaxBytes`` | 52428800 |
/// | `max.partition.fetch.bytes` | ``maxPartitionFetchBytes`` | 1048576 |
/// | `max.poll.records` | ``maxPollRecords`` | 500 |
/// | `max.poll.interval.ms` | ``maxPollInterval`` | 300000 |
/// | `session.timeout.ms` | ``sessionTimeout`` | 45000 |
/// | `heartbeat.interval.ms` | ``heartbeatInterval`` | 3000 |
/// | `rebalance.timeout.ms` | ``rebalanceTimeout`` | `max.poll.interval.ms` |
/// | `isolation.level` | ``isolationLevel`` | `read_uncommitted` |
/// | `check.crcs` | ``checkCRCs`` | `true` |
/// | `partition.assignment.strategy` | ``assignors`` | `range,cooperative-sticky` |
/// | `default.api.timeout.ms` | ``defaultApiTimeout`` | 60000 |
/// | `retry.backoff.max.ms` | ``retryBackoffMax`` | 1000 |
/// | `allow.auto.create.topics` | (accepted; topics are never created) | |
public struct ConsumerConfig: Sendable {
    /// Connection settings shared with the other clients.
    public var client: ClientConfig
    /// `group.id`: the consumer group. Needed for ``KafkaConsumer/subscribe(topics:listener:)``
    /// and for committing offsets.
    public var groupID: String?
    /// `group.instance.id`: a stable identity for static membership (KIP-345): a restarted
    /// member with the same id gets its partitions back without a rebalance, and a closing
    /// static member does not leave the group.
    public var groupInstanceID: String?
    /// `auto.offset.reset`: where to start when a partition has no committed offset or its
    /// position is out of range.
    public var autoOffsetReset: AutoOffsetReset = .latest
    /// `enable.auto.commit`: commit the consumed positions every ``autoCommitInterval``
    /// (from ``KafkaConsumer/poll(timeout:)``), before a rebalance and on close.
    public var enableAutoCommit: Bool = true
    /// `auto.commit.interval.ms`.
    public var autoCommitInterval: Duration = .seconds(5)
    /// `fetch.min.bytes`: the broker holds a fetch until it has this many bytes (or
    /// ``fetchMaxWait`` passes).
    public var fetchMinBytes: Int = 1
    /// `fetch.max.wait.ms`: how long the broker may hold a fetch for ``fetchMinBytes``.
    public var fetchMaxWait: Duration = .milliseconds(500)
    /// `fetch.max.bytes`: the most bytes one fetch response may carry (a first batch larger
    /// than this is still returned, so the consumer always progresses).
    public var fetchMaxBytes: Int = 52_428_800
    /// `max.partition.fetch.bytes`: the most bytes per partition in one fetch response.
    public var maxPartitionFetchBytes: Int = 1_048_576
    /// `max.poll.records`: the most records one ``KafkaConsumer/poll(timeout:)`` returns.
    public var maxPollRecords: Int = 500
    /// `max.poll.interval.ms`: a group member that does not poll for this long leaves the
    /// group (its partitions go to others); it rejoins on its next poll.
    public var maxPollInterval: Duration = .seconds(300)
    /// `session.timeout.ms`: the coordinator removes a member whose heartbeats stop for this long.
    public var sessionTimeout: Duration = .seconds(45)
    /// `heartbeat.interval.ms`: how often the background heartbeat runs.
    public var heartbeatInterval: Duration = .seconds(3)
    /// `rebalance.timeout.ms`: how long the coordinator waits for members to rejoin during a
    /// rebalance (JoinGroup v1+). Java uses `max.poll.interval.ms`; `nil` does the same.
    public var rebalanceTimeout: Duration?
    /// `isolation.level`: with ``IsolationLevel/readCommitted``, records of aborted
    /// transactions are skipped and fetches stop at the last stable offset.
    public var isolationLevel: IsolationLevel = .readUncommitted
    /// `check.crcs`: verify each fetched batch's CRC; a mismatch fails
    /// ``KafkaConsumer/poll(timeout:)`` with ``KafkaClientError`` `corruptRecord`.
    public var checkCRCs: Bool = true
    /// `partition.assignment.strategy`: the assignors offered to the group, in order of
    /// preference; the group uses the first one every member supports.
    public var assignors: [any PartitionAssignor] = [RangeAssignor(), CooperativeStickyAssignor()]
    /// `default.api.timeout.ms`: how long a blocking call (``KafkaConsumer/commitSync(_:)``,
    /// ``KafkaConsumer/committed(_:)``, offset lookups) may take.
    public var defaultApiTimeout: Duration = .seconds(60)
    /// `retry.backoff.max.ms`: the longest wait between retries (doubling from
    /// `retry.backoff.ms`).
    public var retryBackoffMax: Duration = .seconds(1)

    /// Creates a configuration with Kafka's defaults.
    public init(client: ClientConfig, groupID: String? = nil) {
        self.client = client
        self.groupID = groupID
    }

    /// Creates a configuration with Kafka's defaults for these brokers.
    /// - Throws: ``KafkaClientError`` (`invalidConfig`) for a bad address list.
    public init(bootstrapServers: String, groupID: String? = nil) throws {
        self.init(client: try ClientConfig(bootstrapServers: bootstrapServers), groupID: groupID)
    }

    /// `auto.offset.reset`.
    public enum AutoOffsetReset: String, Sendable, Hashable {
        /// Start at the first record still in the log.
        case earliest
        /// Start after the last record (only new records are read).
        case latest
        /// Fail ``KafkaConsumer/poll(timeout:)`` with ``KafkaError`` `OFFSET_OUT_OF_RANGE`
        /// (or `NoOffset`-like ``KafkaClientError`` `illegalState`) instead of guessing.
        case none
    }

    /// The consumer's own property names (``init(properties:)`` also takes
    /// ``ClientConfig/propertyNames``).
    public static let propertyNames: Set<String> = [
        "group.id", "group.instance.id", "auto.offset.reset", "enable.auto.commit", "auto.commit.interval.ms",
        "fetch.min.bytes", "fetch.max.wait.ms", "fetch.max.bytes", "max.partition.fetch.bytes", "max.poll.records",
        "max.poll.interval.ms", "session.timeout.ms", "heartbeat.interval.ms", "rebalance.timeout.ms", "isolation.level",
        "check.crcs", "partition.assignment.strategy", "default.api.timeout.ms", "retry.backoff.max.ms",
        "allow.auto.create.topics",
    ]

    /// The assignors ``init(properties:)`` knows, by Kafka's name and Java class name.
    static func assignor(named name: String) -> (any PartitionAssignor)? {
        switch name {
        case "range", "org.apache.kafka.clients.consumer.RangeAssignor": RangeAssignor()
        case "roundrobin", "org.apache.kafka.clients.consumer.RoundRobinAssignor": RoundRobinAssignor()
        case "cooperative-sticky", "org.apache.kafka.clients.consumer.CooperativeStickyAssignor": CooperativeStickyAssignor()
        default: nil
        }
    }

    /// Creates a configuration from Kafka property names (the consumer's and
    /// ``ClientConfig``'s).
    /// - Throws: ``KafkaClientError`` (`invalidConfig`) naming the property for an unknown
    ///   name, a value of the wrong form or out of range, or conflicting settings.
    public init(properties: [String: String]) throws {
        let p = PropertyReader(properties)
        try p.rejectUnknown(ClientConfig.propertyNames.union(Self.propertyNames), client: "consumer")
        self.init(client: try ClientConfig(properties: properties))
        if let id = properties["group.id"], !id.isEmpty { groupID = id }
        if let id = properties["group.instance.id"], !id.isEmpty { groupInstanceID = id }
        if let v = try p.choice("auto.offset.reset", ["earliest", "latest", "none"]) {
            autoOffsetReset = AutoOffsetReset(rawValue: v) ?? .latest
        }
        if let v = try p.bool("enable.auto.commit") { enableAutoCommit = v }
        if let v = try p.milliseconds("auto.commit.interval.ms", min: 0) { autoCommitInterval = v }
        if let v = try p.int("fetch.min.bytes", min: 0, max: Int(Int32.max)) { fetchMinBytes = v }
        if let v = try p.milliseconds("fetch.max.wait.ms", min: 0) { fetchMaxWait = v }
        if let v = try p.int("fetch.max.bytes", min: 0, max: Int(Int32.max)) { fetchMaxBytes = v }
        if let v = try p.int("max.partition.fetch.bytes", min: 0, max: Int(Int32.max)) { maxPartitionFetchBytes = v }
        if let v = try p.int("max.poll.records", min: 1) { maxPollRecords = v }
        if let v = try p.milliseconds("max.poll.interval.ms", min: 1) { maxPollInterval = v }
        if let v = try p.milliseconds("session.timeout.ms", min: 1) { sessionTimeout = v }
        if let v = try p.milliseconds("heartbeat.interval.ms", min: 1) { heartbeatInterval = v }
        if let v = try p.milliseconds("rebalance.timeout.ms", min: 1) { rebalanceTimeout = v }
        if let v = try p.choice("isolation.level", ["read_uncommitted", "read_committed"]) {
            isolationLevel = v == "read_committed" ? .readCommitted : .readUncommitted
        }
        if let v = try p.bool("check.crcs") { checkCRCs = v }
        if let v = try p.milliseconds("default.api.timeout.ms", min: 1) { defaultApiTimeout = v }
        if let v = try p.milliseconds("retry.backoff.max.ms", min: 0) { retryBackoffMax = v }
        _ = try p.bool("allow.auto.create.topics")
        if let text = properties["partition.assignment.strategy"] {
            let names = text.split(separator: ",").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
            var chosen: [any PartitionAssignor] = []
            for name in names {
                guard let assignor = Self.assignor(named: name) else {
                    throw KafkaClientError(
                        .invalidConfig,
                        "partition.assignment.strategy: unknown assignor \"\(name)\" (known: range, roundrobin, cooperative-sticky; pass other PartitionAssignor values in ConsumerConfig.assignors)"
                    )
                }
                chosen.append(assignor)
            }
            assignors = chosen
        }
        if properties["enable.auto.commit"] == nil && groupID == nil { enableAutoCommit = false }
        try validate()
    }

    /// Checks the settings together.
    /// - Throws: ``KafkaClientError`` (`invalidConfig`) naming the property at fault.
    public func validate() throws {
        func fail(_ text: String) -> KafkaClientError { KafkaClientError(.invalidConfig, text) }
        if maxPollRecords < 1 { throw fail("max.poll.records must be at least 1, got \(maxPollRecords)") }
        if heartbeatInterval >= sessionTimeout {
            throw fail(
                "heartbeat.interval.ms (\(heartbeatInterval.milliseconds)) must be lower than session.timeout.ms (\(sessionTimeout.milliseconds))"
            )
        }
        if groupInstanceID != nil && groupID == nil { throw fail("group.instance.id needs a group.id") }
        if enableAutoCommit && groupID == nil {
            throw fail("enable.auto.commit=true needs a group.id; set enable.auto.commit=false or a group.id")
        }
        if assignors.isEmpty { throw fail("partition.assignment.strategy names no assignor") }
        let names = assignors.map(\.name)
        if Set(names).count != names.count { throw fail("partition.assignment.strategy names an assignor twice: \(names)") }
    }

    /// The rebalance timeout sent in JoinGroup.
    var effectiveRebalanceTimeout: Duration { rebalanceTimeout ?? maxPollInterval }
}
