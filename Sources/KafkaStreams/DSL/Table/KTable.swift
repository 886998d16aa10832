/// A changelog stream seen as a table: the latest value per key.
///
/// Every update forwards a change downstream; a `nil` value deletes the key (a tombstone).
/// Operators that are materialized keep their rows in a timestamped key-value store,
/// queryable by ``queryableStoreName``. See `docs/tables-and-streams.md`.
public struct KTable<Key, Value> {
    let builder: StreamsBuilder
    /// The name of the processor whose output this table is.
    public let name: String
    let keySerde: Serde<Key>?
    let valueSerde: Serde<Value>?
    let node: TableNode
    /// For a windowed aggregation's table: how long after a window's end it closes, which
    /// `suppress` needs (the grace; for sessions, gap + grace, as in Kafka Streams).
    var windowGraceMs: Int64? = nil
    /// How joins read an unmaterialized derived table (see ``lookup``); `nil`: from its store.
    var derivedLookup: TableLookup<Key, Value>? = nil

    /// The name of the store holding this table, if it was materialized with a name.
    public var queryableStoreName: String? { node.queryable ? node.storeName : nil }

    func derived<V>(_ name: String, value: Serde<V>?, node: TableNode) -> KTable<Key, V> {
        KTable<Key, V>(builder: builder, name: name, keySerde: keySerde, valueSerde: value, node: node, windowGraceMs: windowGraceMs)
    }

    /// Adds the store for a materialized operator and returns its name and node.
    func materialize<V>(
        _ materialized: Materialized<Key, V>?, storeName: String?, name: String, value: Serde<V>?, ownStore: Bool
    ) -> TableNode {
        let node = TableNode(
            name: name, parent: self.node, storeName: storeName, queryable: materialized?.storeName != nil,
            oldValuesFromOwnStore: storeName != nil && ownStore)
        if let materialized, let storeName {
            let keySerde = materialized.key ?? self.keySerde
            let valueSerde = materialized.value ?? value
            builder.addStore(named: storeName, owner: name) {
                let (k, v) = try KStream<Key, V>.requireSerdes(keySerde, valueSerde, node: name, purpose: "store \(storeName)")
                return materialized.storeBuilder(name: storeName, key: k, value: v).erased
            }
        }
        return node
    }

    private func mapping<V>(
        _ named: Named?, prefix: String, storePrefix: String, materialized: Materialized<Key, V>?, value: Serde<V>?,
        isFilter: Bool, stores: [String] = [], lookupCompute: (@Sendable (Key, Value) throws -> V?)? = nil,
        make: @escaping @Sendable (_ storeName: String?, _ sendOldValues: Bool) -> TableMapProcessor<Key, Value, V>
    ) -> KTable<Key, V> {
        let storeName = materialized.map { $0.storeName ?? builder.newStoreName(storePrefix) }
        let name = builder.name(named, prefix)
        let node = materialize(materialized, storeName: storeName, name: name, value: value, ownStore: true)
        let parent = self.name
        builder.add(name, parents: [parent]) { topology in
            let storeName = node.storeName
            let send = node.sendOldValues
            topology.addProcessor(name, parents: [parent], stores: stores + (storeName.map { [$0] } ?? [])) {
                make(storeName, send)
            }
        }
        var result = derived(name, value: materialized?.value ?? value, node: node)
        if materialized == nil, let lookupCompute { result.derivedLookup = lookup.mapped(lookupCompute) }
        return result
    }

    /// Keeps the rows for which `predicate` is true; other updates become deletes.
    ///
    /// Not materialized, every update that fails the predicate is forwarded as a tombstone
    /// (Kafka Streams' behaviour). Materialized, only a key that previously passed emits a
    /// tombstone. Processor name: `KTABLE-FILTER-<n>`.
    public func filter(
        named: Named? = nil, _ materialized: Materialized<Key, Value>? = nil,
        _ predicate: @escaping @Sendable (Key, Value) throws -> Bool
    ) -> KTable {
        filter(named: named, materialized, negate: false, predicate)
    }

    /// Drops the rows for which `predicate` is true; see ``filter(named:_:_:)``.
    public func filterNot(
        named: Named? = nil, _ materialized: Materialized<Key, Value>? = nil,
        _ predicate: @escaping @Sendable (Key, Value) throws -> Bool
    ) -> KTable {
        filter(named: named, materialized, negate: true, predicate)
    }

    private func filter(
        named: Named?, _ materialized: Materialized<Key, Value>?, negate: Bool,
        _ predicate: @escaping @Sendable (Key, Value) throws -> Bool
    ) -> KTable {
        mapping(
            named, prefix: "KTABLE-FILTER-", storePrefix: "KTABLE-FILTER-", materialized: materialized, value: valueSerde, isFilter: true,
            lookupCompute: { key, value in try predicate(key, value) != negate ? value : nil }
        ) { store, send in
            TableMapProcessor(storeName: store, sendOldValues: send, isFilter: true) { key, value in
                guard let value else { return nil }
                return try predicate(key, value) != negate ? value : nil
            }
        }
    }

    /// Maps each row's value (deleted rows stay deleted). Processor name: `KTABLE-MAPVALUES-<n>`.
    public func mapValues<NewValue>(
        named: Named? = nil, _ materialized: Materialized<Key, NewValue>? = nil,
        _ mapper: @escaping @Sendable (Key, Value) throws -> NewValue
    ) -> KTable<Key, NewValue> {
        mapping(
            named, prefix: "KTABLE-MAPVALUES-", storePrefix: "KTABLE-MAPVALUES-", materialized: materialized, value: nil, isFilter: false,
            lookupCompute: { key, value in try mapper(key, value) }
        ) { store, send in
            TableMapProcessor(storeName: store, sendOldValues: send, isFilter: false) { key, value in
                try value.map { try mapper(key, $0) }
            }
        }
    }

    /// Maps each row's value with a stateful transformer that may use stores (connected by
    /// name) and is called for deletes too (`nil` value). Processor name:
    /// `KTABLE-TRANSFORMVALUES-<n>`.
    public func transformValues<T: ValueTransformerWithKey>(
        named: Named? = nil, _ materialized: Materialized<Key, T.NewValue>? = nil, stores: [String] = [],
        _ supplier: @escaping @Sendable () -> T
    ) -> KTable<Key, T.NewValue> where T.Key == Key, T.Value == Value {
        mapping(
            named, prefix: "KTABLE-TRANSFORMVALUES-", storePrefix: "KTABLE-TRANSFORMVALUES-", materialized: materialized,
            value: nil, isFilter: false, stores: stores
        ) { store, send in
            let transformer = supplier()
            return TableMapProcessor(
                storeName: store, sendOldValues: send, isFilter: false,
                initializer: { context in
                    try transformer.initialize(
                        context: ProcessorContext<Void, Void>(
                            task: context.task, nodeName: context.nodeName, children: [],
                            connectedStores: context.connectedStores))
                }, closer: { try transformer.close() }
            ) { key, value in try transformer.transform(key: key, value: value) }
        }
    }

    /// The table's updates as a stream: one record per update, the value `nil` for a delete.
    /// Processor name: `KTABLE-TOSTREAM-<n>`.
    public func toStream(named: Named? = nil) -> KStream<Key, Value?> {
        let name = builder.name(named, "KTABLE-TOSTREAM-")
        let parent = self.name
        builder.add(name, parents: [parent]) { topology in
            topology.addProcessor(name, parents: [parent]) { TableToStreamProcessor<Key, Value, Key> { key, _ in key } }
        }
        return KStream(
            builder: builder, name: name, keySerde: keySerde, valueSerde: valueSerde.map { .optional($0) }, repartitionRequired: false)
    }

    /// The table's updates as a stream, re-keyed by `mapper` (always marks it for
    /// repartitioning, as the key may have changed).
    public func toStream<NewKey>(named: Named? = nil, _ mapper: @escaping @Sendable (Key, Value?) throws -> NewKey) -> KStream<NewKey, Value?> {
        let name = builder.name(named, "KTABLE-TOSTREAM-")
        let parent = self.name
        builder.add(name, parents: [parent]) { topology in
            topology.addProcessor(name, parents: [parent]) { TableToStreamProcessor<Key, Value, NewKey>(mapper) }
        }
        return KStream(
            builder: builder, name: name, keySerde: keySerde as? Serde<NewKey>, valueSerde: valueSerde.map { .optional($0) },
            repartitionRequired: true)
    }

    /// Groups rows by a new key (and value) for a table aggregation; always repartitions.
    ///
    /// An update of a row sends its old mapping to be subtracted from its old group and
    /// its new mapping to be added to its new group. Processor name: `KTABLE-SELECT-<n>`.
    public func groupBy<NewKey: Equatable, NewValue>(
        _ grouped: Grouped<NewKey, NewValue> = Grouped(),
        _ selector: @escaping @Sendable (Key, Value) throws -> (NewKey, NewValue)
    ) -> KGroupedTable<NewKey, NewValue> {
        let name = builder.name(nil, "KTABLE-SELECT-")
        let parent = self.name
        node.enableSendingOldValues()
        builder.add(name, parents: [parent]) { topology in
            topology.addProcessor(name, parents: [parent]) { TableRepartitionMapProcessor<Key, Value, NewKey, NewValue>(selector) }
        }
        return KGroupedTable(
            builder: builder, source: name, grouped: grouped, keySerde: grouped.key ?? (keySerde as? Serde<NewKey>),
            valueSerde: grouped.value ?? (valueSerde as? Serde<NewValue>))
    }
}

/// Maps table values with per-task state; see `KTable.transformValues`.
public protocol ValueTransformerWithKey<Key, Value, NewValue>: AnyObject {
    /// The table's key type.
    associatedtype Key
    /// The table's value type.
    associatedtype Value
    /// The result type.
    associatedtype NewValue

    /// Called once per task with a context for stores, punctuation and record metadata
    /// (it has no children: the result of ``transform(key:value:)`` is what is forwarded).
    /// - Throws: to fail the task.
    func initialize(context: ProcessorContext<Void, Void>) throws
    /// The new value for a row (`value` is `nil` for a delete; return `nil` to delete).
    /// - Throws: to fail the task.
    func transform(key: Key, value: Value?) throws -> NewValue?
    /// Called once when the task closes.
    func close() throws
}

extension ValueTransformerWithKey {
    /// Does nothing.
    public func initialize(context: ProcessorContext<Void, Void>) throws {}
    /// Does nothing.
    public func close() throws {}
}
