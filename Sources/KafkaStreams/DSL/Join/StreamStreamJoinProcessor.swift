/// One side of a stream–stream join (Kafka Streams' `KStreamKStreamJoin`, 3.1+ semantics):
/// `KSTREAM-JOINTHIS-<n>` / `KSTREAM-OUTERTHIS-<n>` for the left stream,
/// `KSTREAM-JOINOTHER-<n>` / `KSTREAM-OUTEROTHER-<n>` for the right.
///
/// For each record it looks up the other side's window store for records of the same key
/// within `[t - before, t + after]` (from this side's point of view) and forwards one
/// joined result per match, timestamped with the larger of the two timestamps. For an
/// outer side, a record without a match is held in the shared ``OuterJoinStore`` and
/// forwarded with a `nil` partner only once its window has closed (stream time past
/// `t + after + grace`), unless a later match removes it; a record whose window is
/// already closed when it arrives is forwarded at once.
final class StreamStreamJoinProcessor<Key, This, Other, Out>: Processor {
    typealias InKey = Key
    typealias InValue = This
    typealias OutKey = Key
    typealias OutValue = Out

    /// The join's parameters from this side's point of view.
    struct Side {
        let isLeft: Bool
        let otherStoreName: String
        let outerStoreName: String?
        /// How far back and forward this side looks, in ms.
        let beforeMs: Int64
        let afterMs: Int64
        let graceMs: Int64
        /// The windows' own bounds (the same for both sides).
        let windowsBeforeMs: Int64
        let windowsAfterMs: Int64
    }

    let side: Side
    let joined: (Key, This, Other) throws -> Out
    /// The result for a record of this side without a partner; `nil` if this side is inner.
    let thisOnly: ((Key, This) throws -> Out)?
    /// The result for a record of the other side without a partner (emitted from the shared
    /// store by whichever side sees stream time pass its window); `nil` if that side is inner.
    let otherOnly: ((Key, Other) throws -> Out)?
    let keySerde: Serde<Key>
    let thisSerde: Serde<This>
    let otherSerde: Serde<Other>
    let nullKey = NullKeyCheck<Key>()
    var context: ProcessorContext<Key, Out>!
    var otherStore: MeteredWindowStore<Key, Other>!
    var outer: OuterJoinStore?

    init(
        side: Side, keySerde: Serde<Key>, thisSerde: Serde<This>, otherSerde: Serde<Other>,
        joined: @escaping (Key, This, Other) throws -> Out, thisOnly: ((Key, This) throws -> Out)?,
        otherOnly: ((Key, Other) throws -> Out)?
    ) {
        self.side = side
        self.keySerde = keySerde
        self.thisSerde = thisSerde
        self.otherSerde = otherSerde
        self.joined = joined
        self.thisOnly = thisOnly
        self.otherOnly = otherOnly
    }

    func initialize(context: ProcessorContext<Key, Out>) throws {
        self.context = context
        otherStore = try context.getStateStore(side.otherStoreName)
        if let name = side.outerStoreName { outer = try context.getStateStore(name) }
    }

    func process(_ record: Record<Key, This>) throws {
        let timestamp = record.timestamp
        if let outer, timestamp > outer.streamTime { outer.streamTime = timestamp }
        if nullKey(record.key) {
            context.task.dropRecord(
                reason: .nullKey, node: context.nodeName, message: "a stream-stream join record has a null key")
            return
        }
        if let outer, timestamp == outer.streamTime { try emitClosed(outer, trigger: record) }

        let from = max(0, timestamp - side.beforeMs)
        let to = max(0, timestamp + side.afterMs)
        let matches = try otherStore.fetch(record.key, from: from, to: to)
        var matched = false
        var keyBytes: [UInt8]? = nil
        while let match = try matches.next() {
            matched = true
            if let outer {
                let bytes = try keyBytes ?? serializedKey(record.key)
                keyBytes = bytes
                try outer.remove(OuterJoinStore.key(timestamp: match.key, isLeft: !side.isLeft, key: bytes))
            }
            try context.forward(
                Record(
                    key: record.key, value: try joined(record.key, record.value, match.value),
                    timestamp: max(timestamp, match.key),
                    headers: record.headers))
        }
        guard !matched, let thisOnly else { return }
        guard let outer, to >= outer.streamTime else {
            try context.forward(record.withValue(try thisOnly(record.key, record.value)))
            return
        }
        outer.minTime = min(outer.minTime, timestamp)
        let bytes = try keyBytes ?? serializedKey(record.key)
        try outer.append(OuterJoinStore.key(timestamp: timestamp, isLeft: side.isLeft, key: bytes), value: held(record.value))
    }

    /// Emits, with a `nil` partner, every held record whose window has closed.
    private func emitClosed(_ outer: OuterJoinStore, trigger: Record<Key, This>) throws {
        if outer.minTime == .max || outer.minTime + side.afterMs + side.graceMs >= outer.streamTime { return }
        outer.minTime = .max
        var leftOpen = false
        var rightOpen = false
        var previous: [UInt8]? = nil
        for entry in try outer.entries() {
            if leftOpen && rightOpen { break }
            let (timestamp, isLeft, keySlice) = OuterJoinStore.split(entry.key)
            outer.minTime = timestamp
            let lookBack = isLeft ? side.windowsAfterMs : side.windowsBeforeMs
            if timestamp + lookBack + side.graceMs >= outer.streamTime {
                if isLeft { leftOpen = true } else { rightOpen = true }
                continue
            }
            let key = try deserialize(Array(keySlice), keySerde, what: "key")
            for bytes in entry.values {
                let value: Out
                if isLeft == side.isLeft {
                    guard let thisOnly else { continue }
                    value = try thisOnly(key, try unheld(bytes, thisSerde))
                } else {
                    guard let otherOnly else { continue }
                    value = try otherOnly(key, try unheld(bytes, otherSerde))
                }
                try context.forward(Record(key: key, value: value, timestamp: timestamp, headers: trigger.headers))
            }
            if let previous, previous != entry.key { try outer.remove(previous) }
            previous = entry.key
        }
        if let previous { try outer.remove(previous) }
    }

    /// A held value: a presence byte, then the serialized value (a `nil` of an optional
    /// value type serializes to no bytes).
    private func held(_ value: This) throws -> [UInt8] {
        guard let bytes = try serialized(value, thisSerde) else { return [0] }
        return [1] + bytes
    }

    private func unheld<T>(_ bytes: [UInt8], _ serde: Serde<T>) throws -> T {
        try deserialize(bytes.first == 1 ? Array(bytes.dropFirst()) : nil, serde, what: "value")
    }

    private func serializedKey(_ key: Key) throws -> [UInt8] {
        guard let bytes = try serialized(key, keySerde) else {
            throw StreamsError(
                .serialization, "\(keySerde.name) serialized a join key to null", context: .init(store: side.outerStoreName))
        }
        return bytes
    }

    private func serialized<T>(_ value: T, _ serde: Serde<T>) throws -> [UInt8]? {
        do { return try serde.serialize(value) } catch {
            throw StreamsError(
                .serialization, "could not serialize a record for store \(side.outerStoreName ?? "")",
                context: .init(store: side.outerStoreName), cause: error)
        }
    }

    private func deserialize<T>(_ bytes: [UInt8]?, _ serde: Serde<T>, what: String) throws -> T {
        do { return try serde.deserialize(bytes) } catch {
            throw StreamsError(
                .deserialization, "could not read a \(what) of store \(side.outerStoreName ?? "")",
                context: .init(store: side.outerStoreName),
                cause: error)
        }
    }
}
