import NIOCore

/// The typed face of a key-value store: serializes keys and values with serdes and
/// delegates to a store of bytes.
///
/// This is the outermost layer of every key-value store a ``StoreBuilder`` builds (Kafka's
/// `MeteredKeyValueStore`); later layers (caching, change-logging) sit between it and the
/// bytes store. Serialization failures are raised as ``StreamsError`` naming the store.
public final class MeteredKeyValueStore<Key, Value>: KeyValueStore, WrappedStateStore {
    package var wrappedStore: any StateStore { inner }

    /// The bytes store underneath.
    public let inner: any KeyValueStore<[UInt8], [UInt8]>
    /// The key serde.
    public let keySerde: Serde<Key>
    /// The value serde.
    public let valueSerde: Serde<Value>
    private var scratch = ByteBuffer()
    /// The bytes of the last key serialized: a `put` after a `get` of the same key (what
    /// every aggregation does) reuses them instead of allocating again.
    private var lastKey: [UInt8] = []
    /// A buffer values are decoded from, reused instead of one allocation per read.
    private var readBuffer = ByteBuffer()
    /// Operation counters, once open.
    private var metrics: StoreMetrics?

    /// Wraps a bytes store.
    public init(inner: any KeyValueStore<[UInt8], [UInt8]>, keySerde: Serde<Key>, valueSerde: Serde<Value>) {
        self.inner = inner
        self.keySerde = keySerde
        self.valueSerde = valueSerde
    }

    /// The store name.
    public var name: String { inner.name }
    /// Whether the bytes store is persistent.
    public var persistent: Bool { inner.persistent }
    /// Whether the store is open.
    public var isOpen: Bool { inner.isOpen }
    /// Opens the bytes store.
    public func initialize(context: StateStoreContext) throws {
        try inner.initialize(context: context)
        metrics = StoreMetrics(store: name, context: context)
    }
    /// Flushes the bytes store.
    public func flush() throws { try inner.flush() }
    /// Closes the bytes store.
    public func close() throws { try inner.close() }

    func keyBytes(_ key: Key) throws -> [UInt8] {
        scratch.clear()
        do {
            guard try keySerde.serialize(key, into: &scratch) else {
                throw SerdeError("\(keySerde.name) serialized a key to null; store keys must not be null")
            }
        } catch {
            throw StreamsError(.serialization, "could not serialize a key for store \(name)", context: .init(store: name), cause: error)
        }
        let view = scratch.readableBytesView
        if !view.elementsEqual(lastKey) { lastKey = Array(view) }
        return lastKey
    }

    func valueBytes(_ value: Value?) throws -> [UInt8]? {
        guard let value else { return nil }
        scratch.clear()
        do {
            guard try valueSerde.serialize(value, into: &scratch) else { return nil }
        } catch {
            throw StreamsError(.serialization, "could not serialize a value for store \(name)", context: .init(store: name), cause: error)
        }
        return Array(scratch.readableBytesView)
    }

    func decodeValue(_ bytes: [UInt8]?) throws -> Value? {
        guard let bytes else { return nil }
        readBuffer.clear()
        readBuffer.writeBytes(bytes)
        do { return try valueSerde.deserialize(readBuffer) } catch {
            throw StreamsError(.deserialization, "could not read a value of store \(name)", context: .init(store: name), cause: error)
        }
    }

    func decodeKey(_ bytes: [UInt8]) throws -> Key {
        do { return try keySerde.deserialize(bytes) } catch {
            throw StreamsError(.deserialization, "could not read a key of store \(name)", context: .init(store: name), cause: error)
        }
    }

    /// The value for the key.
    /// - Throws: ``StreamsError`` if the store is closed or bytes cannot be converted.
    public func get(_ key: Key) throws -> Value? {
        metrics?.get.increment()
        return try decodeValue(inner.get(keyBytes(key)))
    }

    /// Sets or (with `nil`) deletes the key.
    /// - Throws: ``StreamsError`` if the store is closed or bytes cannot be converted.
    public func put(_ key: Key, _ value: Value?) throws {
        metrics?.put.increment()
        try inner.put(keyBytes(key), valueBytes(value))
    }

    /// Sets the value if the key has none; returns the existing value.
    /// - Throws: ``StreamsError`` if the store is closed or bytes cannot be converted.
    public func putIfAbsent(_ key: Key, _ value: Value?) throws -> Value? {
        try decodeValue(inner.putIfAbsent(keyBytes(key), valueBytes(value)))
    }

    /// Writes entries in order.
    /// - Throws: ``StreamsError`` if the store is closed or bytes cannot be converted.
    public func putAll(_ entries: [KeyValue<Key, Value?>]) throws {
        try inner.putAll(entries.map { KeyValue(try keyBytes($0.key), try valueBytes($0.value)) })
    }

    /// Removes the key; returns its old value.
    /// - Throws: ``StreamsError`` if the store is closed or bytes cannot be converted.
    public func delete(_ key: Key) throws -> Value? {
        metrics?.delete.increment()
        return try decodeValue(inner.delete(keyBytes(key)))
    }

    /// Entries in `from...to` by serialized-key order.
    /// - Throws: ``StreamsError`` if the store is closed or a bound cannot be serialized.
    public func range(from: Key?, to: Key?) throws -> KeyValueIterator<Key, Value> {
        metrics?.range.increment()
        return try typed(inner.range(from: from.map(keyBytes), to: to.map(keyBytes)))
    }

    /// Entries in `from...to` in reverse order.
    /// - Throws: ``StreamsError`` if the store is closed or a bound cannot be serialized.
    public func reverseRange(from: Key?, to: Key?) throws -> KeyValueIterator<Key, Value> {
        try typed(inner.reverseRange(from: from.map(keyBytes), to: to.map(keyBytes)))
    }

    /// Entries whose serialized key starts with the prefix.
    /// - Throws: ``StreamsError`` if the store is closed.
    public func prefixScan(serializedPrefix: [UInt8]) throws -> KeyValueIterator<Key, Value> {
        try typed(inner.prefixScan(serializedPrefix: serializedPrefix))
    }

    /// The bytes store's estimate.
    /// - Throws: ``StreamsError`` if the store is closed.
    public func approximateNumEntries() throws -> Int { try inner.approximateNumEntries() }

    private func typed(_ bytes: KeyValueIterator<[UInt8], [UInt8]>) -> KeyValueIterator<Key, Value> {
        KeyValueIterator(
            next: { [self] in
                guard let entry = try bytes.next() else { return nil }
                guard let value = try decodeValue(entry.value) else { return nil }
                return KeyValue(try decodeKey(entry.key), value)
            }, onClose: { bytes.close() })
    }
}
