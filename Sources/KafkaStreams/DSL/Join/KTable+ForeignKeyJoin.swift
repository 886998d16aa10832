extension KTable {
    /// Joins each row of this table with the row of `other` whose key `foreignKey`
    /// extracts from it (a foreign-key join): the result, keyed like this table, is
    /// `joiner(row, foreignRow)` for each row whose foreign row exists. It is updated when
    /// either row changes, when a row's foreign key changes, and deleted (a tombstone)
    /// when the row or its foreign row is deleted.
    ///
    /// The tables need not be co-partitioned: each row subscribes to its foreign key
    /// through the topic `<application.id>-KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-<n>-topic`,
    /// and the right side answers through `…-SUBSCRIPTION-RESPONSE-<n>-topic`. A response
    /// computed for an older version of a row (responses may arrive out of order) is
    /// recognized by its value hash and discarded. Pass a `Materialized` to keep the
    /// result in a store.
    ///
    /// ```swift
    /// orders.join(customers, foreignKey: { order in order.customerID }) { order, customer in
    ///     EnrichedOrder(order, customer)
    /// }
    /// ```
    public func join<ForeignKey, ForeignValue, Result>(
        _ other: KTable<ForeignKey, ForeignValue>, foreignKey: @escaping @Sendable (Value) throws -> ForeignKey,
        named: Named? = nil, _ materialized: Materialized<Key, Result>? = nil,
        _ joiner: @escaping @Sendable (Value, ForeignValue) throws -> Result
    ) -> KTable<Key, Result> {
        foreignKeyJoin(other, foreignKey: foreignKey, named: named, materialized, leftJoin: false) { value, foreign in
            guard let foreign else { throw StreamsError(.illegalState, "inner foreign-key join without a foreign row") }
            return try joiner(value, foreign)
        }
    }

    /// Left-joins each row of this table with the row of `other` its foreign key points
    /// to: as ``join(_:foreignKey:named:_:_:)``, but every row has a result, with `nil`
    /// while its foreign row does not exist; a result is deleted only with its row.
    public func leftJoin<ForeignKey, ForeignValue, Result>(
        _ other: KTable<ForeignKey, ForeignValue>, foreignKey: @escaping @Sendable (Value) throws -> ForeignKey,
        named: Named? = nil, _ materialized: Materialized<Key, Result>? = nil,
        _ joiner: @escaping @Sendable (Value, ForeignValue?) throws -> Result
    ) -> KTable<Key, Result> {
        foreignKeyJoin(other, foreignKey: foreignKey, named: named, materialized, leftJoin: true, joiner)
    }

    /// Writes a foreign-key join with Kafka Streams' processors, topics and names.
    func foreignKeyJoin<ForeignKey, ForeignValue, Result>(
        _ other: KTable<ForeignKey, ForeignValue>, foreignKey: @escaping @Sendable (Value) throws -> ForeignKey, named: Named?,
        _ materialized: Materialized<Key, Result>?, leftJoin: Bool,
        _ joiner: @escaping @Sendable (Value, ForeignValue?) throws -> Result
    ) -> KTable<Key, Result> {
        let builder = self.builder
        let base = named?.name
        func name(_ suffix: String, _ prefix: String) -> String { base.map { $0 + suffix } ?? builder.newName(prefix) }
        let outputStore = materialized.map { $0.storeName ?? builder.newStoreName("KTABLE-FK-JOIN-OUTPUT-") }
        let subscriptionTopic = name("-subscription-registration", "KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-") + "-topic"
        let sendName = name("-subscription-registration-processor", "KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-")
        let subscriptionSink = name("-subscription-registration-sink", "KTABLE-SINK-")
        let subscriptionSource = name("-subscription-registration-source", "KTABLE-SOURCE-")
        let subscriptionStore = name("-subscription-store", "KTABLE-FK-JOIN-SUBSCRIPTION-STATE-STORE-")
        let receiveName = name("-subscription-receive", "KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-")
        // Kafka Streams has a separate "subscription join" processor here; this library does
        // that step in the receive processor, and only reserves the number so later names match.
        if base == nil { _ = builder.newName("KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-") }
        let foreignName = name("-foreign-join-subscription", "KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-")
        let responseTopic = name("-subscription-response", "KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-") + "-topic"
        let responseSink = name("-subscription-response-sink", "KTABLE-SINK-")
        let responseSource = name("-subscription-response-source", "KTABLE-SOURCE-")
        let resolverName = name("-subscription-response-resolver", "KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-RESOLVER-PROCESSOR-")
        let outputName = name("-result", "KTABLE-FK-JOIN-OUTPUT-")

        self.node.enableSendingOldValues()  // a row's old foreign key must be unsubscribed
        let thisLookup = self.lookup
        let otherLookup = other.lookup
        thisLookup.prepare()
        otherLookup.prepare()
        let outputNode = TableNode(
            name: outputName, parent: nil, storeName: outputStore ?? "\(outputName)-STATE-STORE",
            queryable: materialized?.storeName != nil, oldValuesFromOwnStore: true)
        let keySerde = materialized?.key ?? self.keySerde
        let valueSerde = self.valueSerde
        let foreignKeySerde = other.keySerde
        let foreignValueSerde = other.valueSerde
        let resultSerde = materialized?.value
        let thisName = self.name
        let otherName = other.name
        builder.addStore(named: subscriptionStore, owner: receiveName) {
            Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(subscriptionStore), key: .bytes, value: .bytes)
                .withLoggingEnabled(materialized?.logConfig ?? [:]).erased
        }
        builder.add(outputName, parents: [thisName, otherName]) { topology in
            let (k, v) = try KStream<Key, Value>.requireSerdes(
                keySerde, valueSerde, node: sendName, purpose: "foreign-key join \(outputName)")
            let (fk, fv) = try KStream<ForeignKey, ForeignValue>.requireSerdes(
                foreignKeySerde, foreignValueSerde, node: receiveName, purpose: "foreign-key join \(outputName)")
            let thisGetter = try thisLookup.resolve()
            let otherGetter = try otherLookup.resolve()
            let subscriptionSerde = SubscriptionWrapper<Key>.serde(primaryKey: k)
            let responseSerde = SubscriptionResponseWrapper<ForeignValue>.serde(foreignValue: fv)

            topology.addProcessor(sendName, parents: [thisName]) {
                SubscriptionSendProcessor<Key, Value, ForeignKey>(
                    foreignKey: foreignKey, valueSerde: v, foreignKeySerde: fk, leftJoin: leftJoin)
            }
            topology.markInternal(subscriptionTopic, .repartition)
            topology.addSink(subscriptionSink, topic: subscriptionTopic, key: fk, value: subscriptionSerde, parents: [sendName])
            topology.addSource(subscriptionSource, topics: [subscriptionTopic], key: fk, value: subscriptionSerde)
            topology.addProcessor(receiveName, parents: [subscriptionSource], stores: [subscriptionStore] + otherGetter.stores) {
                SubscriptionReceiveProcessor<ForeignKey, Key, ForeignValue>(
                    storeName: subscriptionStore, lookup: otherGetter, foreignKeySerde: fk, keySerde: k)
            }
            topology.addProcessor(foreignName, parents: [otherName], stores: [subscriptionStore]) {
                ForeignTableJoinProcessor<ForeignKey, ForeignValue, Key>(
                    storeName: subscriptionStore, foreignKeySerde: fk, keySerde: k)
            }
            topology.markInternal(responseTopic, .repartition)
            topology.addSink(
                responseSink, topic: responseTopic, key: k, value: responseSerde, parents: [receiveName, foreignName])
            topology.addSource(responseSource, topics: [responseTopic], key: k, value: responseSerde)
            topology.addProcessor(resolverName, parents: [responseSource], stores: thisGetter.stores) {
                ResponseJoinProcessor<Key, Value, ForeignValue, Result>(
                    lookup: thisGetter, valueSerde: v, leftJoin: leftJoin, joiner: joiner)
            }
            let materialize = materialized != nil || outputNode.forceMaterialization
            let storeName = outputNode.storeName
            if materialize, let storeName {
                let (_, r) = try KStream<Key, Result>.requireSerdes(
                    k, resultSerde, node: outputName, purpose: "store \(storeName)")
                topology.stores[storeName] =
                    (materialized ?? Materialized()).storeBuilder(name: storeName, key: k, value: r).erased
                topology.storeOrder.append(storeName)
            }
            let send = outputNode.sendOldValues
            topology.addProcessor(outputName, parents: [resolverName], stores: materialize ? storeName.map { [$0] } ?? [] : []) {
                UnwrapThen(
                    unwrap: { (key: Key, value: Result?) in (key, value) },
                    TableSourceProcessor<Key, Result>(storeName: materialize ? storeName : nil, sendOldValues: send))
            }
            topology.copartition([subscriptionSource, otherName])
            topology.copartition([responseSource, thisName])
        }
        return KTable<Key, Result>(
            builder: builder, name: outputName, keySerde: keySerde, valueSerde: resultSerde, node: outputNode)
    }
}
