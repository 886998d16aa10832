/// One record of a changelog topic partition, as restoration reads it.
public struct ChangelogRecord: Sendable, Hashable {
    /// The record's offset in its partition.
    public var offset: Int64
    /// The key bytes.
    public var key: [UInt8]
    /// The value bytes; `nil` is a tombstone (the key was deleted).
    public var value: [UInt8]?
    /// The record timestamp (for timestamped stores, the value's timestamp).
    public var timestamp: Int64

    /// Creates a changelog record.
    public init(offset: Int64, key: [UInt8], value: [UInt8]?, timestamp: Int64) {
        self.offset = offset
        self.key = key
        self.value = value
        self.timestamp = timestamp
    }
}
