extension KStream {
    /// Groups records by their current key for an aggregation. If a key-changing operator
    /// ran since the source, the aggregation repartitions through
    /// `<application.id>-<name>-repartition` first.
    @_disfavoredOverload
    public func groupByKey(_ grouped: Grouped<Key, Value> = Grouped()) -> KGroupedStream<Key, Value> {
        KGroupedStream(stream: self, grouped: grouped, repartitionRequired: repartitionRequired)
    }

    /// Groups records by a new key (always repartitions). Processor name:
    /// `KSTREAM-KEY-SELECT-<n>`.
    public func groupBy<NewKey>(
        _ grouped: Grouped<NewKey, Value> = Grouped(), _ selector: @escaping @Sendable (Key, Value) throws -> NewKey
    ) -> KGroupedStream<NewKey, Value> {
        KGroupedStream(stream: selectKey(selector), grouped: grouped, repartitionRequired: true)
    }

    /// A stream without the records whose key or value is `nil`, each dropped one counted
    /// (`null-key` / `null-value`) and logged, as Kafka Streams drops them before an
    /// aggregation. Processor name: `KSTREAM-FILTER-<n>`.
    func droppingNulls<K, V>(
        key unwrapKey: @escaping @Sendable (Key) -> K?, value unwrapValue: @escaping @Sendable (Value) -> V?,
        keySerde: Serde<K>?, valueSerde: Serde<V>?
    ) -> KStream<K, V> {
        let name = addProcessor(nil, "KSTREAM-FILTER-") {
            NullDropProcessor<Key, Value, K, V> { key, value in (unwrapKey(key), unwrapValue(value)) }
        }
        return KStream<K, V>(
            builder: builder, name: name, keySerde: keySerde, valueSerde: valueSerde, repartitionRequired: repartitionRequired)
    }
}

extension KStream where Key: OptionalValue {
    /// Groups by the current key, dropping (and counting as `null-key`) records whose key
    /// is `nil`, as Kafka Streams drops null keys from aggregations.
    @_disfavoredOverload
    public func groupByKey(_ grouped: Grouped<Key.Wrapped, Value> = Grouped()) -> KGroupedStream<Key.Wrapped, Value> {
        let stream = droppingNulls(
            key: { $0.optionalValue }, value: { $0 }, keySerde: grouped.key ?? keySerde?.unwrapped(), valueSerde: valueSerde)
        return KGroupedStream(stream: stream, grouped: grouped, repartitionRequired: repartitionRequired)
    }
}

extension KStream where Value: OptionalValue {
    /// Groups by the current key, dropping (and counting as `null-value`) records whose
    /// value is `nil`, as Kafka Streams drops null values from stream aggregations.
    @_disfavoredOverload
    public func groupByKey(_ grouped: Grouped<Key, Value.Wrapped> = Grouped()) -> KGroupedStream<Key, Value.Wrapped> {
        let stream = droppingNulls(
            key: { $0 }, value: { $0.optionalValue }, keySerde: keySerde, valueSerde: grouped.value ?? valueSerde?.unwrapped())
        return KGroupedStream(stream: stream, grouped: grouped, repartitionRequired: repartitionRequired)
    }
}

extension KStream where Key: OptionalValue, Value: OptionalValue {
    /// Groups by the current key, dropping (and counting) records whose key or value is `nil`.
    public func groupByKey(_ grouped: Grouped<Key.Wrapped, Value.Wrapped> = Grouped()) -> KGroupedStream<Key.Wrapped, Value.Wrapped> {
        let stream = droppingNulls(
            key: { $0.optionalValue }, value: { $0.optionalValue }, keySerde: grouped.key ?? keySerde?.unwrapped(),
            valueSerde: grouped.value ?? valueSerde?.unwrapped())
        return KGroupedStream(stream: stream, grouped: grouped, repartitionRequired: repartitionRequired)
    }
}

extension Serde where Value: OptionalValue {
    /// This serde for the wrapped type: writes through `Optional.some`, and rejects null
    /// when reading (the DSL has dropped nulls before using it).
    func unwrapped() -> Serde<Value.Wrapped> {
        let base = self
        return Serde<Value.Wrapped>(
            name: base.name,
            serializeNullable: { value, buffer in try base.serialize(Value.wrap(value), into: &buffer) },
            deserializeNullable: { bytes in
                guard let value = try base.deserialize(bytes).optionalValue else {
                    throw SerdeError("\(base.name) read null where a value is required")
                }
                return value
            })
    }
}

/// A stream grouped by key, ready for `count`, `reduce`, `aggregate` or `cogroup`.
///
/// Records reach the aggregation in arrival order per key; each update of a key's
/// aggregate is forwarded (deduplicated per commit when the store caches).
public struct KGroupedStream<Key, Value> {
    let stream: KStream<Key, Value>
    let grouped: Grouped<Key, Value>
    let repartitionRequired: Bool

    var builder: StreamsBuilder { stream.builder }
    var keySerde: Serde<Key>? { grouped.key ?? stream.keySerde }
    var valueSerde: Serde<Value>? { grouped.value ?? stream.valueSerde }

    /// The node the aggregation reads from: the stream itself, or the repartition source
    /// written for it (named after the grouping, else after the store).
    func input(storeName: String, node: String, into topology: TopologyBuilder, defaultBase: String? = nil) throws -> String {
        guard repartitionRequired else { return stream.name }
        let base = grouped.named?.name ?? defaultBase ?? storeName
        let (k, v) = try KStream<Key, Value>.requireSerdes(keySerde, valueSerde, node: node, purpose: "repartition \(base)")
        return builder.repartitionSource(of: stream.name, base: base, key: k, value: v, into: topology)
    }

    func aggregateNode<A>(
        _ named: Named?, prefix: String, storePrefix: String, _ materialized: Materialized<Key, A>, defaultValue: Serde<A>?,
        first: @escaping @Sendable (Key, Value) throws -> A, fold: @escaping @Sendable (Key, Value, A) throws -> A
    ) -> KTable<Key, A> {
        let storeName = materialized.storeName ?? builder.newStoreName(storePrefix)
        let name = builder.name(named, prefix)
        let node = TableNode(name: name, parent: nil, storeName: storeName, queryable: materialized.storeName != nil, oldValuesFromOwnStore: true)
        let keySerde = materialized.key ?? self.keySerde
        let aggregateSerde = materialized.value ?? defaultValue
        builder.addStore(named: storeName, owner: name) {
            let (k, v) = try KStream<Key, A>.requireSerdes(keySerde, aggregateSerde, node: name, purpose: "store \(storeName)")
            return materialized.storeBuilder(name: storeName, key: k, value: v).erased
        }
        let group = self
        builder.add(name, parents: [stream.name]) { topology in
            let parent = try group.input(storeName: storeName, node: name, into: topology)
            let send = node.sendOldValues
            topology.addProcessor(name, parents: [parent], stores: [storeName]) {
                StreamAggregateProcessor(storeName: storeName, sendOldValues: send, first: first, fold: fold)
            }
        }
        return KTable(builder: builder, name: name, keySerde: keySerde, valueSerde: aggregateSerde, node: node)
    }

    /// Counts the records per key. Processor `KSTREAM-AGGREGATE-<n>`, store
    /// `KSTREAM-AGGREGATE-STATE-STORE-<n>` unless named.
    @discardableResult
    public func count(named: Named? = nil, _ materialized: Materialized<Key, Int64> = Materialized()) -> KTable<Key, Int64> {
        aggregateNode(
            named, prefix: "KSTREAM-AGGREGATE-", storePrefix: "KSTREAM-AGGREGATE-", materialized, defaultValue: .int64,
            first: { _, _ in 1 }, fold: { _, _, count in count + 1 })
    }

    /// Combines the values per key: the first value is the first aggregate, then
    /// `reducer(aggregate, value)`. Processor `KSTREAM-REDUCE-<n>`.
    @discardableResult
    public func reduce(
        named: Named? = nil, _ materialized: Materialized<Key, Value> = Materialized(),
        _ reducer: @escaping @Sendable (_ aggregate: Value, _ value: Value) throws -> Value
    ) -> KTable<Key, Value> {
        aggregateNode(
            named, prefix: "KSTREAM-REDUCE-", storePrefix: "KSTREAM-REDUCE-", materialized, defaultValue: valueSerde,
            first: { _, value in value }, fold: { _, value, aggregate in try reducer(aggregate, value) })
    }

    /// Folds the values per key into an aggregate that starts at `initializer()`.
    /// Processor `KSTREAM-AGGREGATE-<n>`; the aggregate's serde comes from `materialized`.
    @discardableResult
    public func aggregate<Aggregate>(
        named: Named? = nil, _ materialized: Materialized<Key, Aggregate> = Materialized(),
        initializer: @escaping @Sendable () throws -> Aggregate,
        _ aggregator: @escaping @Sendable (Key, Value, Aggregate) throws -> Aggregate
    ) -> KTable<Key, Aggregate> {
        aggregateNode(
            named, prefix: "KSTREAM-AGGREGATE-", storePrefix: "KSTREAM-AGGREGATE-", materialized, defaultValue: nil,
            first: { key, value in try aggregator(key, value, try initializer()) }, fold: aggregator)
    }

    /// Starts a cogroup: several grouped streams folded into one aggregate per key.
    public func cogroup<Aggregate>(
        _ aggregator: @escaping @Sendable (Key, Value, Aggregate) throws -> Aggregate
    ) -> CogroupedKStream<Key, Aggregate> {
        CogroupedKStream(builder: builder, keySerde: keySerde).cogroup(self, aggregator)
    }
}
