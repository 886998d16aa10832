/// Chooses a record's event time when a source reads it.
///
/// The extractor sees the deserialized record (its `timestamp` is the one the record had in
/// Kafka) and the partition time (the largest timestamp taken from that partition so far,
/// or -1). A negative result makes the source skip the record: logged, and counted in the
/// dropped-records metric.
public struct TimestampExtractor<Key, Value>: Sendable {
    /// Returns the event time for the record.
    public let extract: @Sendable (_ record: Record<Key, Value>, _ partitionTime: Int64) throws -> Int64

    /// Creates an extractor from a function.
    public init(_ extract: @escaping @Sendable (_ record: Record<Key, Value>, _ partitionTime: Int64) throws -> Int64) {
        self.extract = extract
    }

    /// The record's own timestamp; a negative one fails the task with
    /// ``StreamsError/Code-swift.struct/invalidTimestamp`` (Kafka's `FailOnInvalidTimestamp`,
    /// the default).
    public static var recordTimestamp: TimestampExtractor {
        TimestampExtractor { record, _ in
            guard record.timestamp >= 0 else {
                throw StreamsError(
                    .invalidTimestamp,
                    "record has negative timestamp \(record.timestamp); the producer wrote no valid "
                        + "event time. Use another TimestampExtractor (e.g. .logAndSkipOnInvalidTimestamp) "
                        + "to skip or repair such records")
            }
            return record.timestamp
        }
    }

    /// The record's own timestamp; a record with a negative one is skipped and logged
    /// (Kafka's `LogAndSkipOnInvalidTimestamp`).
    public static var logAndSkipOnInvalidTimestamp: TimestampExtractor {
        TimestampExtractor { record, _ in record.timestamp }
    }

    /// The record's own timestamp, or the partition time when it is negative (Kafka's
    /// `UsePartitionTimeOnInvalidTimestamp`); fails if there is no partition time yet.
    public static var usePartitionTimeOnInvalidTimestamp: TimestampExtractor {
        TimestampExtractor { record, partitionTime in
            if record.timestamp >= 0 { return record.timestamp }
            guard partitionTime >= 0 else {
                throw StreamsError(
                    .invalidTimestamp,
                    "record has negative timestamp \(record.timestamp) and the partition has no time yet")
            }
            return partitionTime
        }
    }
}
