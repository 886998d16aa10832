/// What a record's timestamp means: set by the producer, or by the broker on append.
///
/// ```swift
/// batch.attributes.timestampType == .logAppendTime
/// ```
public struct TimestampType: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    /// Kafka's id: -1 no timestamp, 0 create time, 1 log-append time.
    public var rawValue: Int8

    /// Creates a timestamp type from its id.
    @inlinable public init(rawValue: Int8) { self.rawValue = rawValue }

    /// No timestamp: legacy messages of magic 0 (the timestamp reads as -1).
    public static let noTimestamp = TimestampType(rawValue: -1)
    /// The producer's timestamp (`CreateTime`).
    public static let createTime = TimestampType(rawValue: 0)
    /// The time the broker appended the batch (`LogAppendTime`).
    public static let logAppendTime = TimestampType(rawValue: 1)

    /// Kafka's name: `NoTimestampType`, `CreateTime`, `LogAppendTime`.
    public var description: String {
        switch rawValue {
        case 0: "CreateTime"
        case 1: "LogAppendTime"
        default: "NoTimestampType"
        }
    }
}
