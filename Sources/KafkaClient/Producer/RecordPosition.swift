/// Where a produced record was written: what ``KafkaProducer/send(topic:partition:key:value:headers:timestamp:)``
/// returns once the broker has acknowledged it.
public struct RecordPosition: Sendable, Hashable, CustomStringConvertible {
    /// The topic.
    public var topic: String
    /// The partition.
    public var partition: Int32
    /// The record's offset in the partition; -1 when unknown (`acks=0`, or a retry the
    /// broker recognised as a duplicate of a batch already written).
    public var offset: Int64
    /// The record's timestamp: the one it was sent with, or the broker's append time when
    /// the topic uses `LogAppendTime`.
    public var timestamp: Int64

    /// Creates a position.
    public init(topic: String, partition: Int32, offset: Int64, timestamp: Int64) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.timestamp = timestamp
    }

    /// `topic-partition@offset`.
    public var description: String { "\(topic)-\(partition)@\(offset)" }
}

/// A batch of records the producer could not deliver, as reported to the
/// `onDeliveryFailure` handler of a ``KafkaProducer`` (records sent with
/// ``KafkaProducer/sendAndForget(topic:partition:key:value:headers:timestamp:)`` have no
/// other way to report it; records sent with `send` also throw).
public struct DeliveryFailure: Error, Sendable, CustomStringConvertible {
    /// The topic.
    public var topic: String
    /// The partition.
    public var partition: Int32
    /// How many records the failed batch held.
    public var recordCount: Int
    /// Why: a ``KafkaError`` from the broker or a ``KafkaClientError`` (`timeout` when
    /// `delivery.timeout.ms` passed, `closed`, ...).
    public var error: any Error

    /// Creates a failure report.
    public init(topic: String, partition: Int32, recordCount: Int, error: any Error) {
        self.topic = topic
        self.partition = partition
        self.recordCount = recordCount
        self.error = error
    }

    /// `N record(s) to topic-partition failed: error`.
    public var description: String { "\(recordCount) record(s) to \(topic)-\(partition) failed: \(error)" }
}

/// Counters of a producer's activity, for monitoring and tests.
public struct ProducerStatistics: Sendable, Hashable {
    /// Records accepted by `send` / `sendAndForget`.
    public var recordsSent: Int = 0
    /// Records acknowledged by the broker (or written, with `acks=0`).
    public var recordsDelivered: Int = 0
    /// Records whose delivery failed.
    public var recordsFailed: Int = 0
    /// Batches created.
    public var batches: Int = 0
    /// Produce requests sent.
    public var requests: Int = 0
    /// Batches sent again after a retriable error.
    public var retries: Int = 0
    /// Producer ids obtained with InitProducerId (the first, plus one per reset).
    public var producerIdInitializations: Int = 0
    /// Creates zeroed counters.
    public init() {}
}
