import CRocksDB

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One open RocksDB database: the thin, checked layer over the C API that the stores use.
///
/// Every call that can fail turns RocksDB's error string into a ``StreamsError`` naming the
/// store and the path. Iterators made by ``cursor(lower:upper:reverse:)`` are registered here
/// and closed before the database is, so an iterator a caller forgot can never outlive the
/// database (RocksDB would crash). Not thread-safe: owned by one store of one task.
final class RocksDBDatabase {
    let store: String
    let path: String
    private(set) var handle: OpaquePointer?
    private let options: OpaquePointer
    private let tableOptions: OpaquePointer
    private let readOptions: OpaquePointer
    private let writeOptions: OpaquePointer
    private let resources: RocksDBSharedResources
    private var cursors: [ObjectIdentifier: RocksDBCursor] = [:]
    /// Writes since the last ``sync()``.
    private(set) var dirty = false

    /// Opens (creating if missing) the database at `path` with the shared resources'
    /// settings, then the store's config setter.
    /// - Throws: ``StreamsError`` (`storeCorrupted`, `stateDirectoryLocked`, `stateIO`, `stateStore`).
    init(store: String, path: String, resources: RocksDBSharedResources) throws {
        self.store = store
        self.path = path
        self.resources = resources
        options = rocksdb_options_create()
        tableOptions = rocksdb_block_based_options_create()
        readOptions = rocksdb_readoptions_create()
        writeOptions = rocksdb_writeoptions_create()
        // No write-ahead log, as in Kafka Streams: the changelog topic is the log, and
        // ``sync()`` (before every checkpoint) flushes the memtables.
        rocksdb_writeoptions_disable_WAL(writeOptions, 1)
        let settings = RocksDBOptions(options: options, tableOptions: tableOptions, store: store)
        resources.configure(settings)
        rocksdb_options_set_block_based_table_factory(options, tableOptions)
        var error: UnsafeMutablePointer<CChar>?
        let db = rocksdb_open(options, path, &error)
        if let failure = Self.take(error, operation: "open", path: path) {
            rocksdb_options_destroy(options)
            rocksdb_block_based_options_destroy(tableOptions)
            rocksdb_readoptions_destroy(readOptions)
            rocksdb_writeoptions_destroy(writeOptions)
            throw failure.streamsError(store: store)
        }
        handle = db
        resources.register(self)
    }

    deinit { close() }

    /// Closes open iterators, then the database. Safe to call twice.
    func close() {
        guard let db = handle else { return }
        for cursor in cursors.values { cursor.close() }
        cursors.removeAll()
        resources.unregister(self)
        rocksdb_close(db)
        handle = nil
        rocksdb_options_destroy(options)
        rocksdb_block_based_options_destroy(tableOptions)
        rocksdb_readoptions_destroy(readOptions)
        rocksdb_writeoptions_destroy(writeOptions)
    }

    var isOpen: Bool { handle != nil }

    static func take(_ error: UnsafeMutablePointer<CChar>?, operation: String, path: String) -> RocksDBError? {
        guard let error else { return nil }
        defer { rocksdb_free(error) }
        return RocksDBError(message: String(cString: error), operation: operation, path: path)
    }

    private func check(_ error: UnsafeMutablePointer<CChar>?, _ operation: String) throws {
        if let failure = Self.take(error, operation: operation, path: path) { throw failure.streamsError(store: store) }
    }

    private func open() throws -> OpaquePointer {
        guard let handle else {
            throw StreamsError(.stateStore, "store \(store) is not open", context: .init(store: store, path: path))
        }
        return handle
    }

    /// The value of a key, or `nil`.
    func get(_ key: [UInt8]) throws -> [UInt8]? {
        let db = try open()
        var error: UnsafeMutablePointer<CChar>?
        let slice = key.withUnsafeBufferPointer { k in
            k.withMemoryRebound(to: CChar.self) { rocksdb_get_pinned(db, readOptions, $0.baseAddress, $0.count, &error) }
        }
        try check(error, "get")
        guard let slice else { return nil }
        defer { rocksdb_pinnableslice_destroy(slice) }
        var length = 0
        guard let bytes = rocksdb_pinnableslice_value(slice, &length) else { return [] }
        return Array(UnsafeRawBufferPointer(start: bytes, count: length))
    }

    /// Writes a key.
    func put(_ key: [UInt8], _ value: [UInt8]) throws {
        let db = try open()
        var error: UnsafeMutablePointer<CChar>?
        key.withUnsafeBufferPointer { k in
            value.withUnsafeBufferPointer { v in
                k.withMemoryRebound(to: CChar.self) { k in
                    v.withMemoryRebound(to: CChar.self) { v in
                        rocksdb_put(db, writeOptions, k.baseAddress, k.count, v.baseAddress, v.count, &error)
                    }
                }
            }
        }
        try check(error, "put")
        dirty = true
    }

    /// Deletes a key.
    func delete(_ key: [UInt8]) throws {
        let db = try open()
        var error: UnsafeMutablePointer<CChar>?
        key.withUnsafeBufferPointer { k in
            k.withMemoryRebound(to: CChar.self) { rocksdb_delete(db, writeOptions, $0.baseAddress, $0.count, &error) }
        }
        try check(error, "delete")
        dirty = true
    }

    /// Applies a batch atomically.
    func write(_ batch: RocksDBWriteBatch) throws {
        let db = try open()
        guard batch.count > 0 else { return }
        var error: UnsafeMutablePointer<CChar>?
        rocksdb_write(db, writeOptions, batch.handle, &error)
        try check(error, "write batch")
        dirty = true
    }

    /// An iterator over keys `>= lower` and `< upper` (`nil`: open), forward or reverse,
    /// reading a snapshot taken now.
    func cursor(lower: [UInt8]?, upper: [UInt8]?, reverse: Bool) throws -> RocksDBCursor {
        let db = try open()
        let cursor = RocksDBCursor(db: db, database: self, lower: lower, upper: upper, reverse: reverse)
        cursors[ObjectIdentifier(cursor)] = cursor
        return cursor
    }

    func cursorClosed(_ cursor: RocksDBCursor) { cursors[ObjectIdentifier(cursor)] = nil }

    /// Iterators still open (a test hook for leak checks).
    var openCursorCount: Int { cursors.count }

    /// Makes written data durable against a machine crash: flushes the memtables to SST
    /// files (the write-ahead log is off, as in Kafka Streams: the changelog is the log).
    func sync() throws {
        let db = try open()
        guard dirty else { return }
        let flushOptions = rocksdb_flushoptions_create()
        defer { rocksdb_flushoptions_destroy(flushOptions) }
        rocksdb_flushoptions_set_wait(flushOptions, 1)
        var error: UnsafeMutablePointer<CChar>?
        rocksdb_flush(db, flushOptions, &error)
        try check(error, "flush")
        dirty = false
    }

    /// RocksDB's estimate of the number of keys.
    func estimatedKeys() throws -> Int {
        let db = try open()
        var value: UInt64 = 0
        if rocksdb_property_int(db, "rocksdb.estimate-num-keys", &value) == 0 { return Int(value) }
        return 0
    }

    /// An integer property, e.g. `rocksdb.cur-size-all-mem-tables`.
    func intProperty(_ name: String) -> UInt64 {
        guard let db = handle else { return 0 }
        var value: UInt64 = 0
        return rocksdb_property_int(db, name, &value) == 0 ? value : 0
    }

    /// Sets mutable options (`write_buffer_size`, ...) on the open database.
    func setOptions(_ values: [(String, String)]) throws {
        let db = try open()
        var error: UnsafeMutablePointer<CChar>?
        let keys = values.map { strdup($0.0) }
        let vals = values.map { strdup($0.1) }
        defer {
            keys.forEach { free($0) }
            vals.forEach { free($0) }
        }
        var keyPointers = keys.map { UnsafePointer($0) }
        var valuePointers = vals.map { UnsafePointer($0) }
        rocksdb_set_options(db, Int32(values.count), &keyPointers, &valuePointers, &error)
        try check(error, "set options")
    }
}
