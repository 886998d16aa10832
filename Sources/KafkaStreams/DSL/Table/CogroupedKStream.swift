/// Several grouped streams folded into one aggregate per key (Kafka Streams' cogroup).
///
/// Each input has its own aggregator; all write one store, so the result is one table.
/// Inputs that were re-keyed are repartitioned first, each through its own topic.
public struct CogroupedKStream<Key, Aggregate> {
    let builder: StreamsBuilder
    let keySerde: Serde<Key>?
    /// What the inputs aggregate into: a key-value table, time windows or sessions.
    enum Target {
        case table
        case timeWindows(TimeWindows)
        case sessions(SessionWindows, merger: @Sendable (Key, Aggregate, Aggregate) throws -> Aggregate)
    }

    /// Writes one input's aggregate processor, given the store, the shared initializer,
    /// the result's table node and the target; returns the processor's name.
    var inputs: [(_ storeName: String, _ initializer: @escaping @Sendable () throws -> Aggregate, _ node: TableNode, _ target: Target) -> String] = []

    /// Adds a grouped stream with its aggregator.
    public func cogroup<Value>(
        _ grouped: KGroupedStream<Key, Value>, _ aggregator: @escaping @Sendable (Key, Value, Aggregate) throws -> Aggregate
    ) -> CogroupedKStream {
        var copy = self
        let builder = self.builder
        let index = inputs.count
        copy.inputs.append { storeName, initializer, node, target in
            let name = builder.newName("COGROUPKSTREAM-AGGREGATE-")
            builder.add(name, parents: [grouped.stream.name]) { topology in
                let parent = try grouped.input(
                    storeName: storeName, node: name, into: topology, defaultBase: index == 0 ? nil : "\(storeName)-\(index)")
                let send = node.sendOldValues
                switch target {
                case .table:
                    topology.addProcessor(name, parents: [parent], stores: [storeName]) {
                        StreamAggregateProcessor<Key, Value, Aggregate>(
                            storeName: storeName, sendOldValues: send,
                            first: { key, value in try aggregator(key, value, try initializer()) }, fold: aggregator)
                    }
                case .timeWindows(let windows):
                    topology.addProcessor(name, parents: [parent], stores: [storeName]) {
                        TimeWindowAggregateProcessor<Key, Value, Aggregate>(
                            windows: windows, storeName: storeName, emit: .onWindowUpdate, sendOldValues: send,
                            first: { key, value in try aggregator(key, value, try initializer()) }, fold: aggregator)
                    }
                case .sessions(let windows, let merger):
                    topology.addProcessor(name, parents: [parent], stores: [storeName]) {
                        SessionWindowAggregateProcessor<Key, Value, Aggregate>(
                            windows: windows, storeName: storeName, emit: .onWindowUpdate, sendOldValues: send,
                            initializer: { try initializer() },
                            aggregator: { key, value, aggregate in try aggregator(key, value, try aggregate ?? initializer()) },
                            merger: { key, a, b in try a.map { try merger(key, $0, b) } ?? b })
                    }
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
        let parents = inputs.map { $0(storeName, initializer, node, .table) }
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

extension CogroupedKStream {
    /// The cogroup's inputs folded per key and time window.
    public func windowedBy(_ windows: TimeWindows) -> TimeWindowedCogroupedKStream<Key, Aggregate> {
        TimeWindowedCogroupedKStream(cogrouped: self, windows: windows)
    }

    /// The cogroup's inputs folded per key and session; merged sessions combine with `merger`.
    public func windowedBy(_ windows: SessionWindows) -> SessionWindowedCogroupedKStream<Key, Aggregate> {
        SessionWindowedCogroupedKStream(cogrouped: self, windows: windows)
    }

    /// Writes the inputs into one windowed store and merges their outputs.
    func windowedAggregate(
        named: Named?, _ materialized: Materialized<Key, Aggregate>, initializer: @escaping @Sendable () throws -> Aggregate,
        target: Target, graceMs: Int64, keySerdeFor: (Serde<Key>) -> Serde<Windowed<Key>>,
        store: @escaping (String, Serde<Key>, Serde<Aggregate>) -> AnyStoreBuilder
    ) -> KTable<Windowed<Key>, Aggregate> {
        let storeName = materialized.storeName ?? builder.newStoreName("COGROUPKSTREAM-AGGREGATE-")
        let node = TableNode(name: "", parent: nil, storeName: storeName, queryable: materialized.storeName != nil, oldValuesFromOwnStore: true)
        let keySerde = materialized.key ?? self.keySerde
        let aggregateSerde = materialized.value
        builder.addStore(named: storeName, owner: "COGROUPKSTREAM") {
            let (k, v) = try KStream<Key, Aggregate>.requireSerdes(keySerde, aggregateSerde, node: storeName, purpose: "store \(storeName)")
            return store(storeName, k, v)
        }
        let parents = inputs.map { $0(storeName, initializer, node, target) }
        let mergeName = builder.name(named, "COGROUPKSTREAM-MERGE-")
        builder.add(mergeName, parents: parents) { topology in
            topology.addProcessor(mergeName, parents: parents) { PassThroughProcessor<Windowed<Key>, Change<Aggregate>>() }
        }
        return KTable(
            builder: builder, name: mergeName, keySerde: keySerde.map(keySerdeFor), valueSerde: aggregateSerde, node: node,
            windowGraceMs: graceMs)
    }
}

/// A cogroup in time windows; see ``CogroupedKStream/windowedBy(_:)-(TimeWindows)``.
public struct TimeWindowedCogroupedKStream<Key, Aggregate> {
    let cogrouped: CogroupedKStream<Key, Aggregate>
    let windows: TimeWindows

    /// Folds every input into an aggregate per key and window starting at `initializer()`.
    @discardableResult
    public func aggregate(
        named: Named? = nil, _ materialized: Materialized<Key, Aggregate> = Materialized(),
        initializer: @escaping @Sendable () throws -> Aggregate
    ) -> KTable<Windowed<Key>, Aggregate> {
        let windows = self.windows
        let retention = max(materialized.retention.map(\.milliseconds) ?? 0, windows.defaultRetentionMs + 1)
        return cogrouped.windowedAggregate(
            named: named, materialized, initializer: initializer, target: .timeWindows(windows), graceMs: windows.graceMs,
            keySerdeFor: { .windowed($0, size: .milliseconds(windows.sizeMs)) },
            store: { name, k, v in
                materialized.windowStoreBuilder(
                    name: name, retentionMs: retention, windowSizeMs: windows.sizeMs, key: k, value: v
                ).erased
            })
    }
}

/// A cogroup in sessions; see ``CogroupedKStream/windowedBy(_:)-(SessionWindows)``.
public struct SessionWindowedCogroupedKStream<Key, Aggregate> {
    let cogrouped: CogroupedKStream<Key, Aggregate>
    let windows: SessionWindows

    /// Folds every input into an aggregate per key and session starting at
    /// `initializer()`; sessions that a record bridges combine with `merger`.
    @discardableResult
    public func aggregate(
        named: Named? = nil, _ materialized: Materialized<Key, Aggregate> = Materialized(),
        initializer: @escaping @Sendable () throws -> Aggregate,
        merger: @escaping @Sendable (Key, Aggregate, Aggregate) throws -> Aggregate
    ) -> KTable<Windowed<Key>, Aggregate> {
        let windows = self.windows
        let retention = max(materialized.retention.map(\.milliseconds) ?? 0, windows.gapMs + windows.graceMs + 1)
        return cogrouped.windowedAggregate(
            named: named, materialized, initializer: initializer, target: .sessions(windows, merger: merger),
            graceMs: windows.gapMs + windows.graceMs,
            keySerdeFor: { .sessionWindowed($0) },
            store: { name, k, v in
                materialized.sessionStoreBuilder(name: name, retentionMs: retention, key: k, value: v).erased
            })
    }
}
