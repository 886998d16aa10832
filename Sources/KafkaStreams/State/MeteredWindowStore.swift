/// The typed face of a window store: serializes keys and values and delegates to a bytes
/// window store.
public final class MeteredWindowStore<Key, Value>: WindowStore, WrappedStateStore {
    package var wrappedStore: any StateStore { inner }

    /// The bytes store underneath.
    public let inner: any WindowStore<[UInt8], [UInt8]>
    /// Operation counters, once open.
    private var metrics: StoreMetrics?
    let serdes: StoreSerdes<Key, Value>

    /// Wraps a bytes store.
    public init(inner: any WindowStore<[UInt8], [UInt8]>, keySerde: Serde<Key>, valueSerde: Serde<Value>) {
        self.inner = inner
        self.serdes = StoreSerdes(store: inner.name, key: keySerde, value: valueSerde)
    }

    /// The store name.
    public var name: String { inner.name }
    /// Whether the bytes store is persistent.
    public var persistent: Bool { inner.persistent }
    /// Whether the store is open.
    public var isOpen: Bool { inner.isOpen }
    /// Opens the store.
    public func initialize(context: StateStoreContext) throws {
        try inner.initialize(context: context)
        metrics = StoreMetrics(store: name, context: context)
    }
    /// Flushes the store.
    public func flush() throws { try inner.flush() }
    /// Closes the store.
    public func close() throws { try inner.close() }

    /// Writes a window (`nil` deletes).
    /// - Throws: ``StreamsError`` if closed or not serializable.
    public func put(_ key: Key, _ value: Value?, windowStart: Int64) throws {
        metrics?.put.increment()
        try inner.put(serdes.keyBytes(key), serdes.valueBytes(value), windowStart: windowStart)
    }

    /// The key's window at `windowStart`.
    /// - Throws: ``StreamsError`` if closed or not deserializable.
    public func fetch(_ key: Key, windowStart: Int64) throws -> Value? {
        metrics?.get.increment()
        return try serdes.value(inner.fetch(serdes.keyBytes(key), windowStart: windowStart))
    }

    /// The key's windows in a start range.
    /// - Throws: ``StreamsError`` if closed.
    public func fetch(_ key: Key, from: Int64, to: Int64, backward: Bool) throws -> KeyValueIterator<Int64, Value> {
        metrics?.range.increment()
        let bytes = try inner.fetch(serdes.keyBytes(key), from: from, to: to, backward: backward)
        let serdes = self.serdes
        return KeyValueIterator(
            next: {
                guard let entry = try bytes.next(), let value = try serdes.value(entry.value) else { return nil }
                return KeyValue(entry.key, value)
            }, onClose: { bytes.close() })
    }

    /// Every window in a start range.
    /// - Throws: ``StreamsError`` if closed.
    public func fetchAll(from: Int64, to: Int64, backward: Bool) throws -> KeyValueIterator<Windowed<Key>, Value> {
        serdes.windowed(try inner.fetchAll(from: from, to: to, backward: backward))
    }
}

/// The typed face of a session store.
public final class MeteredSessionStore<Key, Value>: SessionStore, WrappedStateStore {
    package var wrappedStore: any StateStore { inner }

    /// The bytes store underneath.
    public let inner: any SessionStore<[UInt8], [UInt8]>
    let serdes: StoreSerdes<Key, Value>

    /// Wraps a bytes store.
    public init(inner: any SessionStore<[UInt8], [UInt8]>, keySerde: Serde<Key>, valueSerde: Serde<Value>) {
        self.inner = inner
        self.serdes = StoreSerdes(store: inner.name, key: keySerde, value: valueSerde)
    }

    /// The store name.
    public var name: String { inner.name }
    /// Whether the bytes store is persistent.
    public var persistent: Bool { inner.persistent }
    /// Whether the store is open.
    public var isOpen: Bool { inner.isOpen }
    /// Opens the store.
    public func initialize(context: StateStoreContext) throws { try inner.initialize(context: context) }
    /// Flushes the store.
    public func flush() throws { try inner.flush() }
    /// Closes the store.
    public func close() throws { try inner.close() }

    /// The key's sessions overlapping the range.
    /// - Throws: ``StreamsError`` if closed.
    public func findSessions(_ key: Key, earliestSessionEnd: Int64, latestSessionStart: Int64) throws -> KeyValueIterator<Windowed<Key>, Value> {
        serdes.windowed(
            try inner.findSessions(serdes.keyBytes(key), earliestSessionEnd: earliestSessionEnd, latestSessionStart: latestSessionStart))
    }

    /// The value of exactly this session.
    /// - Throws: ``StreamsError`` if closed.
    public func fetchSession(_ key: Key, start: Int64, end: Int64) throws -> Value? {
        try serdes.value(inner.fetchSession(serdes.keyBytes(key), start: start, end: end))
    }

    /// Writes (or with `nil` removes) a session.
    /// - Throws: ``StreamsError`` if closed or not serializable.
    public func put(_ session: Windowed<Key>, _ value: Value?) throws {
        try inner.put(Windowed(key: serdes.keyBytes(session.key), window: session.window), serdes.valueBytes(value))
    }

    /// Every session.
    /// - Throws: ``StreamsError`` if closed.
    public func all() throws -> KeyValueIterator<Windowed<Key>, Value> { serdes.windowed(try inner.all()) }
}

/// Converts a store's keys and values with serdes, with errors naming the store.
struct StoreSerdes<Key, Value> {
    let store: String
    let key: Serde<Key>
    let value: Serde<Value>

    func keyBytes(_ k: Key) throws -> [UInt8] {
        do {
            guard let bytes = try key.serialize(k) else { throw SerdeError("\(key.name) serialized a key to null") }
            return bytes
        } catch {
            throw StreamsError(.serialization, "could not serialize a key for store \(store)", context: .init(store: store), cause: error)
        }
    }

    func valueBytes(_ v: Value?) throws -> [UInt8]? {
        guard let v else { return nil }
        do { return try value.serialize(v) } catch {
            throw StreamsError(.serialization, "could not serialize a value for store \(store)", context: .init(store: store), cause: error)
        }
    }

    func value(_ bytes: [UInt8]?) throws -> Value? {
        guard let bytes else { return nil }
        do { return try value.deserialize(bytes) } catch {
            throw StreamsError(.deserialization, "could not read a value of store \(store)", context: .init(store: store), cause: error)
        }
    }

    func windowed(_ bytes: KeyValueIterator<Windowed<[UInt8]>, [UInt8]>) -> KeyValueIterator<Windowed<Key>, Value> {
        let this = self
        return KeyValueIterator(
            next: {
                guard let entry = try bytes.next(), let value = try this.value(entry.value) else { return nil }
                let key: Key
                do { key = try this.key.deserialize(entry.key.key) } catch {
                    throw StreamsError(.deserialization, "could not read a key of store \(this.store)", context: .init(store: this.store), cause: error)
                }
                return KeyValue(Windowed(key: key, window: entry.key.window), value)
            }, onClose: { bytes.close() })
    }
}
