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
import NIOCore

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
    /// The other side's bytes store, read directly (no iterator objects per record).
    var otherBuffer: InMemoryJoinWindowStore?
    private var scratch = ByteBuffer()

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
        otherBuffer = otherStore.inner as? InMemoryJoinWindowStore
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
        var matched = false
        var keyBytes: [UInt8]? = nil
        func emit(_ otherTimestamp: Int64, _ other: Other) throws {
            matched = true
            if let outer {
                let bytes = try keyBytes ?? serializedKey(record.key)
                keyBytes = bytes
                try outer.remove(OuterJoinStore.key(timestamp: otherTimestamp, isLeft: !side.isLeft, key: bytes))
            }
            try context.forward(
                Record(
                    key: record.key, value: try joined(record.key, record.value, other),
                    timestamp: max(timestamp, otherTimestamp),
                    headers: record.headers))
        }
        if let otherBuffer {
            let bytes = try serializedKey(record.key)
            keyBytes = bytes
            let serde = otherStore.serdes.value
            try otherBuffer.forEach(bytes, from: from, to: to) { otherTimestamp, value in
                try emit(otherTimestamp, try deserialize(value, serde, what: "value", store: side.otherStoreName))
            }
        } else {
            let matches = try otherStore.fetch(record.key, from: from, to: to)
            while let match = try matches.next() { try emit(match.key, match.value) }
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
        scratch.clear()
        do {
            guard try keySerde.serialize(key, into: &scratch) else {
                throw SerdeError("\(keySerde.name) serialized a join key to null")
            }
        } catch {
            throw StreamsError(
                .serialization, "could not serialize a join key for store \(side.otherStoreName)",
                context: .init(store: side.otherStoreName),
                cause: error)
        }
        return Array(scratch.readableBytesView)
    }

    private func serialized<T>(_ value: T, _ serde: Serde<T>) throws -> [UInt8]? {
        do { return try serde.serialize(value) } catch {
            throw StreamsError(
                .serialization, "could not serialize a record for store \(side.outerStoreName ?? "")",
                context: .init(store: side.outerStoreName), cause: error)
        }
    }

    private func deserialize<T>(_ bytes: [UInt8]?, _ serde: Serde<T>, what: String, store: String? = nil) throws -> T {
        let store = store ?? side.outerStoreName
        do { return try serde.deserialize(bytes) } catch {
            throw StreamsError(
                .deserialization, "could not read a \(what) of store \(store ?? "")", context: .init(store: store), cause: error)
        }
    }

}
