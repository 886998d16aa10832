/// How a join reads a table's current row for a key (Kafka Streams' `KTableValueGetter`):
/// from the table's own store when it has one, else through its parent's lookup and the
/// operator's function (an unmaterialized `filter` or `mapValues`, or a table–table join).
///
/// Declared with the join, resolved when the graph is written: ``prepare`` runs at
/// declaration (a source table is materialized so it can be read), ``resolve`` at
/// `build()`, when store names are final.
struct TableLookup<Key, Value> {
    /// Makes sure the rows will be readable (materializes a source table).
    let prepare: () -> Void
    /// The stores to connect and the per-task getter factory.
    let resolve: () throws -> TableGetterSupplier<Key, Value>

    /// This lookup with `compute` applied to each row found (`nil`: no row).
    func mapped<V>(_ compute: @escaping @Sendable (Key, Value) throws -> V?) -> TableLookup<Key, V> {
        let resolve = self.resolve
        return TableLookup<Key, V>(prepare: prepare) {
            let parent = try resolve()
            return TableGetterSupplier(stores: parent.stores) { store in
                let get = try parent.make(store)
                return { key in
                    guard let row = try get(key), let value = try compute(key, row.value) else { return nil }
                    return ValueAndTimestamp(value, timestamp: row.timestamp)
                }
            }
        }
    }

    /// A lookup reading the store `storeName` (a timestamped key-value store).
    static func store(_ storeName: String) -> TableGetterSupplier<Key, Value> {
        TableGetterSupplier(stores: [storeName]) { store in
            let any = try store(storeName)
            guard let typed = any as? MeteredKeyValueStore<Key, ValueAndTimestamp<Value>> else {
                throw StreamsError(
                    .stateStore,
                    "store \(storeName) is a \(type(of: any)), not a key-value store of \(Key.self) and \(Value.self); "
                        + "a join can only look up key-value tables", context: .init(store: storeName))
            }
            return { key in try typed.get(key) }
        }
    }
}

/// A resolved ``TableLookup``: the stores a reading processor must be connected to and a
/// factory that, given the processor's store access, returns the getter for one task.
struct TableGetterSupplier<Key, Value>: Sendable {
    /// The stores to connect to the reading processor (empty for a global table's store).
    let stores: [String]
    /// Makes the getter for one task from the processor's store access.
    let make: @Sendable (_ store: (String) throws -> any StateStore) throws -> (Key) throws -> ValueAndTimestamp<Value>?
}

extension KTable {
    /// How joins read this table by key.
    var lookup: TableLookup<Key, Value> {
        if let derivedLookup { return derivedLookup }
        let node = self.node
        let name = self.name
        return TableLookup(
            prepare: { if node.parent == nil { node.forceMaterialization = true } },
            resolve: {
                guard let storeName = node.storeName else {
                    throw StreamsError(
                        .invalidTopology,
                        "table \(name) has no store and cannot be looked up by a join; pass a Materialized to the operator that makes it",
                        context: .init(node: name))
                }
                return TableLookup<Key, Value>.store(storeName)
            })
    }
}

extension ProcessorContext {
    /// Store access for a ``TableGetterSupplier``.
    var storeAccess: (String) throws -> any StateStore {
        { [unowned self] name in try self.getStateStore(name, as: (any StateStore).self) }
    }
}
