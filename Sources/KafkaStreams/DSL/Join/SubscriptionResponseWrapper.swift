import NIOCore

/// The right side's answer to a subscription, sent on the response topic keyed by the
/// left row's primary key (Kafka Streams' `SubscriptionResponseWrapper`): the hash of the
/// left value it answers, and the foreign row (`nil`: none).
struct SubscriptionResponseWrapper<ForeignValue> {
    let hash: UInt64?
    let foreignValue: ForeignValue?

    /// The wire format (internal to one application): a version byte, a hash-present byte
    /// and the 8-byte hash, a value-present byte, then the foreign value's bytes.
    static func serde(foreignValue: Serde<ForeignValue>) -> Serde<SubscriptionResponseWrapper> {
        Serde(
            name: "SubscriptionResponseWrapper<\(foreignValue.name)>",
            serialize: { response, buffer in
                buffer.writeInteger(UInt8(0))
                buffer.writeInteger(UInt8(response.hash == nil ? 0 : 1))
                buffer.writeInteger(response.hash ?? 0)
                let flagAt = buffer.writerIndex
                buffer.writeInteger(UInt8(0))
                if let value = response.foreignValue, try foreignValue.serialize(value, into: &buffer) {
                    buffer.setInteger(UInt8(1), at: flagAt)
                }
            },
            deserialize: { buffer in
                guard buffer.readInteger(as: UInt8.self) == 0, let hasHash = buffer.readInteger(as: UInt8.self),
                    let hash = buffer.readInteger(as: UInt64.self), let hasValue = buffer.readInteger(as: UInt8.self)
                else { throw SerdeError("SubscriptionResponseWrapper: truncated or unknown version") }
                let value = hasValue == 1 ? try foreignValue.deserialize(buffer) : nil
                return SubscriptionResponseWrapper(hash: hasHash == 1 ? hash : nil, foreignValue: value)
            })
    }
}
