import CRocksDB

/// A RocksDB iterator over a key range, forward or reverse, reading the snapshot taken when
/// it was created.
///
/// Owns the C iterator and its bounds; ``close()`` (called at the end, by the wrapping
/// ``KeyValueIterator`` when it closes or is deinitialized, or by the database when it
/// closes first) releases them exactly once.
final class RocksDBCursor {
    private var iterator: OpaquePointer?
    private let readOptions: OpaquePointer
    private var lowerBound: UnsafeMutablePointer<CChar>?
    private var upperBound: UnsafeMutablePointer<CChar>?
    private unowned(unsafe) let database: RocksDBDatabase
    private let reverse: Bool
    private var started = false

    init(db: OpaquePointer, database: RocksDBDatabase, lower: [UInt8]?, upper: [UInt8]?, reverse: Bool) {
        self.database = database
        self.reverse = reverse
        readOptions = rocksdb_readoptions_create()
        if let lower {
            let copy = Self.copy(lower)
            lowerBound = copy
            rocksdb_readoptions_set_iterate_lower_bound(readOptions, copy, lower.count)
        }
        if let upper {
            let copy = Self.copy(upper)
            upperBound = copy
            rocksdb_readoptions_set_iterate_upper_bound(readOptions, copy, upper.count)
        }
        iterator = rocksdb_create_iterator(db, readOptions)
    }

    /// A C copy of the bytes; RocksDB keeps pointing at bounds while the iterator lives.
    private static func copy(_ bytes: [UInt8]) -> UnsafeMutablePointer<CChar> {
        let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: max(bytes.count, 1))
        for (i, byte) in bytes.enumerated() { pointer[i] = CChar(bitPattern: byte) }
        return pointer
    }

    /// The next entry, or `nil` at the end (then the cursor is closed).
    /// - Throws: ``StreamsError`` if RocksDB reports an error while iterating.
    func next() throws -> (key: [UInt8], value: [UInt8])? {
        guard let iterator else { return nil }
        if !started {
            started = true
            if reverse { rocksdb_iter_seek_to_last(iterator) } else { rocksdb_iter_seek_to_first(iterator) }
        } else if reverse {
            rocksdb_iter_prev(iterator)
        } else {
            rocksdb_iter_next(iterator)
        }
        guard rocksdb_iter_valid(iterator) != 0 else {
            var error: UnsafeMutablePointer<CChar>?
            rocksdb_iter_get_error(iterator, &error)
            let failure = RocksDBDatabase.take(error, operation: "iterate", path: database.path)
            let store = database.store
            close()
            if let failure { throw failure.streamsError(store: store) }
            return nil
        }
        var keyLength = 0
        var valueLength = 0
        let key = rocksdb_iter_key(iterator, &keyLength)
        let value = rocksdb_iter_value(iterator, &valueLength)
        return (
            Array(UnsafeRawBufferPointer(start: key, count: keyLength)),
            Array(UnsafeRawBufferPointer(start: value, count: valueLength))
        )
    }

    /// Releases the iterator; later ``next()`` calls return `nil`.
    func close() {
        guard let iterator else { return }
        rocksdb_iter_destroy(iterator)
        self.iterator = nil
        rocksdb_readoptions_destroy(readOptions)
        lowerBound?.deallocate()
        upperBound?.deallocate()
        lowerBound = nil
        upperBound = nil
        database.cursorClosed(self)
    }

    deinit { close() }

    /// A bytes iterator over this cursor that closes it when done, closed or dropped.
    func keyValues() -> KeyValueIterator<[UInt8], [UInt8]> {
        KeyValueIterator(
            next: { [self] in
                guard let entry = try next() else { return nil }
                return KeyValue(entry.key, entry.value)
            }, onClose: { [self] in close() })
    }
}

/// A batch of writes applied atomically by ``RocksDBDatabase/write(_:)``: bulk restore and
/// cache flushes.
final class RocksDBWriteBatch {
    let handle: OpaquePointer

    init() { handle = rocksdb_writebatch_create() }
    deinit { rocksdb_writebatch_destroy(handle) }

    var count: Int { Int(rocksdb_writebatch_count(handle)) }

    func put(_ key: [UInt8], _ value: [UInt8]) {
        key.withUnsafeBufferPointer { k in
            value.withUnsafeBufferPointer { v in
                k.withMemoryRebound(to: CChar.self) { k in
                    v.withMemoryRebound(to: CChar.self) { v in
                        rocksdb_writebatch_put(handle, k.baseAddress, k.count, v.baseAddress, v.count)
                    }
                }
            }
        }
    }

    func delete(_ key: [UInt8]) {
        key.withUnsafeBufferPointer { k in
            k.withMemoryRebound(to: CChar.self) { rocksdb_writebatch_delete(handle, $0.baseAddress, $0.count) }
        }
    }

    func clear() { rocksdb_writebatch_clear(handle) }
}
