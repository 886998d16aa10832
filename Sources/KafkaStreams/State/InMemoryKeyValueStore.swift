/// A key-value store of bytes kept in memory, ordered bytewise by key.
///
/// The innermost layer of an in-memory store (Kafka's `InMemoryKeyValueStore`); users reach
/// it through the typed store a ``StoreBuilder`` builds. Its contents live as long as the
/// task; the changelog (when logging is enabled) is what makes them recoverable.
public final class InMemoryKeyValueStore: KeyValueStore {
    /// The store name.
    public let name: String
    /// Always `false`: nothing is kept on disk.
    public var persistent: Bool { false }
    /// Whether the store is open.
    public private(set) var isOpen = false
    private var map = ByteOrderedMap()

    /// Creates a closed, empty store.
    public init(name: String) { self.name = name }

    /// Opens the store.
    public func initialize(context: StateStoreContext) throws { isOpen = true }
    /// Does nothing: memory needs no flushing.
    public func flush() throws {}
    /// Closes the store and drops its contents.
    public func close() throws {
        isOpen = false
        map.removeAll()
    }

    private func checkOpen() throws {
        guard isOpen else {
            throw StreamsError(.stateStore, "store \(name) is not open", context: .init(store: name))
        }
    }

    /// The value for the key.
    /// - Throws: if the store is closed.
    public func get(_ key: [UInt8]) throws -> [UInt8]? {
        try checkOpen()
        return map.get(key)
    }

    /// Sets or (with `nil`) deletes the key.
    /// - Throws: if the store is closed.
    public func put(_ key: [UInt8], _ value: [UInt8]?) throws {
        try checkOpen()
        if let value { map.put(key, value) } else { map.remove(key) }
    }

    /// Sets the value if the key has none; returns the existing value.
    /// - Throws: if the store is closed.
    public func putIfAbsent(_ key: [UInt8], _ value: [UInt8]?) throws -> [UInt8]? {
        try checkOpen()
        if let existing = map.get(key) { return existing }
        if let value { map.put(key, value) }
        return nil
    }

    /// Writes entries in order.
    /// - Throws: if the store is closed.
    public func putAll(_ entries: [KeyValue<[UInt8], [UInt8]?>]) throws {
        for entry in entries { try put(entry.key, entry.value) }
    }

    /// Removes the key; returns its old value.
    /// - Throws: if the store is closed.
    public func delete(_ key: [UInt8]) throws -> [UInt8]? {
        try checkOpen()
        return map.remove(key)
    }

    /// Entries in `from...to`, a snapshot taken now.
    /// - Throws: if the store is closed.
    public func range(from: [UInt8]?, to: [UInt8]?) throws -> KeyValueIterator<[UInt8], [UInt8]> {
        try checkOpen()
        return iterator(map.entries(from: from, to: to, reverse: false))
    }

    /// Entries in `from...to` in reverse order, a snapshot taken now.
    /// - Throws: if the store is closed.
    public func reverseRange(from: [UInt8]?, to: [UInt8]?) throws -> KeyValueIterator<[UInt8], [UInt8]> {
        try checkOpen()
        return iterator(map.entries(from: from, to: to, reverse: true))
    }

    /// Entries whose key starts with the prefix.
    /// - Throws: if the store is closed.
    public func prefixScan(serializedPrefix: [UInt8]) throws -> KeyValueIterator<[UInt8], [UInt8]> {
        try checkOpen()
        return iterator(map.entries(withPrefix: serializedPrefix))
    }

    /// The exact number of entries.
    /// - Throws: if the store is closed.
    public func approximateNumEntries() throws -> Int {
        try checkOpen()
        return map.count
    }

    private func iterator(_ entries: [(key: [UInt8], value: [UInt8])]) -> KeyValueIterator<[UInt8], [UInt8]> {
        var index = 0
        return KeyValueIterator(next: {
            guard index < entries.count else { return nil }
            defer { index += 1 }
            return KeyValue(entries[index].key, entries[index].value)
        })
    }
}
