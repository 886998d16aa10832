/// A persistent key-value store of bytes on RocksDB (Kafka's `RocksDBStore`), ordered
/// bytewise by key.
///
/// Lives in `<state.dir>/<application.id>/<task>/rocksdb/<name>` and uses the instance's
/// shared block cache and memtable budget (``RocksDBSharedResources``). Writes skip the
/// write-ahead log, as in Kafka Streams: the changelog topic is the log, and ``sync()``
/// (run by the state manager before each checkpoint) flushes memtables to disk. Iterators
/// read a snapshot and are closed when exhausted, closed, dropped, or when the store closes.
///
/// ```swift
/// let counts = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore("counts"), key: .string, value: .int64)
/// ```
public final class RocksDBKeyValueStore: KeyValueStore, SyncableStore {
    /// The store name.
    public let name: String
    /// Always `true`.
    public var persistent: Bool { true }
    /// Whether the store is open.
    public var isOpen: Bool { database?.isOpen ?? false }
    /// The database directory, once opened.
    public private(set) var path: String?
    var database: RocksDBDatabase?

    /// Creates a closed store.
    public init(name: String) { self.name = name }

    /// Opens (creating if missing) the database in the task's state directory.
    /// - Throws: ``StreamsError`` (`stateStore`) if the task has no state directory,
    ///   (`storeCorrupted`, `stateDirectoryLocked`, `stateIO`) for RocksDB failures.
    public func initialize(context: StateStoreContext) throws {
        let path = try Self.directory(for: name, context: context)
        try StateDirectory.makeDirectories(path)
        database = try RocksDBDatabase(store: name, path: path, resources: context.resources)
        self.path = path
    }

    static func directory(for name: String, context: StateStoreContext) throws -> String {
        if let directory = context.stateManager?.storeDirectory(name) { return directory }
        if let task = context.stateDirectory { return "\(task)/rocksdb/\(name)" }
        throw StreamsError(
            .stateStore, "persistent store \(name) needs a state directory; set state.dir or use an in-memory store",
            context: .init(store: name, taskId: context.taskId))
    }

    /// Does nothing: the cache layer above flushes into RocksDB's memtable, and the state
    /// manager calls ``sync()`` before it checkpoints.
    public func flush() throws {}

    /// Flushes memtables to disk.
    /// - Throws: ``StreamsError`` naming the store and path if RocksDB fails.
    public func sync() throws { try db().sync() }

    /// Closes open iterators, then the database.
    public func close() throws {
        database?.close()
        database = nil
    }

    func db() throws -> RocksDBDatabase {
        guard let database, database.isOpen else {
            throw StreamsError(.stateStore, "store \(name) is not open", context: .init(store: name, path: path))
        }
        return database
    }

    /// The value for the key.
    /// - Throws: ``StreamsError`` if the store is closed or RocksDB fails.
    public func get(_ key: [UInt8]) throws -> [UInt8]? { try db().get(key) }

    /// Sets or (with `nil`) deletes the key.
    /// - Throws: ``StreamsError`` if the store is closed or RocksDB fails.
    public func put(_ key: [UInt8], _ value: [UInt8]?) throws {
        if let value { try db().put(key, value) } else { try db().delete(key) }
    }

    /// Sets the value if the key has none; returns the existing value.
    /// - Throws: ``StreamsError`` if the store is closed or RocksDB fails.
    public func putIfAbsent(_ key: [UInt8], _ value: [UInt8]?) throws -> [UInt8]? {
        if let existing = try db().get(key) { return existing }
        if let value { try db().put(key, value) }
        return nil
    }

    /// Writes the entries in one atomic write batch; `nil` values delete.
    /// - Throws: ``StreamsError`` if the store is closed or RocksDB fails.
    public func putAll(_ entries: [KeyValue<[UInt8], [UInt8]?>]) throws {
        let database = try db()
        let batch = RocksDBWriteBatch()
        for entry in entries {
            if let value = entry.value { batch.put(entry.key, value) } else { batch.delete(entry.key) }
        }
        try database.write(batch)
    }

    /// Deletes the key; returns its old value.
    /// - Throws: ``StreamsError`` if the store is closed or RocksDB fails.
    public func delete(_ key: [UInt8]) throws -> [UInt8]? {
        let database = try db()
        let old = try database.get(key)
        if old != nil { try database.delete(key) }
        return old
    }

    /// Entries with `from <= key <= to`, in key order, from a snapshot taken now.
    /// - Throws: ``StreamsError`` if the store is closed.
    public func range(from: [UInt8]?, to: [UInt8]?) throws -> KeyValueIterator<[UInt8], [UInt8]> {
        try scan(from: from, to: to, reverse: false)
    }

    /// As ``range(from:to:)`` in reverse key order.
    /// - Throws: ``StreamsError`` if the store is closed.
    public func reverseRange(from: [UInt8]?, to: [UInt8]?) throws -> KeyValueIterator<[UInt8], [UInt8]> {
        try scan(from: from, to: to, reverse: true)
    }

    private func scan(from: [UInt8]?, to: [UInt8]?, reverse: Bool) throws -> KeyValueIterator<[UInt8], [UInt8]> {
        let database = try db()
        if let from, let to, ByteOrderedMap.compare(from, to) > 0 { return KeyValueIterator([]) }
        return try database.cursor(lower: from, upper: to.map { $0 + [0] }, reverse: reverse).keyValues()
    }

    /// Entries whose key starts with the prefix, in key order.
    /// - Throws: ``StreamsError`` if the store is closed.
    public func prefixScan(serializedPrefix: [UInt8]) throws -> KeyValueIterator<[UInt8], [UInt8]> {
        try db().cursor(lower: serializedPrefix, upper: Self.prefixSuccessor(serializedPrefix), reverse: false).keyValues()
    }

    /// The number of keys: exact (counted) while RocksDB estimates at most
    /// ``exactCountLimit``, RocksDB's estimate above (Kafka Streams always returns the
    /// estimate, which counts overwritten and deleted keys until compaction).
    /// - Throws: ``StreamsError`` if the store is closed.
    public func approximateNumEntries() throws -> Int {
        let database = try db()
        let estimate = try database.estimatedKeys()
        guard estimate <= Self.exactCountLimit else { return estimate }
        let cursor = try database.cursor(lower: nil, upper: nil, reverse: false)
        var count = 0
        while try cursor.next() != nil { count += 1 }
        return count
    }

    /// Up to this many estimated keys, ``approximateNumEntries()`` counts exactly.
    public static let exactCountLimit = 10_000

    /// The smallest key greater than every key starting with `prefix` (`nil`: none).
    static func prefixSuccessor(_ prefix: [UInt8]) -> [UInt8]? {
        var bytes = prefix
        while let last = bytes.last {
            if last < 0xFF {
                bytes[bytes.count - 1] = last + 1
                return bytes
            }
            bytes.removeLast()
        }
        return nil
    }
}

extension StateStoreContext {
    /// The RocksDB resources a persistent store opens with.
    var resources: RocksDBSharedResources { rocksDB ?? stateManager?.rocksDB ?? .shared }
}
