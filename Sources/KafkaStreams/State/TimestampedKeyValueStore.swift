/// A key-value store whose values carry the timestamp of the record that wrote them.
///
/// DSL tables and aggregations keep their state in such stores. This is the same
/// ``KeyValueStore`` protocol over ``ValueAndTimestamp`` values.
public typealias TimestampedKeyValueStore<Key, Value> = KeyValueStore<Key, ValueAndTimestamp<Value>>

/// A timestamped store seen as a plain key-value store (values without timestamps), as
/// Kafka Streams' interactive queries and test driver show it. Writes through it store
/// the value with timestamp -1 (no timestamp).
public final class PlainValueView<Key, Value>: KeyValueStore, WrappedStateStore {
    package var wrappedStore: any StateStore { inner }

    let inner: any KeyValueStore<Key, ValueAndTimestamp<Value>>

    /// Wraps a timestamped store.
    public init(_ inner: any KeyValueStore<Key, ValueAndTimestamp<Value>>) { self.inner = inner }

    /// The store name.
    public var name: String { inner.name }
    /// Whether the store is persistent.
    public var persistent: Bool { inner.persistent }
    /// Whether the store is open.
    public var isOpen: Bool { inner.isOpen }
    /// Opens the store.
    public func initialize(context: StateStoreContext) throws { try inner.initialize(context: context) }
    /// Flushes the store.
    public func flush() throws { try inner.flush() }
    /// Closes the store.
    public func close() throws { try inner.close() }

    /// Writes the value with timestamp -1; `nil` deletes.
    /// - Throws: what the store throws.
    public func put(_ key: Key, _ value: Value?) throws { try inner.put(key, value.map { ValueAndTimestamp($0, timestamp: -1) }) }

    /// Writes the value if the key has none; returns the existing value.
    /// - Throws: what the store throws.
    public func putIfAbsent(_ key: Key, _ value: Value?) throws -> Value? {
        try inner.putIfAbsent(key, value.map { ValueAndTimestamp($0, timestamp: -1) })?.value
    }

    /// Writes entries in order.
    /// - Throws: what the store throws.
    public func putAll(_ entries: [KeyValue<Key, Value?>]) throws {
        for entry in entries { try put(entry.key, entry.value) }
    }

    /// Deletes the key; returns its value.
    /// - Throws: what the store throws.
    public func delete(_ key: Key) throws -> Value? { try inner.delete(key)?.value }

    /// The value for the key.
    /// - Throws: what the store throws.
    public func get(_ key: Key) throws -> Value? { try inner.get(key)?.value }

    /// Entries in `from...to`.
    /// - Throws: what the store throws.
    public func range(from: Key?, to: Key?) throws -> KeyValueIterator<Key, Value> {
        plain(try inner.range(from: from, to: to))
    }

    /// Entries in `from...to` in reverse order.
    /// - Throws: what the store throws.
    public func reverseRange(from: Key?, to: Key?) throws -> KeyValueIterator<Key, Value> {
        plain(try inner.reverseRange(from: from, to: to))
    }

    /// Entries whose serialized key starts with the prefix.
    /// - Throws: what the store throws.
    public func prefixScan(serializedPrefix: [UInt8]) throws -> KeyValueIterator<Key, Value> {
        plain(try inner.prefixScan(serializedPrefix: serializedPrefix))
    }

    /// The store's estimate.
    /// - Throws: what the store throws.
    public func approximateNumEntries() throws -> Int { try inner.approximateNumEntries() }

    private func plain(_ it: KeyValueIterator<Key, ValueAndTimestamp<Value>>) -> KeyValueIterator<Key, Value> {
        KeyValueIterator(
            next: {
                guard let entry = try it.next() else { return nil }
                return KeyValue(entry.key, entry.value.value)
            }, onClose: { it.close() })
    }
}
