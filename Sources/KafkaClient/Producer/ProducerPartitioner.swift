import NIOCore

/// How a ``KafkaProducer`` chooses the partition of a record sent without one.
///
/// An open set of strategies, chosen with ``ProducerConfig/partitioner`` or the
/// `partitioner.class` / `partitioner.ignore.keys` properties:
///
/// - ``default``: Java's built-in partitioner. A record with a key goes to
///   `(murmur2(key) & 0x7fffffff) % partitionCount` (``Murmur2``), the partition Java and
///   librdkafka's `murmur2_random` pick for the same key bytes. A record without a key goes
///   to the topic's *sticky* partition (KIP-480), which changes, at random among the
///   partitions that have a leader, each time the producer starts a new batch for it.
/// - ``uniformSticky``: sticky for every record, keys ignored (`partitioner.ignore.keys=true`).
/// - ``roundRobin``: Java's `RoundRobinPartitioner`: each record to the next partition
///   with a leader, keys ignored.
/// - ``custom(_:)``: a function of the topic, key and partition count.
///
/// A record sent with an explicit partition skips the partitioner.
public struct ProducerPartitioner: Sendable, CustomStringConvertible {
    enum Kind: Sendable {
        case `default`
        case uniformSticky
        case roundRobin
        case custom(@Sendable (_ topic: String, _ key: ByteBuffer?, _ partitionCount: Int32) -> Int32)
    }

    let kind: Kind

    /// Java's default: murmur2 of the key; sticky batches for records without a key.
    public static let `default` = ProducerPartitioner(kind: .default)
    /// Sticky batches for every record, keys ignored (`partitioner.ignore.keys=true`).
    public static let uniformSticky = ProducerPartitioner(kind: .uniformSticky)
    /// Each record to the next available partition (Java's `RoundRobinPartitioner`).
    public static let roundRobin = ProducerPartitioner(kind: .roundRobin)

    /// A custom partitioner. It must return a partition in `0..<partitionCount`; any other
    /// value fails the send with `recordRejected`.
    public static func custom(
        _ choose: @escaping @Sendable (_ topic: String, _ key: ByteBuffer?, _ partitionCount: Int32) -> Int32
    ) -> ProducerPartitioner {
        ProducerPartitioner(kind: .custom(choose))
    }

    /// `default`, `uniformSticky`, `roundRobin` or `custom`.
    public var description: String {
        switch kind {
        case .default: "default"
        case .uniformSticky: "uniformSticky"
        case .roundRobin: "roundRobin"
        case .custom: "custom"
        }
    }
}
