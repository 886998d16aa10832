extension KStream {
    /// Joins this stream with another by key within a time window: each pair of records of
    /// the same key whose timestamps are within `windows` gives one result, timestamped
    /// with the larger timestamp of the two.
    ///
    /// Both streams are buffered in window stores (`KSTREAM-JOINTHIS-<n>-store` and
    /// `KSTREAM-JOINOTHER-<n>-store`, kept for window size + grace). A record arriving
    /// later than that is still joined with what the other store holds, but not buffered.
    /// A stream whose key was changed upstream is repartitioned first
    /// (`<stream name>-repartition`), and the two inputs must be co-partitioned (see
    /// ``Topology/copartitionGroups``). Records with a `nil` key are dropped and counted.
    ///
    /// ```swift
    /// authorizations.join(captures, .ofTimeDifferenceWithNoGrace(.minutes(5))) { auth, capture in
    ///     Settled(auth, capture)
    /// }
    /// ```
    /// Processors: `KSTREAM-WINDOWED-<n>` (×2), `KSTREAM-JOINTHIS-<n>`, `KSTREAM-JOINOTHER-<n>`,
    /// `KSTREAM-MERGE-<n>`. A joiner that throws fails the task with a ``StreamsError``
    /// (`processing`) naming the join processor and the record's topic, partition and offset.
    public func join<OtherValue, Result>(
        _ other: KStream<Key, OtherValue>, _ windows: JoinWindows,
        _ options: StreamJoined<Key, Value, OtherValue> = StreamJoined(),
        _ joiner: @escaping @Sendable (Value, OtherValue) throws -> Result
    ) -> KStream<Key, Result> {
        streamJoin(other, windows, options, leftOuter: false, rightOuter: false, joined: { _, v, o in try joiner(v, o) })
    }

    /// ``join(_:_:_:_:)-(KStream<Key,OtherValue>,_,_,(Value,OtherValue)->Result)`` with a joiner that also
    /// receives the key.
    public func join<OtherValue, Result>(
        _ other: KStream<Key, OtherValue>, _ windows: JoinWindows,
        _ options: StreamJoined<Key, Value, OtherValue> = StreamJoined(),
        _ joiner: @escaping @Sendable (Key, Value, OtherValue) throws -> Result
    ) -> KStream<Key, Result> {
        streamJoin(other, windows, options, leftOuter: false, rightOuter: false, joined: joiner)
    }

    /// Left-joins this stream with another within a time window: as ``join(_:_:_:_:)``, and
    /// each record of this stream that finds no partner is emitted once with `nil` as the
    /// other value, after its window has closed (stream time past its timestamp + `after`
    /// + grace), never before a partner could still arrive.
    ///
    /// The unmatched records wait in a store shared by both sides
    /// (`KSTREAM-OUTERSHARED-<n>-store`). Processors: `KSTREAM-WINDOWED-<n>` (×2),
    /// `KSTREAM-JOINTHIS-<n>`, `KSTREAM-OUTEROTHER-<n>`, `KSTREAM-MERGE-<n>`.
    public func leftJoin<OtherValue, Result>(
        _ other: KStream<Key, OtherValue>, _ windows: JoinWindows,
        _ options: StreamJoined<Key, Value, OtherValue> = StreamJoined(),
        _ joiner: @escaping @Sendable (Value, OtherValue?) throws -> Result
    ) -> KStream<Key, Result> {
        streamJoin(
            other, windows, options, leftOuter: true, rightOuter: false, joined: { _, v, o in try joiner(v, o) },
            leftOnly: { _, v in try joiner(v, nil) })
    }

    /// Outer-joins this stream with another within a time window: as ``leftJoin(_:_:_:_:)``,
    /// and records of the other stream without a partner are emitted too, with `nil` as
    /// this stream's value, once their window has closed.
    ///
    /// Processors: `KSTREAM-WINDOWED-<n>` (×2), `KSTREAM-OUTERTHIS-<n>`,
    /// `KSTREAM-OUTEROTHER-<n>`, `KSTREAM-MERGE-<n>`.
    public func outerJoin<OtherValue, Result>(
        _ other: KStream<Key, OtherValue>, _ windows: JoinWindows,
        _ options: StreamJoined<Key, Value, OtherValue> = StreamJoined(),
        _ joiner: @escaping @Sendable (Value?, OtherValue?) throws -> Result
    ) -> KStream<Key, Result> {
        streamJoin(
            other, windows, options, leftOuter: true, rightOuter: true, joined: { _, v, o in try joiner(v, o) },
            leftOnly: { _, v in try joiner(v, nil) }, rightOnly: { _, o in try joiner(nil, o) })
    }

    /// Writes a stream–stream join as Kafka Streams' `KStreamImplJoin` does: names,
    /// stores, processors and their store connections.
    func streamJoin<OtherValue, Result>(
        _ other: KStream<Key, OtherValue>, _ windows: JoinWindows, _ options: StreamJoined<Key, Value, OtherValue>,
        leftOuter: Bool, rightOuter: Bool, joined: @escaping @Sendable (Key, Value, OtherValue) throws -> Result,
        leftOnly: (@Sendable (Key, Value) throws -> Result)? = nil,
        rightOnly: (@Sendable (Key, OtherValue) throws -> Result)? = nil
    ) -> KStream<Key, Result> {
        let builder = self.builder
        let named = options.named?.name
        let thisWindowed = named.map { $0 + "-this-windowed" } ?? builder.newName("KSTREAM-WINDOWED-")
        let otherWindowed = named.map { $0 + "-other-windowed" } ?? builder.newName("KSTREAM-WINDOWED-")
        let thisPrefix = rightOuter ? "KSTREAM-OUTERTHIS-" : "KSTREAM-JOINTHIS-"
        let thisGenerated = builder.newName(thisPrefix)
        let otherGenerated = builder.newName(leftOuter ? "KSTREAM-OUTEROTHER-" : "KSTREAM-JOINOTHER-")
        let thisSuffix = rightOuter ? "-outer-this-join" : "-this-join"
        let otherSuffix = leftOuter ? "-outer-other-join" : "-other-join"
        let thisName = named.map { $0 + thisSuffix } ?? thisGenerated
        let otherName = named.map { $0 + otherSuffix } ?? otherGenerated
        let mergeName = named.map { $0 + "-merge" } ?? builder.newName("KSTREAM-MERGE-")
        let thisStore = (options.storeName.map { $0 + thisSuffix } ?? thisGenerated) + "-store"
        let otherStore = (options.storeName.map { $0 + otherSuffix } ?? otherGenerated) + "-store"
        let outerStore: String? =
            leftOuter
            ? (options.storeName.map { $0 + (rightOuter ? "-outer-shared-join" : "-left-shared-join") }
                ?? "KSTREAM-OUTERSHARED-" + thisGenerated.dropFirst(thisPrefix.count)) + "-store"
            : nil

        let keySerde = options.key ?? self.keySerde ?? other.keySerde
        let thisValueSerde = options.value ?? self.valueSerde
        let otherValueSerde = options.otherValue ?? other.valueSerde
        let thisInput = self
        let otherInput = other
        builder.add(mergeName, parents: [self.name, other.name]) { topology in
            let (k, v) = try KStream.requireSerdes(keySerde, thisValueSerde, node: thisName, purpose: "join store \(thisStore)")
            let (_, o) = try KStream<Key, OtherValue>.requireSerdes(
                keySerde, otherValueSerde, node: otherName, purpose: "join store \(otherStore)")
            let thisParent = try thisInput.joinInput(
                base: named.map { $0 + "-left" } ?? thisInput.name, key: k, value: v, node: thisName, into: topology)
            let otherParent: String
            if otherInput.name == thisInput.name && thisInput.repartitionRequired {
                otherParent = thisParent  // a self-join reads one repartition topic
            } else {
                otherParent = try otherInput.joinInput(
                    base: named.map { $0 + "-right" } ?? otherInput.name, key: k, value: o, node: otherName, into: topology)
            }
            let retention = windows.retentionMs
            let size = windows.sizeMs
            func windowStore<V>(_ name: String, _ value: Serde<V>) -> AnyStoreBuilder {
                let builder = StoreBuilder(name: name) {
                    MeteredWindowStore(
                        inner: InMemoryJoinWindowStore(name: name, retentionMs: retention, windowSizeMs: size), keySerde: k,
                        valueSerde: value)
                }
                return (options.loggingEnabled ? builder.withLoggingEnabled(options.logConfig) : builder.withLoggingDisabled())
                    .erased
            }
            topology.stores[thisStore] = windowStore(thisStore, v)
            topology.storeOrder.append(thisStore)
            topology.stores[otherStore] = windowStore(otherStore, o)
            topology.storeOrder.append(otherStore)
            if let outerStore {
                let builder = StoreBuilder(name: outerStore) { OuterJoinStore(name: outerStore) }
                topology.stores[outerStore] =
                    (options.loggingEnabled ? builder.withLoggingEnabled(options.logConfig) : builder.withLoggingDisabled())
                    .erased
                topology.storeOrder.append(outerStore)
            }
            topology.addProcessor(thisWindowed, parents: [thisParent], stores: [thisStore]) {
                StreamJoinWindowProcessor<Key, Value>(storeName: thisStore)
            }
            topology.addProcessor(otherWindowed, parents: [otherParent], stores: [otherStore]) {
                StreamJoinWindowProcessor<Key, OtherValue>(storeName: otherStore)
            }
            let leftSide = StreamStreamJoinProcessor<Key, Value, OtherValue, Result>.Side(
                isLeft: true, otherStoreName: otherStore, outerStoreName: outerStore, beforeMs: windows.beforeMs,
                afterMs: windows.afterMs, graceMs: windows.graceMs, windowsBeforeMs: windows.beforeMs,
                windowsAfterMs: windows.afterMs)
            let rightSide = StreamStreamJoinProcessor<Key, OtherValue, Value, Result>.Side(
                isLeft: false, otherStoreName: thisStore, outerStoreName: outerStore, beforeMs: windows.afterMs,
                afterMs: windows.beforeMs, graceMs: windows.graceMs, windowsBeforeMs: windows.beforeMs,
                windowsAfterMs: windows.afterMs)
            topology.addProcessor(thisName, parents: [thisWindowed], stores: [otherStore] + (outerStore.map { [$0] } ?? [])) {
                StreamStreamJoinProcessor(
                    side: leftSide, keySerde: k, thisSerde: v, otherSerde: o, joined: joined, thisOnly: leftOnly,
                    otherOnly: rightOnly)
            }
            topology.addProcessor(otherName, parents: [otherWindowed], stores: [thisStore] + (outerStore.map { [$0] } ?? [])) {
                StreamStreamJoinProcessor(
                    side: rightSide, keySerde: k, thisSerde: o, otherSerde: v, joined: { key, o, v in try joined(key, v, o) },
                    thisOnly: rightOnly, otherOnly: leftOnly)
            }
            topology.addProcessor(mergeName, parents: [thisName, otherName]) { PassThroughProcessor<Key, Result>() }
            topology.copartition([thisWindowed, otherWindowed])
        }
        return KStream<Key, Result>(
            builder: builder, name: mergeName, keySerde: keySerde, valueSerde: nil, repartitionRequired: false)
    }

    /// The node a join reads this stream from: the stream itself, or, after a key-changing
    /// operator, the source of a repartition topic `<base>-repartition` written for it.
    func joinInput(base: String, key: Serde<Key>, value: Serde<Value>, node: String, into topology: TopologyBuilder) throws
        -> String
    {
        guard repartitionRequired else { return name }
        return builder.repartitionSource(of: name, base: base, key: key, value: value, into: topology)
    }
}
