import NIOCore

/// The store shared by the two processors of a left or outer stream–stream join: records
/// that found no partner yet, kept until their join window closes, when they are emitted
/// with a `nil` partner (Kafka Streams' "outer shared" store, since 3.1).
///
/// Entries are ordered as Kafka orders them: by timestamp, then side (the right side's
/// records first), then key bytes; one entry holds every record of that key, side and
/// timestamp, in arrival order. The store also keeps the join's time tracker: the largest
/// timestamp either side has seen, and the smallest timestamp held, which Kafka keeps in a
/// per-task object beside the store.
final class OuterJoinStore: StateStore {
    let name: String
    var persistent: Bool { false }
    private(set) var isOpen = false
    private var map = ByteOrderedMap()
    /// The join's stream time: the largest timestamp of the records either side received.
    var streamTime: Int64 = -1
    /// The smallest timestamp that may be held (`Int64.max` when none is).
    var minTime: Int64 = .max

    init(name: String) { self.name = name }

    func initialize(context: StateStoreContext) throws { isOpen = true }
    func flush() throws {}
    func close() throws {
        isOpen = false
        map.removeAll()
    }

    private func checkOpen() throws {
        guard isOpen else { throw StreamsError(.stateStore, "store \(name) is not open", context: .init(store: name)) }
    }

    /// The store key: 8-byte big-endian timestamp, a side byte (1: left), the key bytes.
    static func key(timestamp: Int64, isLeft: Bool, key: [UInt8]) -> [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(9 + key.count)
        let bits = UInt64(bitPattern: timestamp)
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
        bytes.append(isLeft ? 1 : 0)
        bytes.append(contentsOf: key)
        return bytes
    }

    /// Splits a store key into timestamp, side and key bytes.
    static func split(_ storeKey: [UInt8]) -> (timestamp: Int64, isLeft: Bool, key: ArraySlice<UInt8>) {
        var bits: UInt64 = 0
        for byte in storeKey.prefix(8) { bits = bits << 8 | UInt64(byte) }
        return (Int64(bitPattern: bits), storeKey.count > 8 && storeKey[8] == 1, storeKey.dropFirst(9))
    }

    /// Adds a record that found no partner.
    func append(_ storeKey: [UInt8], value: [UInt8]) throws {
        try checkOpen()
        var list = map.get(storeKey) ?? []
        let length = UInt32(value.count)
        for shift in stride(from: 24, through: 0, by: -8) { list.append(UInt8(truncatingIfNeeded: length >> UInt32(shift))) }
        list.append(contentsOf: value)
        _ = map.put(storeKey, list)
    }

    /// Removes every record held under the store key.
    func remove(_ storeKey: [UInt8]) throws {
        try checkOpen()
        _ = map.remove(storeKey)
    }

    /// Every entry in order, each with its records' values.
    func entries() throws -> [(key: [UInt8], values: [[UInt8]])] {
        try checkOpen()
        return map.entries().map { entry in
            var values: [[UInt8]] = []
            var index = entry.value.startIndex
            while index + 4 <= entry.value.endIndex {
                var length = 0
                for offset in 0..<4 { length = length << 8 | Int(entry.value[index + offset]) }
                index += 4
                let end = min(entry.value.endIndex, index + length)
                values.append(Array(entry.value[index..<end]))
                index = end
            }
            return (entry.key, values)
        }
    }
}
