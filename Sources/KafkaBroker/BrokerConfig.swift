/// Settings of an ``EmbeddedBroker``: identity, topic defaults, and coordinator limits.
/// A value type; every property has Kafka's default unless said otherwise.
public struct BrokerConfig: Sendable {
    /// The broker's node id in Metadata (default 1).
    public var nodeId: Int32 = 1
    /// The cluster id reported in Metadata and DescribeCluster (persisted in the data
    /// directory on first start; this value is used only when none is stored).
    public var clusterId: String? = nil
    /// The host advertised to clients; `nil` advertises the listening host.
    public var advertisedHost: String? = nil
    /// Whether Metadata creates a topic it does not know when the client allows it
    /// (Kafka's `auto.create.topics.enable`; off by default here).
    public var autoCreateTopics: Bool = false
    /// Partitions of an auto-created topic, or of CreateTopics with -1 (`num.partitions`).
    public var defaultPartitions: Int32 = 1
    /// Broker-wide topic config defaults (Kafka's `log.*` settings in topic-config names,
    /// for example `["segment.bytes": "1048576", "flush.messages": "1"]`).
    public var topicDefaults: [String: String] = [:]
    /// TLS and SASL of the listener (plaintext without authentication by default).
    public var security = BrokerSecurity()
    /// The largest request frame accepted (`socket.request.max.bytes`).
    public var maxRequestSize: Int = 104_857_600
    /// How often retention and compaction run (`log.retention.check.interval.ms`), in ms.
    public var logCleanupIntervalMs: Int64 = 300_000
    /// Smallest and largest consumer session timeout accepted (`group.min/max.session.timeout.ms`).
    public var groupMinSessionTimeoutMs: Int32 = 6_000
    public var groupMaxSessionTimeoutMs: Int32 = 1_800_000
    /// How long the first rebalance of an empty group waits for more members (`group.initial.rebalance.delay.ms`).
    public var groupInitialRebalanceDelayMs: Int64 = 3_000
    /// The largest transaction timeout a producer may ask for (`transaction.max.timeout.ms`).
    public var transactionMaxTimeoutMs: Int32 = 900_000
    /// How often open transactions are checked for timeout, in ms.
    public var transactionAbortCheckIntervalMs: Int64 = 1_000

    /// Creates a config with the defaults.
    public init() {}
}
