extension KStream {
    /// Joins each record with the table's current row of the same key: emits
    /// `joiner(value, row)` with the record's key, timestamp and headers when the table
    /// has a row, and nothing otherwise. Updates of the table emit nothing.
    ///
    /// The table is read from its store (a source table is materialized for it). A stream
    /// whose key was changed upstream is repartitioned first (`<stream name>-repartition`,
    /// or `<joined name>-left-repartition`); the stream and the table must be
    /// co-partitioned (``Topology/copartitionGroups``). Records with a `nil` key are
    /// dropped and counted. Processor: `KSTREAM-JOIN-<n>`.
    ///
    /// ```swift
    /// payments.join(cards) { payment, card in Enriched(payment, card) }
    /// ```
    public func join<TableValue, Result>(
        _ table: KTable<Key, TableValue>, _ joined: Joined<Key, Value, TableValue> = Joined(),
        _ joiner: @escaping @Sendable (Value, TableValue) throws -> Result
    ) -> KStream<Key, Result> {
        tableJoin(table, joined, leftJoin: false) { _, value, row in
            guard let row else { throw StreamsError(.illegalState, "inner stream-table join without a table row") }
            return try joiner(value, row)
        }
    }

    /// ``join(_:_:_:)-(KTable<Key,TableValue>,_,(Value,TableValue)->Result)`` with a joiner that also receives the key.
    public func join<TableValue, Result>(
        _ table: KTable<Key, TableValue>, _ joined: Joined<Key, Value, TableValue> = Joined(),
        _ joiner: @escaping @Sendable (Key, Value, TableValue) throws -> Result
    ) -> KStream<Key, Result> {
        tableJoin(table, joined, leftJoin: false) { key, value, row in
            guard let row else { throw StreamsError(.illegalState, "inner stream-table join without a table row") }
            return try joiner(key, value, row)
        }
    }

    /// Left-joins each record with the table's current row of the same key: emits
    /// `joiner(value, row)` for every record, with `nil` when the table has no row.
    /// Processor: `KSTREAM-LEFTJOIN-<n>`; otherwise as ``join(_:_:_:)-(KTable<Key,TableValue>,_,(Value,TableValue)->Result)``.
    public func leftJoin<TableValue, Result>(
        _ table: KTable<Key, TableValue>, _ joined: Joined<Key, Value, TableValue> = Joined(),
        _ joiner: @escaping @Sendable (Value, TableValue?) throws -> Result
    ) -> KStream<Key, Result> {
        tableJoin(table, joined, leftJoin: true) { _, value, row in try joiner(value, row) }
    }

    func tableJoin<TableValue, Result>(
        _ table: KTable<Key, TableValue>, _ joined: Joined<Key, Value, TableValue>, leftJoin: Bool,
        _ joiner: @escaping @Sendable (Key, Value, TableValue?) throws -> Result
    ) -> KStream<Key, Result> {
        let name = builder.name(joined.named, leftJoin ? "KSTREAM-LEFTJOIN-" : "KSTREAM-JOIN-")
        let lookup = table.lookup
        lookup.prepare()
        let keySerde = joined.key ?? self.keySerde ?? table.keySerde
        let valueSerde = joined.value ?? self.valueSerde
        let input = self
        let tableName = table.name
        builder.add(name, parents: [self.name]) { topology in
            var parent = input.name
            if input.repartitionRequired {
                let (k, v) = try KStream.requireSerdes(
                    keySerde, valueSerde, node: name, purpose: "repartition before join \(name)")
                parent = try input.joinInput(
                    base: joined.named.map { $0.name + "-left" } ?? input.name, key: k, value: v, node: name, into: topology)
            }
            let getter = try lookup.resolve()
            topology.addProcessor(name, parents: [parent], stores: getter.stores) {
                let nullKey = NullKeyCheck<Key>()
                return StreamTableJoinProcessor<Key, Value, Key, TableValue, Result>(
                    lookup: getter, leftJoin: leftJoin, tableKey: { key, _ in nullKey(key) ? nil : key }, joiner: joiner)
            }
            topology.copartition([parent, tableName])
        }
        return KStream<Key, Result>(builder: builder, name: name, keySerde: keySerde, valueSerde: nil, repartitionRequired: false)
    }

    /// Joins each record with the global table's row for the key `keySelector` maps it to:
    /// emits `joiner(value, row)` with the record's key, timestamp and headers when the
    /// row exists. No co-partitioning or repartitioning is needed: every task reads the
    /// whole table. Stream records are kept whatever their key; only a `nil` mapped key
    /// (for an optional table key type) drops the record. Processor: `KSTREAM-JOIN-<n>`.
    ///
    /// ```swift
    /// payments.join(merchants, keySelector: { _, p in p.merchantID }) { p, m in Scored(p, m) }
    /// ```
    public func join<GlobalKey, GlobalValue, Result>(
        _ table: GlobalKTable<GlobalKey, GlobalValue>, keySelector: @escaping @Sendable (Key, Value) throws -> GlobalKey,
        named: Named? = nil, _ joiner: @escaping @Sendable (Value, GlobalValue) throws -> Result
    ) -> KStream<Key, Result> {
        globalJoin(table, keySelector: keySelector, named: named, leftJoin: false) { _, value, row in
            guard let row else { throw StreamsError(.illegalState, "inner global-table join without a table row") }
            return try joiner(value, row)
        }
    }

    /// Left-joins each record with the global table's row for the key `keySelector` maps
    /// it to, passing `nil` when there is none. Processor: `KSTREAM-LEFTJOIN-<n>`.
    public func leftJoin<GlobalKey, GlobalValue, Result>(
        _ table: GlobalKTable<GlobalKey, GlobalValue>, keySelector: @escaping @Sendable (Key, Value) throws -> GlobalKey,
        named: Named? = nil, _ joiner: @escaping @Sendable (Value, GlobalValue?) throws -> Result
    ) -> KStream<Key, Result> {
        globalJoin(table, keySelector: keySelector, named: named, leftJoin: true) { _, value, row in try joiner(value, row) }
    }

    func globalJoin<GlobalKey, GlobalValue, Result>(
        _ table: GlobalKTable<GlobalKey, GlobalValue>, keySelector: @escaping @Sendable (Key, Value) throws -> GlobalKey,
        named: Named?,
        leftJoin: Bool, _ joiner: @escaping @Sendable (Key, Value, GlobalValue?) throws -> Result
    ) -> KStream<Key, Result> {
        let name = builder.name(named, leftJoin ? "KSTREAM-LEFTJOIN-" : "KSTREAM-JOIN-")
        let parent = self.name
        let storeName = table.queryableStoreName
        builder.add(name, parents: [parent]) { topology in
            let store = TableLookup<GlobalKey, GlobalValue>.store(storeName)
            let getter = TableGetterSupplier(stores: [], make: store.make)  // global stores need no connection
            topology.addProcessor(name, parents: [parent]) {
                let nullKey = NullKeyCheck<GlobalKey>()
                return StreamTableJoinProcessor<Key, Value, GlobalKey, GlobalValue, Result>(
                    lookup: getter, leftJoin: leftJoin,
                    tableKey: { key, value in
                        let mapped = try keySelector(key, value)
                        return nullKey(mapped) ? nil : mapped
                    }, joiner: joiner)
            }
        }
        return KStream<Key, Result>(
            builder: builder, name: name, keySerde: keySerde, valueSerde: nil, repartitionRequired: repartitionRequired)
    }
}
