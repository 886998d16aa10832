/// Where the record being processed came from: its source topic, partition and offset.
///
/// Records produced by a punctuation have no metadata (`ProcessorContext.recordMetadata`
/// is `nil` then), as in Kafka Streams.
public struct RecordMetadata: Sendable, Hashable {
    /// The source topic.
    public var topic: String
    /// The source partition.
    public var partition: Int32
    /// The offset of the record in its partition.
    public var offset: Int64

    /// Creates record metadata.
    public init(topic: String, partition: Int32, offset: Int64) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
    }
}
