/// Which offset ``KafkaAdmin/listOffsets(_:isolation:)`` looks up for a partition.
public enum OffsetSpec: Sendable, Hashable {
    /// The log start offset (the first offset still in the log).
    case earliest
    /// The log end offset (the offset the next record will get); with read-committed
    /// isolation, the last stable offset.
    case latest
    /// The offset of the record with the largest timestamp (ListOffsets v7+, Kafka 3.0+).
    case maxTimestamp
    /// The first offset whose record timestamp is at or after this time (milliseconds since
    /// 1970).
    case timestamp(Int64)

    /// The timestamp field of a ListOffsets request.
    var wireTimestamp: Int64 {
        switch self {
        case .earliest: -2
        case .latest: -1
        case .maxTimestamp: -3
        case .timestamp(let ms): ms
        }
    }
}

/// Which records a ListOffsets `latest` lookup counts (Kafka's `isolation.level`).
public enum IsolationLevel: Int8, Sendable, Hashable {
    /// Every record, including those of open transactions: `latest` is the high watermark.
    case readUncommitted = 0
    /// Only committed records: `latest` is the last stable offset.
    case readCommitted = 1
}

/// An offset ``KafkaAdmin/listOffsets(_:isolation:)`` found.
public struct ListedOffset: Sendable, Hashable {
    /// The offset; -1 when a `timestamp` lookup found no record at or after the time.
    public var offset: Int64
    /// The timestamp of the record at ``offset`` (timestamp and max-timestamp lookups);
    /// `nil` when the broker reports none (-1), as for earliest and latest.
    public var timestamp: Int64?
    /// The leader epoch of the record at ``offset``, if the broker reports it (v4+).
    public var leaderEpoch: Int32?

    /// Creates a result.
    public init(offset: Int64, timestamp: Int64?, leaderEpoch: Int32?) {
        self.offset = offset
        self.timestamp = timestamp
        self.leaderEpoch = leaderEpoch
    }
}
