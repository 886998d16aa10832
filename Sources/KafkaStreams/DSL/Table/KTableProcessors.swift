// The processors behind KTable operators. Each receives `Change`s and forwards `Change`s;
// old values are forwarded only when `sendOldValues` was enabled downstream.

/// `builder.table` / `KStream.toTable`: keeps the latest value per key (in its store when
/// materialized) and forwards each update. Records with a null key are dropped and counted.
final class TableSourceProcessor<Key, Value>: Processor {
    typealias InKey = Key?
    typealias InValue = Value?
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

    func process(_ record: Record<Key?, Value?>) throws {
        guard let key = record.key else {
            context.task.dropRecord(reason: .nullKey, node: context.nodeName, message: "a table record has a null key")
            return
        }
        guard let store, let forwarder else {
            try context.forward(Record(key: key, value: Change(record.value, nil), timestamp: record.timestamp, headers: record.headers))
            return
        }
        let old = try store.get(key)
        if let old, record.timestamp < old.timestamp {
            context.task.logger.debug(
                "out-of-order table update for store \(store.name): old timestamp \(old.timestamp), new \(record.timestamp)")
        }
        forwarder.prepareWrite(timestamp: record.timestamp, headers: record.headers)
        try store.put(key, record.value.map { ValueAndTimestamp($0, timestamp: record.timestamp) })
        try forwarder.maybeForward(
            Record(key: key, value: Change(record.value, old?.value), timestamp: record.timestamp, headers: record.headers))
    }
}

/// `KTable.filter` / `filterNot` (and `mapValues` / `transformValues`): computes the new
/// row from the parent's change; materialized, it keeps the result and takes old values
/// from its own store, so a row that stops passing becomes a tombstone and a row that
/// never passed emits nothing.
final class TableMapProcessor<Key, Value, NewValue>: Processor {
    typealias OutKey = Key
    typealias OutValue = Change<NewValue>
    let compute: (Key, Value?) throws -> NewValue?
    let storeName: String?
    let sendOldValues: Bool
    let isFilter: Bool
    let initializer: ((ProcessorContext<Key, Change<NewValue>>) throws -> Void)?
    let closer: (() throws -> Void)?
    var context: ProcessorContext<Key, Change<NewValue>>!
    var store: MeteredKeyValueStore<Key, ValueAndTimestamp<NewValue>>?
    var forwarder: TimestampedTupleForwarder<Key, NewValue>?

    init(
        storeName: String?, sendOldValues: Bool, isFilter: Bool,
        initializer: ((ProcessorContext<Key, Change<NewValue>>) throws -> Void)? = nil, closer: (() throws -> Void)? = nil,
        compute: @escaping (Key, Value?) throws -> NewValue?
    ) {
        self.storeName = storeName
        self.sendOldValues = sendOldValues
        self.isFilter = isFilter
        self.initializer = initializer
        self.closer = closer
        self.compute = compute
    }

    func initialize(context: ProcessorContext<Key, Change<NewValue>>) throws {
        self.context = context
        try initializer?(context)
        if let storeName {
            let store: MeteredKeyValueStore<Key, ValueAndTimestamp<NewValue>> = try context.getStateStore(storeName)
            self.store = store
            forwarder = TimestampedTupleForwarder(store: store, context: context, sendOldValues: sendOldValues)
        }
    }

    func process(_ record: Record<Key, Change<Value>>) throws {
        let new = try compute(record.key, record.value.newValue)
        if let store, let forwarder {
            let old = try store.get(record.key)?.value
            if new == nil && old == nil && isFilter { return }
            forwarder.prepareWrite(timestamp: record.timestamp, headers: record.headers)
            try store.put(record.key, new.map { ValueAndTimestamp($0, timestamp: record.timestamp) })
            try forwarder.maybeForward(record.withValue(Change(new, old)))
            return
        }
        let old = sendOldValues ? try compute(record.key, record.value.oldValue) : nil
        if isFilter && sendOldValues && new == nil && old == nil { return }
        try context.forward(record.withValue(Change(new, old)))
    }

    func close() throws { try closer?() }
}

/// `KTable.toStream`: each update as a record whose value is the new row (`nil`: deleted).
final class TableToStreamProcessor<Key, Value, NewKey>: Processor {
    let mapKey: (Key, Value?) throws -> NewKey
    var context: ProcessorContext<NewKey, Value?>!

    init(_ mapKey: @escaping (Key, Value?) throws -> NewKey) { self.mapKey = mapKey }
    func initialize(context: ProcessorContext<NewKey, Value?>) { self.context = context }
    func process(_ record: Record<Key, Change<Value>>) throws {
        let value = record.value.newValue
        try context.forward(
            Record(key: try mapKey(record.key, value), value: value, timestamp: record.timestamp, headers: record.headers))
    }
}

/// Drops records whose key or value is null before an aggregation, counting each.
final class NullDropProcessor<Key, Value, OutKey, OutValue>: Processor {
    let unwrap: (Key, Value) -> (OutKey?, OutValue?)
    var context: ProcessorContext<OutKey, OutValue>!

    init(_ unwrap: @escaping (Key, Value) -> (OutKey?, OutValue?)) { self.unwrap = unwrap }
    func initialize(context: ProcessorContext<OutKey, OutValue>) { self.context = context }
    func process(_ record: Record<Key, Value>) throws {
        let (key, value) = unwrap(record.key, record.value)
        guard let key else {
            context.task.dropRecord(reason: .nullKey, node: context.nodeName, message: "null key in an aggregation input")
            return
        }
        guard let value else {
            context.task.dropRecord(reason: .nullValue, node: context.nodeName, message: "null value in an aggregation input")
            return
        }
        try context.forward(Record(key: key, value: value, timestamp: record.timestamp, headers: record.headers))
    }
}
