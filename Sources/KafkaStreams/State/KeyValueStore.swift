/// Reads of a key-value store: what interactive queries may do.
public protocol ReadOnlyKeyValueStore<Key, Value>: AnyObject {
    /// The key type.
    associatedtype Key
    /// The value type.
    associatedtype Value

    /// The value for the key, or `nil`.
    /// - Throws: if the store is closed or the value cannot be read.
    func get(_ key: Key) throws -> Value?

    /// Entries with `from <= key <= to` in key order (bytewise order of the serialized
    /// keys); a `nil` bound is open.
    /// - Throws: if the store is closed.
    func range(from: Key?, to: Key?) throws -> KeyValueIterator<Key, Value>

    /// As ``range(from:to:)`` in reverse key order.
    /// - Throws: if the store is closed.
    func reverseRange(from: Key?, to: Key?) throws -> KeyValueIterator<Key, Value>

    /// Entries whose serialized key starts with the given bytes, in key order.
    /// - Throws: if the store is closed.
    func prefixScan(serializedPrefix: [UInt8]) throws -> KeyValueIterator<Key, Value>

    /// An estimate of the number of entries (exact for in-memory stores).
    /// - Throws: if the store is closed.
    func approximateNumEntries() throws -> Int
}

extension ReadOnlyKeyValueStore {
    /// Every entry in key order.
    /// - Throws: if the store is closed.
    public func all() throws -> KeyValueIterator<Key, Value> { try range(from: nil, to: nil) }

    /// Every entry in reverse key order.
    /// - Throws: if the store is closed.
    public func reverseAll() throws -> KeyValueIterator<Key, Value> { try reverseRange(from: nil, to: nil) }

    /// Entries whose key, serialized with `serde`, starts with the serialized prefix.
    ///
    /// ```swift
    /// let orders = try store.prefixScan("customer-7|", serde: .string)
    /// ```
    /// - Throws: if the prefix cannot be serialized or the store is closed.
    public func prefixScan<Prefix>(_ prefix: Prefix, serde: Serde<Prefix>) throws -> KeyValueIterator<Key, Value> {
        try prefixScan(serializedPrefix: serde.serialize(prefix) ?? [])
    }
}

/// A key-value state store: the latest value per key, ordered by serialized key.
///
/// Writing `nil` deletes the key, as a Kafka tombstone does. Keys are ordered bytewise by
/// their serialized form, as in Kafka Streams, so ranges over a store built by Java and
/// by this library agree.
public protocol KeyValueStore<Key, Value>: ReadOnlyKeyValueStore, StateStore {
    /// Sets the value for the key; `nil` deletes it.
    /// - Throws: if the store is closed or the entry cannot be serialized.
    func put(_ key: Key, _ value: Value?) throws

    /// Sets the value only if the key has none.
    /// - Returns: the existing value, or `nil` if the value was written.
    /// - Throws: if the store is closed or the entry cannot be serialized.
    @discardableResult
    func putIfAbsent(_ key: Key, _ value: Value?) throws -> Value?

    /// Writes every entry in order; `nil` values delete.
    /// - Throws: if the store is closed or an entry cannot be serialized.
    func putAll(_ entries: [KeyValue<Key, Value?>]) throws

    /// Removes the key.
    /// - Returns: the value it had, or `nil`.
    /// - Throws: if the store is closed.
    @discardableResult
    func delete(_ key: Key) throws -> Value?
}
