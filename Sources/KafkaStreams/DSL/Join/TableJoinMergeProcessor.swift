/// The output of a table–table join, `KTABLE-MERGE-<n>` (Kafka Streams'
/// `KTableKTableJoinMerger`): passes both sides' result changes on; when the join is
/// materialized, writes each result row to the store first (and, with caching, forwards
/// on flush as every materialized table does).
final class TableJoinMergeProcessor<Key, Value>: Processor {
    typealias InKey = Key
    typealias InValue = Change<Value>
    typealias OutKey = Key
    typealias OutValue = Change<Value>
    let storeName: String?
    let sendOldValues: Bool
    var context: ProcessorContext<Key, Change<Value>>!
    var store: MeteredKeyValueStore<Key, ValueAndTimestamp<Value>>?
    var forwarder: TimestampedTupleForwarder<Key, Value>?

    init(storeName: String?, sendOldValues: Bool) {
        self.storeName = storeName
        self.sendOldValues = sendOldValues
    }

    func initialize(context: ProcessorContext<Key, Change<Value>>) throws {
        self.context = context
        if let storeName {
            let store: MeteredKeyValueStore<Key, ValueAndTimestamp<Value>> = try context.getStateStore(storeName)
            self.store = store
            forwarder = TimestampedTupleForwarder(store: store, context: context, sendOldValues: sendOldValues)
        }
    }

    func process(_ record: Record<Key, Change<Value>>) throws {
        guard let store, let forwarder else {
            try context.forward(sendOldValues ? record : record.withValue(Change(record.value.newValue, nil)))
            return
        }
        forwarder.prepareWrite(timestamp: record.timestamp, headers: record.headers)
        try store.put(record.key, record.value.newValue.map { ValueAndTimestamp($0, timestamp: record.timestamp) })
        try forwarder.maybeForward(record)
    }
}
