/// A topic as ``KafkaAdmin/describeTopics(_:)`` reports it.
public struct TopicDescription: Sendable, Hashable {
    /// The topic name.
    public var name: String
    /// Whether the topic is internal (`__consumer_offsets`, `__transaction_state`).
    public var isInternal: Bool
    /// The partitions, ordered by index.
    public var partitions: [PartitionDescription]

    /// Creates a description.
    public init(name: String, isInternal: Bool, partitions: [PartitionDescription]) {
        self.name = name
        self.isInternal = isInternal
        self.partitions = partitions
    }
}

/// One partition of a ``TopicDescription``.
public struct PartitionDescription: Sendable, Hashable {
    /// The partition index.
    public var partition: Int32
    /// The leader's broker id; `nil` while the partition has no leader.
    public var leader: Int32?
    /// The leader epoch, if the broker reports it.
    public var leaderEpoch: Int32?
    /// The broker ids of all replicas, the preferred leader first.
    public var replicas: [Int32]
    /// The broker ids of the in-sync replicas.
    public var isr: [Int32]

    /// Creates a description.
    public init(partition: Int32, leader: Int32?, leaderEpoch: Int32?, replicas: [Int32], isr: [Int32]) {
        self.partition = partition
        self.leader = leader
        self.leaderEpoch = leaderEpoch
        self.replicas = replicas
        self.isr = isr
    }
}
