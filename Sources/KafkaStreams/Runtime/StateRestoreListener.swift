import KafkaClient

/// Callbacks about state restoration (Kafka Streams' `StateRestoreListener`): called on the
/// stream thread restoring, so keep them short.
///
/// ```swift
/// app.restoreListener = StateRestoreListener(onRestoreEnd: { store, partition, total in
///     print("restored \(total) records of \(store) from \(partition)")
/// })
/// ```
public struct StateRestoreListener: Sendable {
    /// A store begins restoring a changelog partition from `startOffset` up to `endOffset`.
    public var onRestoreStart: @Sendable (_ store: String, _ partition: TopicPartition, _ startOffset: Int64, _ endOffset: Int64) -> Void
    /// A batch of `count` records was written into the store, up to `batchEndOffset`.
    public var onBatchRestored: @Sendable (_ store: String, _ partition: TopicPartition, _ batchEndOffset: Int64, _ count: Int) -> Void
    /// The store caught up with the partition's end after `totalRestored` records.
    public var onRestoreEnd: @Sendable (_ store: String, _ partition: TopicPartition, _ totalRestored: Int) -> Void

    /// Creates a listener; callbacks not given do nothing.
    public init(
        onRestoreStart: @escaping @Sendable (String, TopicPartition, Int64, Int64) -> Void = { _, _, _, _ in },
        onBatchRestored: @escaping @Sendable (String, TopicPartition, Int64, Int) -> Void = { _, _, _, _ in },
        onRestoreEnd: @escaping @Sendable (String, TopicPartition, Int) -> Void = { _, _, _ in }
    ) {
        self.onRestoreStart = onRestoreStart
        self.onBatchRestored = onBatchRestored
        self.onRestoreEnd = onRestoreEnd
    }

    /// A listener that does nothing.
    public static let none = StateRestoreListener()
}
