/// One record made by an example's data generator: a topic, key and value bytes (as a
/// producer would send them) and a timestamp.
public struct GeneratedRecord: Hashable, Sendable {
    /// The topic to send it to.
    public var topic: String
    /// The key bytes (UTF-8), or `nil` for a null key.
    public var key: [UInt8]?
    /// The value bytes (JSON, or garbage for a malformed record), or `nil` for a tombstone.
    public var value: [UInt8]?
    /// The record timestamp, ms since the epoch.
    public var timestamp: Int64

    /// Creates a record.
    public init(topic: String, key: [UInt8]?, value: [UInt8]?, timestamp: Int64) {
        self.topic = topic
        self.key = key
        self.value = value
        self.timestamp = timestamp
    }
}
