import KafkaProtocol
import Logging
import NIOCore
import NIOPosix

/// Kafka's admin operations: create, delete and describe topics, add partitions, describe
/// the cluster, read and change configurations, look up offsets, delete records.
///
/// Each request goes where Kafka wants it: topic creation and deletion and partition
/// creation to the controller, offset lookups and record deletion to each partition's
/// leader (one request per broker, sent in parallel), the rest to any broker. Versions are
/// the highest both sides support. Retriable failures (NOT_CONTROLLER,
/// NOT_LEADER_OR_FOLLOWER, LEADER_NOT_AVAILABLE and Kafka's other retriable codes, a lost
/// connection, a request timeout) are retried after refreshing metadata, with backoff, for at
/// most ``AdminConfig/defaultApiTimeout``; then the operation throws ``KafkaClientError``
/// `timeout` with the last failure as its cause. Other per-topic or per-partition error
/// codes are thrown as ``KafkaError`` naming the topic (and partition).
///
/// ```swift
/// let admin = KafkaAdmin(config: try AdminConfig(bootstrapServers: "localhost:9092"))
/// try await admin.createTopics([NewTopic("orders", partitions: 6, replicationFactor: 3,
///                                        configs: ["cleanup.policy": "compact"])], ifNotExists: true)
/// let end = try await admin.listOffsets([TopicPartition("orders", 0): .latest])
/// await admin.close()
/// ```
///
/// Operations on several topics or partitions throw the first failure (in key order); the
/// other items may have succeeded.
public final class KafkaAdmin: Sendable {
    /// The cluster view requests go through.
    public let cluster: KafkaCluster
    /// The configuration.
    public let config: AdminConfig
    private let ownsCluster: Bool

    /// Creates an admin client with its own connections; nothing connects until it is used.
    public init(
        config: AdminConfig, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "kafka-admin")
    ) {
        self.config = config
        self.cluster = KafkaCluster(config: config.client, group: group, logger: logger)
        self.ownsCluster = true
    }

    /// Creates an admin client over an existing cluster view (sharing its connections and
    /// metadata with a producer or consumer). ``close()`` then leaves the cluster open.
    ///
    /// - Parameters:
    ///   - cluster: the cluster view; its ``ClientConfig`` applies.
    ///   - defaultApiTimeout: `default.api.timeout.ms`, see ``AdminConfig/defaultApiTimeout``.
    ///   - retryBackoffMax: `retry.backoff.max.ms`, see ``AdminConfig/retryBackoffMax``.
    public init(cluster: KafkaCluster, defaultApiTimeout: Duration = .seconds(60), retryBackoffMax: Duration = .seconds(1)) {
        var config = AdminConfig(client: cluster.config)
        config.defaultApiTimeout = defaultApiTimeout
        config.retryBackoffMax = retryBackoffMax
        self.config = config
        self.cluster = cluster
        self.ownsCluster = false
    }

    /// Closes the connections if this client opened them (``init(config:group:logger:)``);
    /// further operations fail with ``KafkaClientError`` `closed`. An admin client made over
    /// an existing cluster leaves it open.
    public func close() async {
        if ownsCluster { await cluster.close() }
    }
}
