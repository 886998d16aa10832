/// `KGroupedStream.aggregate` / `reduce` / `count` and each input of a cogroup: folds each
/// record into the aggregate of its key. The result's timestamp is the larger of the
/// record's and the previous aggregate's.
final class StreamAggregateProcessor<Key, Value, Aggregate>: Processor {
    typealias OutKey = Key
    typealias OutValue = Change<Aggregate>
    let storeName: String
    let sendOldValues: Bool
    /// The first aggregate of a key from its first value.
    let first: (Key, Value) throws -> Aggregate
    /// The next aggregate from a value and the current aggregate.
    let fold: (Key, Value, Aggregate) throws -> Aggregate
    var store: MeteredKeyValueStore<Key, ValueAndTimestamp<Aggregate>>!
    var forwarder: TimestampedTupleForwarder<Key, Aggregate>!

    init(
        storeName: String, sendOldValues: Bool, first: @escaping (Key, Value) throws -> Aggregate,
        fold: @escaping (Key, Value, Aggregate) throws -> Aggregate
    ) {
        self.storeName = storeName
        self.sendOldValues = sendOldValues
        self.first = first
        self.fold = fold
    }

    func initialize(context: ProcessorContext<Key, Change<Aggregate>>) throws {
        store = try context.getStateStore(storeName)
        forwarder = TimestampedTupleForwarder(store: store, context: context, sendOldValues: sendOldValues)
    }

    func process(_ record: Record<Key, Value>) throws {
        let old = try store.get(record.key)
        let new: Aggregate
        var timestamp = record.timestamp
        if let old {
            new = try fold(record.key, record.value, old.value)
            timestamp = max(timestamp, old.timestamp)
        } else {
            new = try first(record.key, record.value)
        }
        forwarder.prepareWrite(timestamp: timestamp, headers: record.headers)
        try store.put(record.key, ValueAndTimestamp(new, timestamp: timestamp))
        try forwarder.maybeForward(Record(key: record.key, value: Change(new, old?.value), timestamp: timestamp, headers: record.headers))
    }
}

/// `KGroupedTable.aggregate` / `reduce` / `count`: subtracts a row's old value from its
/// old group and adds its new value to its new group. A `remove` that returns `nil`
/// deletes the group (forwarded as a tombstone); the public operators' subtractors return
/// values, so their groups stay (a count goes to 0), as in Kafka Streams.
final class TableAggregateProcessor<Key, Value, Aggregate>: Processor {
    typealias OutKey = Key
    typealias OutValue = Change<Aggregate>
    let storeName: String
    let sendOldValues: Bool
    /// Adds a value to the current aggregate (`nil`: the group has none yet).
    let add: (Key, Value, Aggregate?) throws -> Aggregate
    /// Removes a value from the current aggregate; `nil` deletes the group.
    let remove: (Key, Value, Aggregate) throws -> Aggregate?
    var store: MeteredKeyValueStore<Key, ValueAndTimestamp<Aggregate>>!
    var forwarder: TimestampedTupleForwarder<Key, Aggregate>!

    init(
        storeName: String, sendOldValues: Bool, add: @escaping (Key, Value, Aggregate?) throws -> Aggregate,
        remove: @escaping (Key, Value, Aggregate) throws -> Aggregate?
    ) {
        self.storeName = storeName
        self.sendOldValues = sendOldValues
        self.add = add
        self.remove = remove
    }

    func initialize(context: ProcessorContext<Key, Change<Aggregate>>) throws {
        store = try context.getStateStore(storeName)
        forwarder = TimestampedTupleForwarder(store: store, context: context, sendOldValues: sendOldValues)
    }

    func process(_ record: Record<Key, Change<Value>>) throws {
        let old = try store.get(record.key)
        var timestamp = record.timestamp
        var aggregate = old?.value
        if let removed = record.value.oldValue, let current = aggregate {
            aggregate = try remove(record.key, removed, current)
            timestamp = max(timestamp, old?.timestamp ?? timestamp)
        }
        if let added = record.value.newValue {
            aggregate = try add(record.key, added, aggregate)
            if let old { timestamp = max(timestamp, old.timestamp) }
        }
        if aggregate == nil && old == nil { return }
        forwarder.prepareWrite(timestamp: timestamp, headers: record.headers)
        try store.put(record.key, aggregate.map { ValueAndTimestamp($0, timestamp: timestamp) })
        try forwarder.maybeForward(Record(key: record.key, value: Change(aggregate, old?.value), timestamp: timestamp, headers: record.headers))
    }
}

/// `KTable.groupBy`: maps each row to its new key and value and sends the old row's
/// mapping as a subtraction and the new row's as an addition (one change when both map
/// to the same key).
final class TableRepartitionMapProcessor<Key, Value, NewKey: Equatable, NewValue>: Processor {
    typealias OutKey = NewKey
    typealias OutValue = Change<NewValue>
    let selector: (Key, Value) throws -> (NewKey, NewValue)
    var context: ProcessorContext<NewKey, Change<NewValue>>!

    init(_ selector: @escaping (Key, Value) throws -> (NewKey, NewValue)) { self.selector = selector }
    func initialize(context: ProcessorContext<NewKey, Change<NewValue>>) { self.context = context }

    func process(_ record: Record<Key, Change<Value>>) throws {
        let new = try record.value.newValue.map { try selector(record.key, $0) }
        let old = try record.value.oldValue.map { try selector(record.key, $0) }
        if let new, let old, new.0 == old.0 {
            try context.forward(Record(key: new.0, value: Change(new.1, old.1), timestamp: record.timestamp, headers: record.headers))
            return
        }
        if let old {
            try context.forward(Record(key: old.0, value: Change(nil, old.1), timestamp: record.timestamp, headers: record.headers))
        }
        if let new {
            try context.forward(Record(key: new.0, value: Change(new.1, nil), timestamp: record.timestamp, headers: record.headers))
        }
    }
}
