import KafkaProtocol
import NIOCore

/// A record returned by ``KafkaConsumer/poll(timeout:)``.
///
/// Keys, values and headers are slices of the fetch response (no copy).
public struct ConsumerRecord: Sendable {
    /// The topic.
    public var topic: String
    /// The partition.
    public var partition: Int32
    /// The record's offset in its partition.
    public var offset: Int64
    /// Milliseconds since the epoch: the producer's time, or the broker's with `LogAppendTime`.
    public var timestamp: Int64
    /// Whether ``timestamp`` is the create time or the log-append time.
    public var timestampType: TimestampType
    /// The key bytes (`nil`: null key).
    public var key: ByteBuffer?
    /// The value bytes (`nil`: null value, a tombstone).
    public var value: ByteBuffer?
    /// The headers.
    public var headers: RecordHeaders
    /// The leader epoch of the batch (-1 if unknown).
    public var leaderEpoch: Int32

    /// Creates a record.
    public init(
        topic: String, partition: Int32, offset: Int64, timestamp: Int64, timestampType: TimestampType = .createTime,
        key: ByteBuffer?, value: ByteBuffer?, headers: RecordHeaders = .empty, leaderEpoch: Int32 = -1
    ) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.timestamp = timestamp
        self.timestampType = timestampType
        self.key = key
        self.value = value
        self.headers = headers
        self.leaderEpoch = leaderEpoch
    }

    /// The record's topic-partition.
    public var topicPartition: TopicPartition { TopicPartition(topic, partition) }
}

/// An offset to commit, with optional metadata (Kafka's `OffsetAndMetadata`).
public struct OffsetAndMetadata: Sendable, Hashable {
    /// The next offset to consume (the last processed record's offset plus one).
    public var offset: Int64
    /// Free text kept with the offset.
    public var metadata: String?
    /// The leader epoch of the last consumed record (-1: unknown).
    public var leaderEpoch: Int32

    /// Creates an offset to commit.
    public init(_ offset: Int64, metadata: String? = nil, leaderEpoch: Int32 = -1) {
        self.offset = offset
        self.metadata = metadata
        self.leaderEpoch = leaderEpoch
    }
}

/// What a transactional producer needs of a consumer's group membership to commit offsets
/// in a transaction (``KafkaProducer/sendOffsetsToTransaction(_:group:)``): the group, and
/// the generation and member id, so that a zombie member's commit is fenced.
public struct ConsumerGroupMetadata: Sendable, Hashable {
    /// The group id.
    public var groupID: String
    /// The generation (-1 outside a group generation).
    public var generationID: Int32
    /// The member id ("" outside a group generation).
    public var memberID: String
    /// The static member id, if any.
    public var groupInstanceID: String?

    /// Creates group metadata; with only a group id, the commit is not fenced by generation.
    public init(groupID: String, generationID: Int32 = -1, memberID: String = "", groupInstanceID: String? = nil) {
        self.groupID = groupID
        self.generationID = generationID
        self.memberID = memberID
        self.groupInstanceID = groupInstanceID
    }
}
