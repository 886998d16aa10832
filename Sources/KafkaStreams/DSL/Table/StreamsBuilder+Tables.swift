extension StreamsBuilder {
    /// A table over a topic: the latest value per key, a null value deleting the key.
    /// Records with a null key are dropped and counted.
    ///
    /// The table is materialized (in a store named after `materialized`, or generated as
    /// `<topic>-STATE-STORE-<n>`) when a name is given or a downstream operator needs old
    /// values. Processors: `KSTREAM-SOURCE-<n>` and `KTABLE-SOURCE-<n>`.
    @discardableResult
    public func table<Key, Value>(
        _ topic: String, key: Serde<Key>, value: Serde<Value>, _ materialized: Materialized<Key, Value>? = nil,
        timestampExtractor: TimestampExtractor<Key?, Value?> = .recordTimestamp, offsetReset: AutoOffsetReset? = nil
    ) -> KTable<Key, Value> {
        let storeName = materialized?.storeName ?? newStoreName(topic + "-")
        let sourceName = newName("KSTREAM-SOURCE-")
        let tableName = newName("KTABLE-SOURCE-")
        let node = TableNode(
            name: tableName, parent: nil, storeName: storeName, queryable: materialized?.storeName != nil,
            oldValuesFromOwnStore: true)
        let options = materialized ?? Materialized()
        let keySerde = options.key ?? key
        let valueSerde = options.value ?? value
        sourceTopicChangelogs[storeName] = topic
        add(sourceName, parents: []) { topology in
            topology.addSource(
                sourceName, topics: [topic], key: .optional(key), value: .optional(value), timestampExtractor: timestampExtractor,
                offsetReset: offsetReset)
        }
        add(tableName, parents: [sourceName]) { [self] topology in
            let materialize = materialized != nil || node.forceMaterialization
            if materialize {
                topology.stores[storeName] = options.storeBuilder(name: storeName, key: keySerde, value: valueSerde).erased
                topology.storeOrder.append(storeName)
            } else {
                sourceTopicChangelogs[storeName] = nil
            }
            let send = node.sendOldValues
            topology.addProcessor(tableName, parents: [sourceName], stores: materialize ? [storeName] : []) {
                TableSourceProcessor<Key, Value>(storeName: materialize ? storeName : nil, sendOldValues: send)
            }
        }
        return KTable(builder: self, name: tableName, keySerde: keySerde, valueSerde: valueSerde, node: node)
    }
}

extension KStream {
    /// The stream as a table: each record upserts its key; after a key-changing operator
    /// the stream is repartitioned first (`<name>-repartition`). Processor name:
    /// `KSTREAM-TOTABLE-<n>`; the table is materialized in a store
    /// (`KSTREAM-TOTABLE-STATE-STORE-<n>` unless named).
    @_disfavoredOverload @discardableResult
    public func toTable(named: Named? = nil, _ materialized: Materialized<Key, Value> = Materialized()) -> KTable<Key, Value> {
        toTable(named: named, materialized, keySerde: keySerde, valueSerde: valueSerde) { key, value in (key, value) }
    }

    func toTable<K, V>(
        named: Named?, _ materialized: Materialized<K, V>, keySerde: Serde<K>?, valueSerde: Serde<V>?,
        unwrap: @escaping @Sendable (Key, Value) -> (K?, V?)
    ) -> KTable<K, V> {
        let name = builder.name(named, "KSTREAM-TOTABLE-")
        let storeName = materialized.storeName ?? builder.newStoreName("KSTREAM-TOTABLE-")
        let node = TableNode(name: name, parent: nil, storeName: storeName, queryable: materialized.storeName != nil, oldValuesFromOwnStore: true)
        let keySerde = materialized.key ?? keySerde
        let valueSerde = materialized.value ?? valueSerde
        let streamKeySerde = self.keySerde
        let streamValueSerde = self.valueSerde
        let repartition = repartitionRequired
        let stream = self.name
        builder.addStore(named: storeName, owner: name) {
            let (k, v) = try KStream<K, V>.requireSerdes(keySerde, valueSerde, node: name, purpose: "toTable store \(storeName)")
            return materialized.storeBuilder(name: storeName, key: k, value: v).erased
        }
        let builder = self.builder
        builder.add(name, parents: [stream]) { topology in
            var parent = stream
            if repartition {
                let (k, v) = try KStream.requireSerdes(streamKeySerde, streamValueSerde, node: name, purpose: "repartition \(name)")
                parent = builder.repartitionSource(of: stream, base: name, key: k, value: v, into: topology)
            }
            let send = node.sendOldValues
            topology.addProcessor(name, parents: [parent], stores: [storeName]) {
                UnwrapThen(unwrap: unwrap, TableSourceProcessor<K, V>(storeName: storeName, sendOldValues: send))
            }
        }
        return KTable(builder: builder, name: name, keySerde: keySerde, valueSerde: valueSerde, node: node)
    }
}

extension KStream where Value: OptionalValue {
    /// The stream as a table, a `nil` value deleting its key.
    @discardableResult
    @_disfavoredOverload
    public func toTable(named: Named? = nil, _ materialized: Materialized<Key, Value.Wrapped> = Materialized()) -> KTable<Key, Value.Wrapped> {
        toTable(named: named, materialized, keySerde: keySerde, valueSerde: valueSerde?.unwrapped()) { key, value in
            (key, value.optionalValue)
        }
    }
}

extension KStream where Key: OptionalValue {
    /// The stream as a table; records with a `nil` key are dropped and counted (`null-key`).
    @discardableResult
    @_disfavoredOverload
    public func toTable(named: Named? = nil, _ materialized: Materialized<Key.Wrapped, Value> = Materialized()) -> KTable<Key.Wrapped, Value> {
        toTable(named: named, materialized, keySerde: keySerde?.unwrapped(), valueSerde: valueSerde) { key, value in
            (key.optionalValue, value)
        }
    }
}

extension KStream where Key: OptionalValue, Value: OptionalValue {
    /// The stream as a table; `nil` keys are dropped and counted, `nil` values delete.
    @discardableResult
    public func toTable(
        named: Named? = nil, _ materialized: Materialized<Key.Wrapped, Value.Wrapped> = Materialized()
    ) -> KTable<Key.Wrapped, Value.Wrapped> {
        toTable(named: named, materialized, keySerde: keySerde?.unwrapped(), valueSerde: valueSerde?.unwrapped()) { key, value in
            (key.optionalValue, value.optionalValue)
        }
    }
}

/// Optional, as a constraint: lets operators treat `nil` values as Kafka's nulls.
public protocol OptionalValue {
    /// The wrapped type.
    associatedtype Wrapped
    /// The value as an optional.
    var optionalValue: Wrapped? { get }
    /// A non-nil value.
    static func wrap(_ value: Wrapped) -> Self
}

extension Optional: OptionalValue {
    /// Itself.
    public var optionalValue: Wrapped? { self }
    /// `.some(value)`.
    public static func wrap(_ value: Wrapped) -> Self { .some(value) }
}

/// Adapts a stream record to a table source's nullable input.
final class UnwrapThen<Key, Value, K, V>: Processor {
    typealias OutKey = K
    typealias OutValue = Change<V>
    let unwrap: (Key, Value) -> (K?, V?)
    let inner: TableSourceProcessor<K, V>

    init(unwrap: @escaping (Key, Value) -> (K?, V?), _ inner: TableSourceProcessor<K, V>) {
        self.unwrap = unwrap
        self.inner = inner
    }
    func initialize(context: ProcessorContext<K, Change<V>>) throws { try inner.initialize(context: context) }
    func process(_ record: Record<Key, Value>) throws {
        let (k, v) = unwrap(record.key, record.value)
        try inner.process(Record(key: k, value: v, timestamp: record.timestamp, headers: record.headers))
    }
}
