import CRocksDBRaw
import KafkaStreams

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The key-value store benchmarks: put, get and range scan through the library's
/// ``RocksDBKeyValueStore`` (the bytes layer under every persistent key-value store)
/// against the same operations on the raw RocksDB C API, with the same options (shared
/// LRU block cache, bloom filter, LZ4, memtable size, no write-ahead log), in one run.
public enum StoreBench {
    /// Keys `"key-00000000"`…: 12 bytes, zero-padded so they sort as numbers.
    public static let keyCount = 100_000
    /// 100-byte values.
    public static let value = [UInt8](repeating: 0x61, count: 100)

    /// The key of index `i`.
    public static func key(_ i: Int) -> [UInt8] {
        var bytes = Array("key-".utf8)
        var digits = [UInt8](repeating: 0x30, count: 8)
        var n = i
        for d in (0..<8).reversed() {
            digits[d] = UInt8(0x30 + n % 10)
            n /= 10
        }
        bytes += digits
        return bytes
    }

    /// A new temporary directory.
    public static func temporaryDirectory(_ name: String) -> String {
        var template = Array("/tmp/kafka-streams-bench-\(name)-XXXXXX".utf8CString)
        _ = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        return template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    /// The library's RocksDB store, filled with every key.
    public final class Library {
        /// The store.
        public let store: RocksDBKeyValueStore
        /// The keys, in order.
        public let keys: [[UInt8]]
        var next = 0

        /// Opens the store and writes every key.
        public init() throws {
            keys = (0..<keyCount).map(key)
            store = RocksDBKeyValueStore(name: "bench")
            try store.initialize(
                context: StateStoreContext(
                    applicationID: "bench", taskId: TaskId(subtopology: 0, partition: 0),
                    stateDirectory: temporaryDirectory("library"),
                    rocksDB: RocksDBSharedResources(totalMemoryBytes: 64 * 1024 * 1024)))
            try store.putAll(keys.map { KeyValue($0, value) })
        }

        /// `count` puts of existing keys, in a stride that visits every key.
        public func put(_ count: Int) throws {
            for _ in 0..<count {
                try store.put(keys[next], value)
                next = (next &+ 7_919) % keyCount
            }
        }

        /// `count` gets; returns the bytes read.
        public func get(_ count: Int) throws -> Int {
            var total = 0
            for _ in 0..<count {
                total &+= try store.get(keys[next])?.count ?? 0
                next = (next &+ 7_919) % keyCount
            }
            return total
        }

        /// `count / 100` scans of 100 entries; returns the entries read.
        public func range(_ count: Int) throws -> Int {
            var read = 0
            for _ in 0..<max(count / 100, 1) {
                let start = next % (keyCount - 100)
                let it = try store.range(from: keys[start], to: keys[start + 99])
                while try it.next() != nil { read += 1 }
                next = (next &+ 7_919) % keyCount
            }
            return read
        }
    }

    /// The raw C API with the options the library sets.
    public final class Raw {
        let db: OpaquePointer
        let readOptions: OpaquePointer
        let writeOptions: OpaquePointer
        /// The keys, in order.
        public let keys: [[UInt8]]
        var next = 0

        /// Opens the database and writes every key.
        public init() throws {
            keys = (0..<keyCount).map(key)
            let options = rocksdb_options_create()!
            let table = rocksdb_block_based_options_create()!
            rocksdb_options_set_create_if_missing(options, 1)
            rocksdb_options_increase_parallelism(options, 2)
            rocksdb_options_set_max_open_files(options, -1)
            rocksdb_block_based_options_set_block_cache(table, rocksdb_cache_create_lru(48 * 1024 * 1024))
            rocksdb_block_based_options_set_cache_index_and_filter_blocks(table, 1)
            rocksdb_block_based_options_set_pin_l0_filter_and_index_blocks_in_cache(table, 1)
            rocksdb_block_based_options_set_filter_policy(table, rocksdb_filterpolicy_create_bloom_full(10))
            rocksdb_block_based_options_set_block_size(table, 4096)
            rocksdb_options_set_block_based_table_factory(options, table)
            rocksdb_options_set_compression(options, Int32(rocksdb_lz4_compression))
            rocksdb_options_set_max_write_buffer_number(options, 2)
            rocksdb_options_set_write_buffer_size(options, 8 * 1024 * 1024)
            var error: UnsafeMutablePointer<CChar>?
            guard let db = rocksdb_open(options, temporaryDirectory("raw"), &error) else {
                throw RawError(message: error.map { String(cString: $0) } ?? "open failed")
            }
            self.db = db
            readOptions = rocksdb_readoptions_create()
            writeOptions = rocksdb_writeoptions_create()
            rocksdb_writeoptions_disable_WAL(writeOptions, 1)
            for k in keys { try putRaw(k, value) }
        }

        struct RawError: Error { let message: String }

        @inline(__always)
        func putRaw(_ key: [UInt8], _ value: [UInt8]) throws {
            var error: UnsafeMutablePointer<CChar>?
            key.withUnsafeBytes { k in
                value.withUnsafeBytes { v in
                    rocksdb_put(
                        db, writeOptions, k.baseAddress!.assumingMemoryBound(to: CChar.self), k.count,
                        v.baseAddress!.assumingMemoryBound(to: CChar.self), v.count, &error)
                }
            }
            if let error { throw RawError(message: String(cString: error)) }
        }

        /// `count` puts of existing keys.
        public func put(_ count: Int) throws {
            for _ in 0..<count {
                try putRaw(keys[next], value)
                next = (next &+ 7_919) % keyCount
            }
        }

        /// Gets with `rocksdb_get` (malloc'd copy, freed), as a C user would.
        public func get(_ count: Int) throws -> Int {
            var total = 0
            for _ in 0..<count {
                var error: UnsafeMutablePointer<CChar>?
                var length = 0
                let result = keys[next].withUnsafeBytes { k in
                    rocksdb_get(db, readOptions, k.baseAddress!.assumingMemoryBound(to: CChar.self), k.count, &length, &error)
                }
                if let error { throw RawError(message: String(cString: error)) }
                if let result {
                    total &+= length
                    rocksdb_free(result)
                }
                next = (next &+ 7_919) % keyCount
            }
            return total
        }

        /// Scans of 100 entries with an iterator and an upper bound, reading each key and
        /// value pointer (no copies: the floor a Swift wrapper cannot beat).
        public func range(_ count: Int) throws -> Int {
            var read = 0
            for _ in 0..<max(count / 100, 1) {
                let start = next % (keyCount - 100)
                let options = rocksdb_readoptions_create()
                var upper = keys[start + 99] + [0]
                let it = upper.withUnsafeMutableBytes { u -> OpaquePointer? in
                    rocksdb_readoptions_set_iterate_upper_bound(
                        options, u.baseAddress!.assumingMemoryBound(to: CChar.self), u.count)
                    let it = rocksdb_create_iterator(db, options)
                    keys[start].withUnsafeBytes { k in
                        rocksdb_iter_seek(it, k.baseAddress!.assumingMemoryBound(to: CChar.self), k.count)
                    }
                    while rocksdb_iter_valid(it) != 0 {
                        var kl = 0
                        var vl = 0
                        _ = rocksdb_iter_key(it, &kl)
                        _ = rocksdb_iter_value(it, &vl)
                        read += kl > 0 && vl > 0 ? 1 : 0
                        rocksdb_iter_next(it)
                    }
                    return it
                }
                rocksdb_iter_destroy(it)
                rocksdb_readoptions_destroy(options)
                next = (next &+ 7_919) % keyCount
            }
            return read
        }
    }
}
