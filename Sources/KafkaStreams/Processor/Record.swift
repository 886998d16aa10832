/// A record flowing through a topology: key, value, event timestamp and headers.
///
/// Records cross the topology as typed Swift values; bytes appear only at sources, sinks
/// and stores. Key and value types are whatever the topology says: declare them optional
/// (`String?`) where a null key or value must be representable.
///
/// ```swift
/// let r = Record(key: "card-1", value: 42.0, timestamp: 1_000)
/// let doubled = r.withValue(r.value * 2)
/// ```
public struct Record<Key, Value> {
    /// The record key.
    public var key: Key
    /// The record value.
    public var value: Value
    /// The event time in milliseconds since the Unix epoch.
    public var timestamp: Int64
    /// The record headers.
    public var headers: Headers

    /// Creates a record.
    @inlinable
    public init(key: Key, value: Value, timestamp: Int64, headers: Headers = Headers()) {
        self.key = key
        self.value = value
        self.timestamp = timestamp
        self.headers = headers
    }

    /// A copy of this record with another key (and possibly another key type).
    @inlinable
    public func withKey<NewKey>(_ key: NewKey) -> Record<NewKey, Value> {
        Record<NewKey, Value>(key: key, value: value, timestamp: timestamp, headers: headers)
    }

    /// A copy of this record with another value (and possibly another value type).
    @inlinable
    public func withValue<NewValue>(_ value: NewValue) -> Record<Key, NewValue> {
        Record<Key, NewValue>(key: key, value: value, timestamp: timestamp, headers: headers)
    }

    /// A copy of this record with another timestamp.
    @inlinable
    public func withTimestamp(_ timestamp: Int64) -> Record<Key, Value> {
        Record(key: key, value: value, timestamp: timestamp, headers: headers)
    }

    /// A copy of this record with other headers.
    @inlinable
    public func withHeaders(_ headers: Headers) -> Record<Key, Value> {
        Record(key: key, value: value, timestamp: timestamp, headers: headers)
    }
}

extension Record: Sendable where Key: Sendable, Value: Sendable {}
extension Record: Equatable where Key: Equatable, Value: Equatable {}
extension Record: Hashable where Key: Hashable, Value: Hashable {}

extension Record: CustomStringConvertible {
    /// `Record(key: k, value: v, timestamp: t)`.
    public var description: String {
        "Record(key: \(key), value: \(value), timestamp: \(timestamp)\(headers.isEmpty ? "" : ", headers: \(Array(headers))"))"
    }
}
