import NIOCore

/// A record read from a record batch or legacy message set.
///
/// Key, value and headers are slices of the batch's bytes (or of its decompressed
/// records), so reading a record copies no payload and allocates nothing.
///
/// ```swift
/// var records = try batch.makeRecordIterator()
/// while let record = try records.next() {
///     print(record.offset, record.key.map { String(buffer: $0) } ?? "null")
/// }
/// ```
public struct BatchRecord: Sendable, Hashable {
    /// The record's offset in its partition.
    public var offset: Int64
    /// The timestamp in milliseconds since the epoch (-1 for none). For a batch with
    /// log-append time, the batch's max timestamp, as Kafka reads it.
    public var timestamp: Int64
    /// What ``timestamp`` means.
    public var timestampType: TimestampType
    /// The key; `nil` for a null key.
    public var key: ByteBuffer?
    /// The value; `nil` for a null value (a tombstone).
    public var value: ByteBuffer?
    /// The headers (always empty for legacy messages).
    public var headers: RecordHeaders

    /// Creates a record.
    public init(
        offset: Int64,
        timestamp: Int64,
        timestampType: TimestampType = .createTime,
        key: ByteBuffer?,
        value: ByteBuffer?,
        headers: RecordHeaders = .empty
    ) {
        self.offset = offset
        self.timestamp = timestamp
        self.timestampType = timestampType
        self.key = key
        self.value = value
        self.headers = headers
    }
}
