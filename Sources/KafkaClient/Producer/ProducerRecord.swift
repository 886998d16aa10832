import KafkaProtocol
import NIOCore

/// A record to produce, for the batch form of
/// ``KafkaProducer/sendAndForget(_:)`` (one `await` for many records).
public struct ProducerRecord: Sendable {
    /// The topic.
    public var topic: String
    /// The partition; `nil` lets the producer's partitioner choose.
    public var partition: Int32?
    /// The key bytes; `nil` for a null key.
    public var key: ByteBuffer?
    /// The value bytes; `nil` for a null value (a tombstone).
    public var value: ByteBuffer?
    /// The headers.
    public var headers: RecordHeaders
    /// The timestamp in milliseconds since the epoch; `nil` for the current time.
    public var timestamp: Int64?

    /// Creates a record.
    public init(
        topic: String, partition: Int32? = nil, key: ByteBuffer?, value: ByteBuffer?, headers: RecordHeaders = .empty,
        timestamp: Int64? = nil
    ) {
        self.topic = topic
        self.partition = partition
        self.key = key
        self.value = value
        self.headers = headers
        self.timestamp = timestamp
    }
}
