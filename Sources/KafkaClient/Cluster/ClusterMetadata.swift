import KafkaProtocol

/// What the client knows of the cluster: its brokers, controller and topics, as of the
/// last Metadata response.
public struct ClusterMetadata: Sendable {
    /// Brokers by node id.
    public var brokers: [Int32: BrokerAddress] = [:]
    /// The controller's node id (-1 if unknown).
    public var controllerID: Int32 = -1
    /// The cluster id, if the broker reports one.
    public var clusterID: String?
    /// Topics by name.
    public var topics: [String: TopicMetadata] = [:]

    /// Creates empty metadata.
    public init() {}

    /// The partition's metadata, if known.
    public func partition(_ topic: String, _ partition: Int32) -> PartitionMetadata? {
        topics[topic]?.partitions.first { $0.id == partition }
    }
}

/// One topic as Metadata describes it.
public struct TopicMetadata: Sendable {
    /// The topic name.
    public var name: String
    /// The topic-level error (e.g. UNKNOWN_TOPIC_OR_PARTITION), `.none` if fine.
    public var error: KafkaErrorCode
    /// Whether it is an internal topic (`__consumer_offsets`, ...).
    public var isInternal: Bool
    /// Its partitions, by id.
    public var partitions: [PartitionMetadata]
}

/// One partition as Metadata describes it.
public struct PartitionMetadata: Sendable {
    /// The partition id.
    public var id: Int32
    /// The leader's node id (-1: no leader now).
    public var leader: Int32
    /// The leader epoch (-1 if the broker does not report it).
    public var leaderEpoch: Int32
    /// The replicas' node ids.
    public var replicas: [Int32]
    /// The in-sync replicas' node ids.
    public var isr: [Int32]
    /// The partition-level error, `.none` if fine.
    public var error: KafkaErrorCode
}

extension ClusterMetadata {
    /// Builds metadata from a response; with `merging`, topics not in the response keep
    /// what was known of them.
    init(_ response: MetadataResponse, merging previous: ClusterMetadata?) {
        var result = ClusterMetadata()
        for broker in response.brokers {
            result.brokers[broker.nodeId] = BrokerAddress(host: broker.host, port: Int(broker.port))
        }
        result.controllerID = response.controllerId
        result.clusterID = response.clusterId
        result.topics = previous?.topics ?? [:]
        for topic in response.topics {
            result.topics[topic.name] = TopicMetadata(
                name: topic.name, error: KafkaErrorCode(code: topic.errorCode), isInternal: topic.isInternal,
                partitions: topic.partitions.map { p in
                    PartitionMetadata(
                        id: p.partitionIndex, leader: p.leaderId, leaderEpoch: p.leaderEpoch, replicas: p.replicaNodes,
                        isr: p.isrNodes, error: KafkaErrorCode(code: p.errorCode))
                }.sorted { $0.id < $1.id })
        }
        self = result
    }
}
