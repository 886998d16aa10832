import KafkaStreams

/// A record as it is on a topic in the test driver: key and value may be null (`nil`),
/// the timestamp may be left for the input topic to choose.
public struct TestRecord<Key, Value> {
    /// The key; `nil` is a null key.
    public var key: Key?
    /// The value; `nil` is a null value (a tombstone).
    public var value: Value?
    /// The timestamp in milliseconds; `nil` lets the input topic choose.
    public var timestamp: Int64?
    /// The headers.
    public var headers: Headers

    /// Creates a record.
    public init(key: Key?, value: Value?, timestamp: Int64? = nil, headers: Headers = Headers()) {
        self.key = key
        self.value = value
        self.timestamp = timestamp
        self.headers = headers
    }

    /// A record with a null key.
    public init(value: Value?, timestamp: Int64? = nil) {
        self.init(key: nil, value: value, timestamp: timestamp)
    }
}

extension TestRecord: Equatable where Key: Equatable, Value: Equatable {}
extension TestRecord: Sendable where Key: Sendable, Value: Sendable {}

extension TestRecord: CustomStringConvertible {
    /// `TestRecord[key=k, value=v, timestamp=t]`.
    public var description: String {
        "TestRecord[key=\(key.map { "\($0)" } ?? "null"), value=\(value.map { "\($0)" } ?? "null"), "
            + "timestamp=\(timestamp.map(String.init) ?? "null")\(headers.isEmpty ? "" : ", headers=\(Array(headers))")]"
    }
}
