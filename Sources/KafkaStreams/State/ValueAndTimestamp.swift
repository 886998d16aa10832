import NIOCore

/// A value with the timestamp of the record that last wrote it: what timestamped stores
/// (every DSL table store) keep per key.
public struct ValueAndTimestamp<Value> {
    /// The value.
    public var value: Value
    /// The timestamp of the record that wrote it.
    public var timestamp: Int64

    /// Creates a value with its timestamp.
    @inlinable public init(_ value: Value, timestamp: Int64) {
        self.value = value
        self.timestamp = timestamp
    }
}

extension ValueAndTimestamp: Sendable where Value: Sendable {}
extension ValueAndTimestamp: Equatable where Value: Equatable {}
extension ValueAndTimestamp: Hashable where Value: Hashable {}

extension Serde {
    /// Kafka Streams' timestamped value format: the 8-byte big-endian timestamp followed by
    /// the value's bytes.
    public static func valueAndTimestamp<Wrapped>(_ value: Serde<Wrapped>) -> Serde<ValueAndTimestamp<Wrapped>>
    where Value == ValueAndTimestamp<Wrapped> {
        Serde<ValueAndTimestamp<Wrapped>>(
            name: "ValueAndTimestamp<\(value.name)>",
            serialize: { item, buffer in
                buffer.writeInteger(item.timestamp, endianness: .big)
                guard try value.serialize(item.value, into: &buffer) else {
                    throw SerdeError("ValueAndTimestamp: \(value.name) serialized the value to null")
                }
            },
            deserialize: { buffer in
                guard let timestamp = buffer.readInteger(endianness: .big, as: Int64.self) else {
                    throw SerdeError("ValueAndTimestamp needs at least 8 bytes, got \(buffer.readableBytes)")
                }
                return ValueAndTimestamp(try value.deserialize(buffer), timestamp: timestamp)
            })
    }
}
