/// An unbounded stream of records: the DSL's record-by-record abstraction.
///
/// Every operator returns a new stream and leaves this one usable, so one stream can feed
/// several operators. Operators keep each record's timestamp and headers unless they say
/// otherwise. Records with a null key or value pass through stateless operators unchanged
/// (declare the types optional to carry nulls).
public struct KStream<Key, Value> {
    let builder: StreamsBuilder
    /// The name of the processor whose output this stream is.
    public let name: String
    let keySerde: Serde<Key>?
    let valueSerde: Serde<Value>?
    /// Whether a key-changing operator ran since the last source or repartition, so a
    /// grouping or join must repartition first.
    let repartitionRequired: Bool

    init(builder: StreamsBuilder, name: String, keySerde: Serde<Key>?, valueSerde: Serde<Value>?, repartitionRequired: Bool) {
        self.builder = builder
        self.name = name
        self.keySerde = keySerde
        self.valueSerde = valueSerde
        self.repartitionRequired = repartitionRequired
    }

    /// Adds a processor node fed by this stream and returns its name.
    func addProcessor<P: Processor>(
        _ named: Named?, _ prefix: String, stores: [String] = [], _ supplier: @escaping @Sendable () -> P
    ) -> String {
        let name = builder.name(named, prefix)
        let parent = self.name
        builder.add(name, parents: [parent]) { $0.addProcessor(name, parents: [parent], stores: stores, supplier: supplier) }
        return name
    }

    /// Adds a fixed-key processor node fed by this stream and returns its name.
    func addFixedKeyProcessor<P: FixedKeyProcessor>(
        _ named: Named?, _ prefix: String, stores: [String] = [], _ supplier: @escaping @Sendable () -> P
    ) -> String {
        let name = builder.name(named, prefix)
        let parent = self.name
        builder.add(name, parents: [parent]) { $0.addProcessor(name, parents: [parent], stores: stores, supplier: supplier) }
        return name
    }

    /// A stream of this one's builder; where a serde is not given but the type did not
    /// change, this stream's serde carries over.
    func derived<K, V>(_ name: String, key: Serde<K>?, value: Serde<V>?, repartition: Bool) -> KStream<K, V> {
        KStream<K, V>(
            builder: builder, name: name, keySerde: key ?? (keySerde as? Serde<K>), valueSerde: value ?? (valueSerde as? Serde<V>),
            repartitionRequired: repartition)
    }

    // MARK: stateless operators

    /// Keeps the records for which `predicate` is true.
    ///
    /// Emits each kept record unchanged. Processor name: `KSTREAM-FILTER-<n>`.
    public func filter(named: Named? = nil, _ predicate: @escaping @Sendable (Key, Value) throws -> Bool) -> KStream {
        derived(
            addProcessor(named, "KSTREAM-FILTER-") { FilterProcessor(predicate, negate: false) },
            key: keySerde, value: valueSerde, repartition: repartitionRequired)
    }

    /// Drops the records for which `predicate` is true.
    ///
    /// Processor name: `KSTREAM-FILTER-<n>` (as in Kafka Streams).
    public func filterNot(named: Named? = nil, _ predicate: @escaping @Sendable (Key, Value) throws -> Bool) -> KStream {
        derived(
            addProcessor(named, "KSTREAM-FILTER-") { FilterProcessor(predicate, negate: true) },
            key: keySerde, value: valueSerde, repartition: repartitionRequired)
    }

    /// Replaces each record's key and value. Marks the stream for repartitioning.
    ///
    /// Processor name: `KSTREAM-MAP-<n>`.
    public func map<NewKey, NewValue>(
        named: Named? = nil, _ mapper: @escaping @Sendable (Key, Value) throws -> (NewKey, NewValue)
    ) -> KStream<NewKey, NewValue> {
        derived(addProcessor(named, "KSTREAM-MAP-") { MapProcessor(mapper) }, key: nil, value: nil, repartition: true)
    }

    /// Replaces each record's value, keeping its key (no repartitioning).
    ///
    /// Processor name: `KSTREAM-MAPVALUES-<n>`.
    public func mapValues<NewValue>(
        named: Named? = nil, _ mapper: @escaping @Sendable (Value) throws -> NewValue
    ) -> KStream<Key, NewValue> {
        mapValues(named: named) { _, value in try mapper(value) }
    }

    /// Replaces each record's value from its key and value, keeping the key.
    ///
    /// Processor name: `KSTREAM-MAPVALUES-<n>`.
    public func mapValues<NewValue>(
        named: Named? = nil, _ mapper: @escaping @Sendable (Key, Value) throws -> NewValue
    ) -> KStream<Key, NewValue> {
        derived(
            addFixedKeyProcessor(named, "KSTREAM-MAPVALUES-") { MapValuesProcessor(mapper) },
            key: keySerde, value: nil, repartition: repartitionRequired)
    }

    /// Replaces each record by zero or more records, each with the input's timestamp.
    /// Marks the stream for repartitioning.
    ///
    /// Processor name: `KSTREAM-FLATMAP-<n>`.
    public func flatMap<NewKey, NewValue, Results: Sequence>(
        named: Named? = nil, _ mapper: @escaping @Sendable (Key, Value) throws -> Results
    ) -> KStream<NewKey, NewValue> where Results.Element == KeyValue<NewKey, NewValue> {
        derived(addProcessor(named, "KSTREAM-FLATMAP-") { FlatMapProcessor(mapper) }, key: nil, value: nil, repartition: true)
    }

    /// Replaces each value by zero or more values, keeping key and timestamp.
    ///
    /// Processor name: `KSTREAM-FLATMAPVALUES-<n>`.
    public func flatMapValues<Results: Sequence>(
        named: Named? = nil, _ mapper: @escaping @Sendable (Value) throws -> Results
    ) -> KStream<Key, Results.Element> {
        flatMapValues(named: named) { _, value in try mapper(value) }
    }

    /// Replaces each value by zero or more values computed from key and value.
    ///
    /// Processor name: `KSTREAM-FLATMAPVALUES-<n>`.
    public func flatMapValues<Results: Sequence>(
        named: Named? = nil, _ mapper: @escaping @Sendable (Key, Value) throws -> Results
    ) -> KStream<Key, Results.Element> {
        derived(
            addFixedKeyProcessor(named, "KSTREAM-FLATMAPVALUES-") { FlatMapValuesProcessor(mapper) },
            key: keySerde, value: nil, repartition: repartitionRequired)
    }

    /// Replaces each record's key, keeping its value. Marks the stream for repartitioning.
    ///
    /// Processor name: `KSTREAM-KEY-SELECT-<n>`.
    public func selectKey<NewKey>(
        named: Named? = nil, _ selector: @escaping @Sendable (Key, Value) throws -> NewKey
    ) -> KStream<NewKey, Value> {
        derived(
            addProcessor(named, "KSTREAM-KEY-SELECT-") { MapProcessor { key, value in (try selector(key, value), value) } },
            key: nil, value: valueSerde, repartition: true)
    }

    /// Runs an action on each record and forwards it unchanged.
    ///
    /// Processor name: `KSTREAM-PEEK-<n>`.
    public func peek(named: Named? = nil, _ action: @escaping @Sendable (Key, Value) throws -> Void) -> KStream {
        derived(
            addProcessor(named, "KSTREAM-PEEK-") { PeekProcessor(action, forwards: true) },
            key: keySerde, value: valueSerde, repartition: repartitionRequired)
    }

    /// Runs an action on each record; a terminal operation.
    ///
    /// Processor name: `KSTREAM-FOREACH-<n>`.
    public func foreach(named: Named? = nil, _ action: @escaping @Sendable (Key, Value) throws -> Void) {
        _ = addProcessor(named, "KSTREAM-FOREACH-") { PeekProcessor(action, forwards: false) }
    }

    /// Merges this stream with another: records of both, each as it arrives.
    ///
    /// Processor name: `KSTREAM-MERGE-<n>`.
    public func merge(_ other: KStream, named: Named? = nil) -> KStream {
        let name = builder.name(named, "KSTREAM-MERGE-")
        let parents = [self.name, other.name]
        builder.add(name, parents: parents) {
            $0.addProcessor(name, parents: parents) { PassThroughProcessor<Key, Value>() }
        }
        return derived(
            name, key: keySerde ?? other.keySerde, value: valueSerde ?? other.valueSerde,
            repartition: repartitionRequired || other.repartitionRequired)
    }

    /// Splits the stream into branches by predicates; see ``BranchedKStream``.
    ///
    /// - Parameter named: the prefix of the branch names (default: the generated
    ///   `KSTREAM-BRANCH-<n>` splitter name).
    public func split(named: Named? = nil) -> BranchedKStream<Key, Value> {
        BranchedKStream(source: self, splitName: builder.name(named, "KSTREAM-BRANCH-"))
    }

    /// Prints each record as `[label]: key, value`; a terminal operation.
    ///
    /// Processor name: `KSTREAM-PRINTER-<n>`.
    public func print(_ printed: Printed<Key, Value>) {
        let name = builder.name(printed.named, "KSTREAM-PRINTER-")
        let parent = self.name
        let label = printed.label ?? name
        builder.add(name, parents: [parent]) {
            $0.addProcessor(name, parents: [parent]) { PrintProcessor(printed, label: label) }
        }
    }
}
