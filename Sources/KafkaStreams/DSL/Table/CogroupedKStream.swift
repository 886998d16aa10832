/// Several grouped streams folded into one aggregate per key (Kafka Streams' cogroup).
///
/// Each input has its own aggregator; all write one store, so the result is one table.
/// Inputs that were re-keyed are repartitioned first, each through its own topic.
public struct CogroupedKStream<Key, Aggregate> {
    let builder: StreamsBuilder
    let keySerde: Serde<Key>?
    /// Writes one input's aggregate processor, given the store, the shared initializer and
    /// the send-old-values flag; returns the processor's name.
    var inputs: [(_ storeName: String, _ initializer: @escaping @Sendable () throws -> Aggregate, _ node: TableNode) -> String] = []

    /// Adds a grouped stream with its aggregator.
    public func cogroup<Value>(
        _ grouped: KGroupedStream<Key, Value>, _ aggregator: @escaping @Sendable (Key, Value, Aggregate) throws -> Aggregate
    ) -> CogroupedKStream {
        var copy = self
        let builder = self.builder
        let index = inputs.count
        copy.inputs.append { storeName, initializer, node in
            let name = builder.newName("COGROUPKSTREAM-AGGREGATE-")
            builder.add(name, parents: [grouped.stream.name]) { topology in
                let parent = try grouped.input(
                    storeName: storeName, node: name, into: topology, defaultBase: index == 0 ? nil : "\(storeName)-\(index)")
                let send = node.sendOldValues
                topology.addProcessor(name, parents: [parent], stores: [storeName]) {
                    StreamAggregateProcessor<Key, Value, Aggregate>(
                        storeName: storeName, sendOldValues: send,
                        first: { key, value in try aggregator(key, value, try initializer()) }, fold: aggregator)
                }
            }
            return name
        }
        return copy
    }

    /// Folds every input into an aggregate per key starting at `initializer()`. Processors
    /// `COGROUPKSTREAM-AGGREGATE-<n>` per input and `COGROUPKSTREAM-MERGE-<n>`; store
    /// `COGROUPKSTREAM-AGGREGATE-STATE-STORE-<n>` unless named.
    @discardableResult
    public func aggregate(
        named: Named? = nil, _ materialized: Materialized<Key, Aggregate> = Materialized(),
        initializer: @escaping @Sendable () throws -> Aggregate
    ) -> KTable<Key, Aggregate> {
        let storeName = materialized.storeName ?? builder.newStoreName("COGROUPKSTREAM-AGGREGATE-")
        let node = TableNode(name: "", parent: nil, storeName: storeName, queryable: materialized.storeName != nil, oldValuesFromOwnStore: true)
        let parents = inputs.map { $0(storeName, initializer, node) }
        let mergeName = builder.name(named, "COGROUPKSTREAM-MERGE-")
        let keySerde = materialized.key ?? self.keySerde
        let aggregateSerde = materialized.value
        builder.addStore(named: storeName, owner: mergeName) {
            let (k, v) = try KStream<Key, Aggregate>.requireSerdes(keySerde, aggregateSerde, node: mergeName, purpose: "store \(storeName)")
            return materialized.storeBuilder(name: storeName, key: k, value: v).erased
        }
        builder.add(mergeName, parents: parents) { topology in
            topology.addProcessor(mergeName, parents: parents) { PassThroughProcessor<Key, Change<Aggregate>>() }
        }
        return KTable(builder: builder, name: mergeName, keySerde: keySerde, valueSerde: aggregateSerde, node: node)
    }
}

extension CogroupedKStream {
    init(builder: StreamsBuilder, keySerde: Serde<Key>?) {
        self.builder = builder
        self.keySerde = keySerde
    }
}
