/// Kafka Streams' `KStreamJoinWindow` (`KSTREAM-WINDOWED-<n>`): forwards each record to its
/// side's join processor, then buffers it in its side's join window store, so the other
/// side's later records can find it. Forwarding first means a record never joins itself
/// in a self-join's first pass.
///
/// A record older than the store's retention (window size + grace behind the newest
/// record of this side) is still forwarded, but not buffered: it is counted and logged as
/// a `late-record` drop, as Kafka's window store counts an expired write.
final class StreamJoinWindowProcessor<Key, Value>: Processor {
    typealias OutKey = Key
    typealias OutValue = Value
    let storeName: String
    let nullKey = NullKeyCheck<Key>()
    var context: ProcessorContext<Key, Value>!
    var store: MeteredWindowStore<Key, Value>!
    var buffer: InMemoryJoinWindowStore?

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
        try store.put(record.key, record.value, windowStart: record.timestamp)
    }
}
