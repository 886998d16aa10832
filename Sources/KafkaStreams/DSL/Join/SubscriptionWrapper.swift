import NIOCore

/// A subscription of a left-table row to a foreign key, sent on the subscription topic
/// keyed by the foreign key (Kafka Streams' `SubscriptionWrapper`).
///
/// It carries the hash of the left row's value when it was sent, so the response can be
/// discarded if the row changed since (responses may arrive out of order).
struct SubscriptionWrapper<PrimaryKey> {
    /// What the right side should do with the subscription.
    enum Instruction: UInt8 {
        /// Delete the subscription, then respond with no value (the left row is gone).
        case deleteKeyAndPropagate = 0
        /// Delete the subscription, respond nothing (the row moved to another foreign key).
        case deleteKeyNoPropagate = 1
        /// Store it and respond with the foreign row, or with none when there is no row.
        case propagateNullIfNoForeignValue = 2
        /// Store it and respond only when the foreign row exists.
        case propagateOnlyIfForeignValue = 3
    }

    /// The hash of the left value sent (`nil`: the row was deleted).
    let hash: UInt64?
    let instruction: Instruction
    let primaryKey: PrimaryKey

    /// The wire format (internal to one application): a version byte, the instruction, a
    /// hash-present byte and the 8-byte hash, then the primary key's bytes.
    static func serde(primaryKey: Serde<PrimaryKey>) -> Serde<SubscriptionWrapper> {
        Serde(
            name: "SubscriptionWrapper<\(primaryKey.name)>",
            serialize: { wrapper, buffer in
                buffer.writeInteger(UInt8(0))
                buffer.writeInteger(wrapper.instruction.rawValue)
                buffer.writeInteger(UInt8(wrapper.hash == nil ? 0 : 1))
                buffer.writeInteger(wrapper.hash ?? 0)
                guard try primaryKey.serialize(wrapper.primaryKey, into: &buffer) else {
                    throw SerdeError("\(primaryKey.name) serialized a primary key to null")
                }
            },
            deserialize: { buffer in
                guard buffer.readInteger(as: UInt8.self) == 0, let raw = buffer.readInteger(as: UInt8.self),
                    let instruction = Instruction(rawValue: raw), let hasHash = buffer.readInteger(as: UInt8.self),
                    let hash = buffer.readInteger(as: UInt64.self)
                else { throw SerdeError("SubscriptionWrapper: truncated or unknown version") }
                let key = try primaryKey.deserialize(buffer)
                return SubscriptionWrapper(hash: hasHash == 1 ? hash : nil, instruction: instruction, primaryKey: key)
            })
    }
}

/// The 64-bit FNV-1a hash of a value's serialized bytes: what a foreign-key join compares
/// to recognize a response to an outdated version of a row. Kafka Streams uses a 128-bit
/// murmur3 hash for the same purpose; the format here is internal to one application.
func valueHash(_ bytes: [UInt8]?) -> UInt64? {
    guard let bytes else { return nil }
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes {
        hash ^= UInt64(byte)
        hash = hash &* 0x100_0000_01b3
    }
    return hash
}
