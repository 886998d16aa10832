/// A table replicated in full to every instance: each task reads all of it, whatever
/// partitions the task has, so joins with it need no co-partitioning.
///
/// Made by ``StreamsBuilder/globalTable(_:key:value:_:)``. It is loaded from its topic
/// before processing starts (in the test driver: as records are piped into the topic), and
/// any processor may read its store by name without being connected to it.
public struct GlobalKTable<Key, Value> {
    /// The name of the store holding the table.
    public let queryableStoreName: String
    let keySerde: Serde<Key>
    let valueSerde: Serde<Value>
}

extension StreamsBuilder {
    /// A global table over a topic; see ``GlobalKTable``. Null keys are dropped and
    /// counted; null values delete. Store: named by `materialized`, else
    /// `<topic>-STATE-STORE-<n>`; processors `KSTREAM-SOURCE-<n>` and `KTABLE-SOURCE-<n>`.
    @discardableResult
    public func globalTable<Key, Value>(
        _ topic: String, key: Serde<Key>, value: Serde<Value>, _ materialized: Materialized<Key, Value> = Materialized()
    ) -> GlobalKTable<Key, Value> {
        let storeName = materialized.storeName ?? newStoreName(topic + "-")
        let sourceName = newName("KSTREAM-SOURCE-")
        let tableName = newName("KTABLE-SOURCE-")
        let keySerde = materialized.key ?? key
        let valueSerde = materialized.value ?? value
        add(tableName, parents: []) { topology in
            topology.addGlobalStore(
                materialized.withCachingDisabled().storeBuilder(name: storeName, key: keySerde, value: valueSerde),
                sourceName: sourceName, topic: topic, key: .optional(key), value: .optional(value), processorName: tableName
            ) { TableSourceProcessor<Key, Value>(storeName: storeName, sendOldValues: false) }
        }
        return GlobalKTable(queryableStoreName: storeName, keySerde: keySerde, valueSerde: valueSerde)
    }
}
