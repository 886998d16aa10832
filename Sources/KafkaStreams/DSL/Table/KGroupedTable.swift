/// A table re-grouped by a new key, ready for `count`, `reduce` or `aggregate` with an
/// adder and a subtractor.
///
/// Each update of a source row arrives as a subtraction of its old value from its old
/// group and an addition of its new value to its new group, so the aggregates stay exact
/// when rows change or move between groups.
public struct KGroupedTable<Key, Value> {
    let builder: StreamsBuilder
    /// The `KTABLE-SELECT` node that re-keys the rows.
    let source: String
    let grouped: Grouped<Key, Value>
    let keySerde: Serde<Key>?
    let valueSerde: Serde<Value>?

    func aggregateNode<A>(
        _ named: Named?, prefix: String, _ materialized: Materialized<Key, A>, defaultValue: Serde<A>?,
        add: @escaping @Sendable (Key, Value, A?) throws -> A, remove: @escaping @Sendable (Key, Value, A) throws -> A?
    ) -> KTable<Key, A> {
        let storeName = materialized.storeName ?? builder.newStoreName(prefix)
        let name = builder.name(named, prefix)
        let node = TableNode(name: name, parent: nil, storeName: storeName, queryable: materialized.storeName != nil, oldValuesFromOwnStore: true)
        let keySerde = materialized.key ?? self.keySerde
        let aggregateSerde = materialized.value ?? defaultValue
        builder.addStore(named: storeName, owner: name) {
            let (k, v) = try KStream<Key, A>.requireSerdes(keySerde, aggregateSerde, node: name, purpose: "store \(storeName)")
            return materialized.storeBuilder(name: storeName, key: k, value: v).erased
        }
        let group = self
        builder.add(name, parents: [source]) { topology in
            let base = group.grouped.named?.name ?? storeName
            let (k, v) = try KStream<Key, Value>.requireSerdes(
                group.keySerde, group.valueSerde, node: name, purpose: "repartition \(base)")
            let input = group.builder.repartitionSource(of: group.source, base: base, key: k, value: .change(v), into: topology)
            let send = node.sendOldValues
            topology.addProcessor(name, parents: [input], stores: [storeName]) {
                TableAggregateProcessor(storeName: storeName, sendOldValues: send, add: add, remove: remove)
            }
        }
        return KTable(builder: builder, name: name, keySerde: keySerde, valueSerde: aggregateSerde, node: node)
    }

    /// Counts the rows per group. Processor `KTABLE-AGGREGATE-<n>`.
    @discardableResult
    public func count(named: Named? = nil, _ materialized: Materialized<Key, Int64> = Materialized()) -> KTable<Key, Int64> {
        aggregateNode(
            named, prefix: "KTABLE-AGGREGATE-", materialized, defaultValue: .int64,
            add: { _, _, count in (count ?? 0) + 1 }, remove: { _, _, count in count - 1 })
    }

    /// Combines the rows per group with `adder`, and takes a row's old value back out with
    /// `subtractor`. Processor `KTABLE-REDUCE-<n>`.
    @discardableResult
    public func reduce(
        named: Named? = nil, _ materialized: Materialized<Key, Value> = Materialized(),
        adder: @escaping @Sendable (_ aggregate: Value, _ value: Value) throws -> Value,
        subtractor: @escaping @Sendable (_ aggregate: Value, _ value: Value) throws -> Value
    ) -> KTable<Key, Value> {
        aggregateNode(
            named, prefix: "KTABLE-REDUCE-", materialized, defaultValue: valueSerde,
            add: { _, value, aggregate in try aggregate.map { try adder($0, value) } ?? value },
            remove: { _, value, aggregate in try subtractor(aggregate, value) })
    }

    /// Folds the rows per group into an aggregate starting at `initializer()`, with
    /// `adder` for new values and `subtractor` for old ones. Processor `KTABLE-AGGREGATE-<n>`.
    @discardableResult
    public func aggregate<Aggregate>(
        named: Named? = nil, _ materialized: Materialized<Key, Aggregate> = Materialized(),
        initializer: @escaping @Sendable () throws -> Aggregate,
        adder: @escaping @Sendable (Key, Value, Aggregate) throws -> Aggregate,
        subtractor: @escaping @Sendable (Key, Value, Aggregate) throws -> Aggregate
    ) -> KTable<Key, Aggregate> {
        aggregateNode(
            named, prefix: "KTABLE-AGGREGATE-", materialized, defaultValue: nil,
            add: { key, value, aggregate in try adder(key, value, try aggregate ?? initializer()) },
            remove: { key, value, aggregate in try subtractor(key, value, aggregate) })
    }
}
