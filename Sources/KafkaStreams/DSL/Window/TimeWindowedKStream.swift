extension KGroupedStream {
    /// Groups the stream's records into time windows (tumbling or hopping).
    public func windowedBy(_ windows: TimeWindows) -> TimeWindowedKStream<Key, Value> {
        TimeWindowedKStream(grouped: self, windows: windows)
    }

    /// Groups the stream's records into sessions.
    public func windowedBy(_ windows: SessionWindows) -> SessionWindowedKStream<Key, Value> {
        SessionWindowedKStream(grouped: self, windows: windows)
    }
}

/// A grouped stream cut into time windows, ready for `count`, `reduce` or `aggregate`.
///
/// Results are a table keyed by ``Windowed`` keys: one row per key and window. By default
/// every update is forwarded; ``emitStrategy(_:)`` `.onWindowClose` forwards each window
/// once, after stream time passes its end + grace.
public struct TimeWindowedKStream<Key, Value> {
    let grouped: KGroupedStream<Key, Value>
    let windows: TimeWindows
    var emit: EmitStrategy = .onWindowUpdate

    /// The same, forwarding results per `strategy`.
    public func emitStrategy(_ strategy: EmitStrategy) -> TimeWindowedKStream {
        var copy = self
        copy.emit = strategy
        return copy
    }

    func aggregateNode<A>(
        _ named: Named?, prefix: String, _ materialized: Materialized<Key, A>, defaultValue: Serde<A>?,
        first: @escaping @Sendable (Key, Value) throws -> A, fold: @escaping @Sendable (Key, Value, A) throws -> A
    ) -> KTable<Windowed<Key>, A> {
        let builder = grouped.builder
        let storeName = materialized.storeName ?? builder.newStoreName(prefix)
        let name = builder.name(named, prefix)
        let node = TableNode(name: name, parent: nil, storeName: storeName, queryable: materialized.storeName != nil, oldValuesFromOwnStore: true)
        let keySerde = materialized.key ?? grouped.keySerde
        let aggregateSerde = materialized.value ?? defaultValue
        let windows = self.windows
        let retention = max(materialized.retention.map(\.milliseconds) ?? 0, windows.defaultRetentionMs + 1)
        builder.addStore(named: storeName, owner: name) {
            let (k, v) = try KStream<Key, A>.requireSerdes(keySerde, aggregateSerde, node: name, purpose: "store \(storeName)")
            return materialized.windowStoreBuilder(
                name: storeName, retentionMs: retention, windowSizeMs: windows.sizeMs, key: k, value: v
            ).erased
        }
        let group = grouped
        let emit = self.emit
        builder.add(name, parents: [grouped.stream.name]) { topology in
            let parent = try group.input(storeName: storeName, node: name, into: topology)
            let send = node.sendOldValues
            topology.addProcessor(name, parents: [parent], stores: [storeName]) {
                TimeWindowAggregateProcessor(
                    windows: windows, storeName: storeName, emit: emit, sendOldValues: send, first: first, fold: fold)
            }
        }
        return KTable(
            builder: builder, name: name, keySerde: keySerde.map { .windowed($0, size: .milliseconds(windows.sizeMs)) },
            valueSerde: aggregateSerde, node: node, windowGraceMs: windows.graceMs)
    }

    /// Counts the records per key and window. Processor `KSTREAM-AGGREGATE-<n>`.
    @discardableResult
    public func count(named: Named? = nil, _ materialized: Materialized<Key, Int64> = Materialized()) -> KTable<Windowed<Key>, Int64> {
        aggregateNode(named, prefix: "KSTREAM-AGGREGATE-", materialized, defaultValue: .int64, first: { _, _ in 1 }, fold: { _, _, n in n + 1 })
    }

    /// Combines the values per key and window. Processor `KSTREAM-REDUCE-<n>`.
    @discardableResult
    public func reduce(
        named: Named? = nil, _ materialized: Materialized<Key, Value> = Materialized(),
        _ reducer: @escaping @Sendable (_ aggregate: Value, _ value: Value) throws -> Value
    ) -> KTable<Windowed<Key>, Value> {
        aggregateNode(
            named, prefix: "KSTREAM-REDUCE-", materialized, defaultValue: grouped.valueSerde, first: { _, v in v },
            fold: { _, v, a in try reducer(a, v) })
    }

    /// Folds the values per key and window into an aggregate starting at `initializer()`.
    @discardableResult
    public func aggregate<Aggregate>(
        named: Named? = nil, _ materialized: Materialized<Key, Aggregate> = Materialized(),
        initializer: @escaping @Sendable () throws -> Aggregate,
        _ aggregator: @escaping @Sendable (Key, Value, Aggregate) throws -> Aggregate
    ) -> KTable<Windowed<Key>, Aggregate> {
        aggregateNode(
            named, prefix: "KSTREAM-AGGREGATE-", materialized, defaultValue: nil,
            first: { k, v in try aggregator(k, v, try initializer()) }, fold: aggregator)
    }
}

/// A grouped stream cut into sessions, ready for `count`, `reduce` or `aggregate`.
///
/// A session closes once stream time passes its end + gap + grace; ``emitStrategy(_:)``
/// `.onWindowClose` forwards each session once, then.
public struct SessionWindowedKStream<Key, Value> {
    let grouped: KGroupedStream<Key, Value>
    let windows: SessionWindows
    var emit: EmitStrategy = .onWindowUpdate

    /// The same, forwarding results per `strategy`.
    public func emitStrategy(_ strategy: EmitStrategy) -> SessionWindowedKStream {
        var copy = self
        copy.emit = strategy
        return copy
    }

    func aggregateNode<A>(
        _ named: Named?, prefix: String, _ materialized: Materialized<Key, A>, defaultValue: Serde<A>?,
        initializer: @escaping @Sendable () throws -> A?, aggregator: @escaping @Sendable (Key, Value, A?) throws -> A,
        merger: @escaping @Sendable (Key, A?, A) throws -> A
    ) -> KTable<Windowed<Key>, A> {
        let builder = grouped.builder
        let storeName = materialized.storeName ?? builder.newStoreName(prefix)
        let name = builder.name(named, prefix)
        let node = TableNode(name: name, parent: nil, storeName: storeName, queryable: materialized.storeName != nil, oldValuesFromOwnStore: true)
        let keySerde = materialized.key ?? grouped.keySerde
        let aggregateSerde = materialized.value ?? defaultValue
        let windows = self.windows
        let retention = max(materialized.retention.map(\.milliseconds) ?? 0, windows.gapMs + windows.graceMs + 1)
        builder.addStore(named: storeName, owner: name) {
            let (k, v) = try KStream<Key, A>.requireSerdes(keySerde, aggregateSerde, node: name, purpose: "store \(storeName)")
            return materialized.sessionStoreBuilder(name: storeName, retentionMs: retention, key: k, value: v).erased
        }
        let group = grouped
        let emit = self.emit
        builder.add(name, parents: [grouped.stream.name]) { topology in
            let parent = try group.input(storeName: storeName, node: name, into: topology)
            let send = node.sendOldValues
            topology.addProcessor(name, parents: [parent], stores: [storeName]) {
                SessionWindowAggregateProcessor(
                    windows: windows, storeName: storeName, emit: emit, sendOldValues: send, initializer: initializer,
                    aggregator: aggregator, merger: merger)
            }
        }
        return KTable(
            builder: builder, name: name, keySerde: keySerde.map { .sessionWindowed($0) }, valueSerde: aggregateSerde, node: node,
            windowGraceMs: windows.gapMs + windows.graceMs)
    }

    /// Counts the records per key and session.
    @discardableResult
    public func count(named: Named? = nil, _ materialized: Materialized<Key, Int64> = Materialized()) -> KTable<Windowed<Key>, Int64> {
        aggregateNode(
            named, prefix: "KSTREAM-AGGREGATE-", materialized, defaultValue: .int64, initializer: { 0 },
            aggregator: { _, _, n in (n ?? 0) + 1 }, merger: { _, a, b in (a ?? 0) + b })
    }

    /// Combines the values per key and session (merging sessions with the same reducer).
    @discardableResult
    public func reduce(
        named: Named? = nil, _ materialized: Materialized<Key, Value> = Materialized(),
        _ reducer: @escaping @Sendable (_ aggregate: Value, _ value: Value) throws -> Value
    ) -> KTable<Windowed<Key>, Value> {
        // A session of one value is that value; merging applies the reducer.
        aggregateNode(
            named, prefix: "KSTREAM-REDUCE-", materialized, defaultValue: grouped.valueSerde, initializer: { nil },
            aggregator: { _, v, a in try a.map { try reducer($0, v) } ?? v },
            merger: { _, a, b in try a.map { try reducer($0, b) } ?? b })
    }

    /// Folds the values per key and session; merged sessions combine with `merger`.
    @discardableResult
    public func aggregate<Aggregate>(
        named: Named? = nil, _ materialized: Materialized<Key, Aggregate> = Materialized(),
        initializer: @escaping @Sendable () throws -> Aggregate,
        _ aggregator: @escaping @Sendable (Key, Value, Aggregate) throws -> Aggregate,
        merger: @escaping @Sendable (Key, Aggregate, Aggregate) throws -> Aggregate
    ) -> KTable<Windowed<Key>, Aggregate> {
        aggregateNode(
            named, prefix: "KSTREAM-AGGREGATE-", materialized, defaultValue: nil, initializer: initializer,
            aggregator: { k, v, a in try aggregator(k, v, try a ?? initializer()) },
            merger: { k, a, b in try a.map { try merger(k, $0, b) } ?? b })
    }
}
