/// Forwards a table operator's changes, either at once or, when its store caches, when
/// the cache flushes (on commit or eviction) with the value the flushed write replaced.
///
/// Kafka Streams' `TimestampedTupleForwarder`: operators always call ``maybeForward(_:)``
/// after writing their store; with a caching store that call does nothing and the flush
/// listener forwards instead.
final class TimestampedTupleForwarder<Key, Value> {
    let context: ProcessorContext<Key, Change<Value>>
    let caching: CachingKeyValueStore?
    let sendOldValues: Bool

    init(
        store: MeteredKeyValueStore<Key, ValueAndTimestamp<Value>>, context: ProcessorContext<Key, Change<Value>>,
        sendOldValues: Bool
    ) {
        self.context = context
        self.sendOldValues = sendOldValues
        let caching = store.inner as? CachingKeyValueStore
        self.caching = caching
        guard let caching, caching.cache.map({ $0.maxBytes > 0 }) ?? false else { return }
        caching.readsOldValues = sendOldValues
        caching.flushListener = { [context] flushed in
            let key = try store.decodeKey(flushed.key)
            let new = try flushed.newValue.map { try store.valueSerde.deserialize($0).value }
            let old = sendOldValues ? try flushed.oldValue.map { try store.valueSerde.deserialize($0).value } : nil
            try context.forward(
                Record(key: key, value: Change(new, old), timestamp: flushed.timestamp, headers: flushed.headers))
        }
    }

    /// Whether changes go through the cache rather than straight downstream.
    var isCaching: Bool { caching?.flushListener != nil }

    /// Tells the cache the timestamp and headers of the write about to happen.
    func prepareWrite(timestamp: Int64, headers: Headers) {
        caching?.currentTimestamp = timestamp
        caching?.currentHeaders = headers
    }

    /// Forwards the change now unless the cache will.
    func maybeForward(_ record: Record<Key, Change<Value>>) throws {
        if isCaching { return }
        var record = record
        if !sendOldValues { record.value.oldValue = nil }
        try context.forward(record)
    }
}
