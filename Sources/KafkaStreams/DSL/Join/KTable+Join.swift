extension KTable {
    /// Joins this table with another by key: the result has a row for each key both tables
    /// have, `joiner(left, right)`, updated whenever either row changes and deleted (a
    /// tombstone is emitted) when either row is deleted. Results are timestamped with the
    /// larger of the two rows' timestamps.
    ///
    /// Each side looks the other up in its store (source tables are materialized for it)
    /// and the two tables must be co-partitioned (``Topology/copartitionGroups``). Pass a
    /// `Materialized` to keep the result in a store (cached, so one change per key per
    /// commit). Processors: `KTABLE-MERGE-<n>`, `KTABLE-JOINTHIS-<n>`, `KTABLE-JOINOTHER-<n>`.
    ///
    /// ```swift
    /// customers.join(addresses) { customer, address in Profile(customer, address) }
    /// ```
    public func join<OtherValue, Result>(
        _ other: KTable<Key, OtherValue>, named: Named? = nil, _ materialized: Materialized<Key, Result>? = nil,
        _ joiner: @escaping @Sendable (Value, OtherValue) throws -> Result
    ) -> KTable<Key, Result> {
        tableJoin(other, named: named, materialized, leftOuter: false, rightOuter: false) { l, r in
            guard let l, let r else { throw StreamsError(.illegalState, "inner table join without both rows") }
            return try joiner(l, r)
        }
    }

    /// Left-joins this table with another by key: the result has a row for each key of
    /// this table, `joiner(left, right)` with `nil` when the other table has no row; it is
    /// deleted only when this table's row is. Otherwise as ``join(_:named:_:_:)``.
    public func leftJoin<OtherValue, Result>(
        _ other: KTable<Key, OtherValue>, named: Named? = nil, _ materialized: Materialized<Key, Result>? = nil,
        _ joiner: @escaping @Sendable (Value, OtherValue?) throws -> Result
    ) -> KTable<Key, Result> {
        tableJoin(other, named: named, materialized, leftOuter: true, rightOuter: false) { l, r in
            guard let l else { throw StreamsError(.illegalState, "left table join without a left row") }
            return try joiner(l, r)
        }
    }

    /// Outer-joins this table with another by key: the result has a row for each key of
    /// either table, `joiner(left, right)` with `nil` for a missing row; it is deleted when
    /// both rows are gone. Otherwise as ``join(_:named:_:_:)``.
    public func outerJoin<OtherValue, Result>(
        _ other: KTable<Key, OtherValue>, named: Named? = nil, _ materialized: Materialized<Key, Result>? = nil,
        _ joiner: @escaping @Sendable (Value?, OtherValue?) throws -> Result
    ) -> KTable<Key, Result> {
        tableJoin(other, named: named, materialized, leftOuter: true, rightOuter: true, joiner)
    }

    func tableJoin<OtherValue, Result>(
        _ other: KTable<Key, OtherValue>, named: Named?, _ materialized: Materialized<Key, Result>?, leftOuter: Bool,
        rightOuter: Bool,
        _ joiner: @escaping @Sendable (Value?, OtherValue?) throws -> Result
    ) -> KTable<Key, Result> {
        let storeName = materialized.map { $0.storeName ?? builder.newStoreName("KTABLE-MERGE-") }
        let mergeName = builder.name(named, "KTABLE-MERGE-")
        let thisName = named.map { $0.name + "-join-this" } ?? builder.newName("KTABLE-JOINTHIS-")
        let otherName = named.map { $0.name + "-join-other" } ?? builder.newName("KTABLE-JOINOTHER-")
        let thisLookup = self.lookup
        let otherLookup = other.lookup
        thisLookup.prepare()
        otherLookup.prepare()
        let thisNode = self.node
        let otherNode = other.node
        if leftOuter { thisNode.enableSendingOldValues() }
        if rightOuter { otherNode.enableSendingOldValues() }
        let node = TableNode(
            name: mergeName, parent: nil, storeName: storeName, queryable: materialized?.storeName != nil,
            oldValuesFromOwnStore: true)
        node.onSendOldValues = {
            thisNode.enableSendingOldValues()
            otherNode.enableSendingOldValues()
        }
        let keySerde = materialized?.key ?? self.keySerde ?? other.keySerde
        if let materialized, let storeName {
            let valueSerde = materialized.value
            builder.addStore(named: storeName, owner: mergeName) {
                let (k, v) = try KStream<Key, Result>.requireSerdes(
                    keySerde, valueSerde, node: mergeName, purpose: "store \(storeName)")
                return materialized.storeBuilder(name: storeName, key: k, value: v).erased
            }
        }
        let thisParent = self.name
        let otherParent = other.name
        let (thisMode, otherMode):
            (
                TableTableJoinProcessor<Key, Value, OtherValue, Result>.Mode,
                TableTableJoinProcessor<Key, OtherValue, Value, Result>.Mode
            ) =
                leftOuter ? (rightOuter ? (.outer, .outer) : (.left, .right)) : (.inner, .inner)
        builder.add(mergeName, parents: [thisParent, otherParent]) { topology in
            let thisGetter = try thisLookup.resolve()
            let otherGetter = try otherLookup.resolve()
            let send = node.sendOldValues
            topology.addProcessor(thisName, parents: [thisParent], stores: otherGetter.stores) {
                TableTableJoinProcessor<Key, Value, OtherValue, Result>(
                    mode: thisMode, lookup: otherGetter, sendOldValues: send, joiner: joiner)
            }
            topology.addProcessor(otherName, parents: [otherParent], stores: thisGetter.stores) {
                TableTableJoinProcessor<Key, OtherValue, Value, Result>(mode: otherMode, lookup: thisGetter, sendOldValues: send)
                { o, t in
                    try joiner(t, o)
                }
            }
            topology.addProcessor(mergeName, parents: [thisName, otherName], stores: storeName.map { [$0] } ?? []) {
                TableJoinMergeProcessor<Key, Result>(storeName: storeName, sendOldValues: send)
            }
            topology.copartition([thisParent, otherParent])
        }
        var result = KTable<Key, Result>(
            builder: builder, name: mergeName, keySerde: keySerde, valueSerde: materialized?.value, node: node)
        if materialized == nil {
            result.derivedLookup = TableLookup(
                prepare: {
                    thisLookup.prepare()
                    otherLookup.prepare()
                },
                resolve: {
                    let left = try thisLookup.resolve()
                    let right = try otherLookup.resolve()
                    return TableGetterSupplier(stores: left.stores + right.stores.filter { !left.stores.contains($0) }) { store in
                        let getLeft = try left.make(store)
                        let getRight = try right.make(store)
                        return { key in
                            let l = try getLeft(key)
                            let r = try getRight(key)
                            let present = leftOuter ? (rightOuter ? (l != nil || r != nil) : l != nil) : (l != nil && r != nil)
                            guard present else { return nil }
                            return ValueAndTimestamp(
                                try joiner(l?.value, r?.value), timestamp: max(l?.timestamp ?? .min, r?.timestamp ?? .min))
                        }
                    }
                })
        }
        return result
    }
}
