/// Kafka Streams' `KStreamJoinWindow` (`KSTREAM-WINDOWED-<n>`): forwards each record to its
/// side's join processor, then buffers it in its side's join window store, so the other
/// side's later records can find it. Forwarding first means a record never joins itself
/// in a self-join's first pass.
///
/// A record older than the store's retention (window size + grace behind the newest
/// record of this side) is still forwarded, but not buffered: it is counted and logged as
/// a `late-record` drop, as Kafka's window store counts an expired write.
import NIOCore

final class StreamJoinWindowProcessor<Key, Value>: Processor {
    typealias OutKey = Key
    typealias OutValue = Value
    let storeName: String
    let nullKey = NullKeyCheck<Key>()
    var context: ProcessorContext<Key, Value>!
    var store: MeteredWindowStore<Key, Value>!
    var buffer: InMemoryJoinWindowStore?
    private var scratch = ByteBuffer()

    init(storeName: String) { self.storeName = storeName }

    func initialize(context: ProcessorContext<Key, Value>) throws {
        self.context = context
        store = try context.getStateStore(storeName)
        buffer = store.inner as? InMemoryJoinWindowStore
    }

    func process(_ record: Record<Key, Value>) throws {
        try context.forward(record)
        if nullKey(record.key) { return }
        if let buffer, buffer.isExpired(record.timestamp) {
            context.task.dropRecord(
                reason: .lateRecord, node: context.nodeName,
                message:
                    "record at \(record.timestamp) is past the join window's retention (\(buffer.retentionMs) ms) in \(storeName)"
            )
            return
        }
        guard let buffer else {
            try store.put(record.key, record.value, windowStart: record.timestamp)
            return
        }
        // The bytes store directly, serializing through one reused buffer.
        let serdes = store.serdes
        let key: [UInt8]
        let value: [UInt8]
        do {
            scratch.clear()
            guard try serdes.key.serialize(record.key, into: &scratch) else {
                throw SerdeError("\(serdes.key.name) serialized a key to null")
            }
            key = Array(scratch.readableBytesView)
            scratch.clear()
            guard try serdes.value.serialize(record.value, into: &scratch) else { return }  // a null value cannot be joined
            value = Array(scratch.readableBytesView)
        } catch {
            throw StreamsError(
                .serialization, "could not serialize a record for store \(storeName)", context: .init(store: storeName),
                cause: error)
        }
        try buffer.put(key, value, windowStart: record.timestamp)
    }
}
