/// A partition of a topic: the key of per-partition admin operations
/// (``KafkaAdmin/listOffsets(_:isolation:)``, ``KafkaAdmin/deleteRecords(_:)``).
public struct TopicPartition: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The topic name.
    public var topic: String
    /// The partition index (from 0).
    public var partition: Int32

    /// Creates a topic-partition.
    public init(_ topic: String, _ partition: Int32) {
        self.topic = topic
        self.partition = partition
    }

    /// Ordered by topic, then partition.
    public static func < (lhs: TopicPartition, rhs: TopicPartition) -> Bool {
        (lhs.topic, lhs.partition) < (rhs.topic, rhs.partition)
    }

    /// `topic-partition`, as Kafka writes it.
    public var description: String { "\(topic)-\(partition)" }
}
