/// The right side's store of a foreign-key join: which left rows subscribe to each
/// foreign key (Kafka Streams' `KTABLE-FK-JOIN-SUBSCRIPTION-STATE-STORE-<n>`).
///
/// Keys are Kafka's combined-key layout, the foreign key's length (4 bytes, big-endian),
/// its bytes, then the primary key's bytes, so one prefix scan finds every subscriber of
/// a foreign key. Values are the subscription's timestamp (8 bytes) and value hash.
struct SubscriptionStore {
    let store: MeteredKeyValueStore<[UInt8], [UInt8]>

    static func prefix(_ foreignKey: [UInt8]) -> [UInt8] {
        let length = UInt32(foreignKey.count)
        return [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: length >> UInt32($0)) } + foreignKey
    }

    func put(foreignKey: [UInt8], primaryKey: [UInt8], timestamp: Int64, hash: UInt64?) throws {
        var value: [UInt8] = []
        value.reserveCapacity(17)
        let bits = UInt64(bitPattern: timestamp)
        for shift in stride(from: 56, through: 0, by: -8) { value.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
        value.append(hash == nil ? 0 : 1)
        for shift in stride(from: 56, through: 0, by: -8) {
            value.append(UInt8(truncatingIfNeeded: (hash ?? 0) >> UInt64(shift)))
        }
        try store.put(Self.prefix(foreignKey) + primaryKey, value)
    }

    func delete(foreignKey: [UInt8], primaryKey: [UInt8]) throws {
        try store.delete(Self.prefix(foreignKey) + primaryKey)
    }

    /// Every subscriber of the foreign key: primary key bytes, timestamp and hash.
    func subscribers(of foreignKey: [UInt8]) throws -> [(primaryKey: [UInt8], timestamp: Int64, hash: UInt64?)] {
        let prefix = Self.prefix(foreignKey)
        return try store.prefixScan(serializedPrefix: prefix).toArray().map { entry in
            func int(_ bytes: ArraySlice<UInt8>) -> UInt64 { bytes.reduce(0) { $0 << 8 | UInt64($1) } }
            let value = entry.value
            let timestamp = value.count >= 8 ? Int64(bitPattern: int(value[0..<8])) : 0
            let hash = value.count >= 17 && value[8] == 1 ? int(value[9..<17]) : nil
            return (Array(entry.key.dropFirst(prefix.count)), timestamp, hash)
        }
    }
}
