import CRocksDB
import NIOConcurrencyHelpers

/// The RocksDB resources shared by every store of one application instance: one block
/// cache and one write-buffer budget, bounded together by `rocksdb.total.memory`.
///
/// Kafka Streams gives each store its own cache and memtables unless a config setter
/// shares them, so memory grows with the number of tasks; here sharing is the default.
/// The block cache (data, index and filter blocks) holds `total × (1 − memtable ratio)`
/// bytes. RocksDB 7.8's C API has no `WriteBufferManager`, so the memtable budget
/// (`total × rocksdb.memtable.ratio`) is divided here: each open database's memtable size
/// is `budget / (open databases rounded up to a power of two × max memtables)`, re-applied
/// with `SetOptions` whenever that power of two changes (at most 2 log₂ n times for n stores).
///
/// Created once per instance by the runtime or the test driver; stores opened without one
/// use ``shared``. `@unchecked Sendable`: the cache is thread-safe in RocksDB, and the set
/// of open databases is guarded by `lock`; `SetOptions` runs under that lock while a
/// database can only be closed after leaving the set (under the same lock).
public final class RocksDBSharedResources: @unchecked Sendable {
    /// The bound on block cache plus memtables, in bytes.
    public let totalMemoryBytes: Int
    /// The part of ``totalMemoryBytes`` given to memtables.
    public let writeBufferBytes: Int
    /// SST compression for every store.
    public let compression: RocksDBOptions.Compression
    /// The smallest memtable a store is given, however many stores are open.
    public static let minimumWriteBufferSize = 64 * 1024
    /// How many memtables each store may hold.
    public static let maxWriteBuffers: Int32 = 2
    let cache: OpaquePointer
    private let configSetter: RocksDBConfigSetter?
    private let lock = NIOLock()
    private var open: [ObjectIdentifier: RocksDBDatabase] = [:]
    private var bucket = 1

    /// The resources of processes that give stores none: 64 MiB, LZ4.
    public static let shared = RocksDBSharedResources(totalMemoryBytes: 64 * 1024 * 1024)

    /// Creates the shared resources.
    /// - Parameters:
    ///   - totalMemoryBytes: block cache plus memtables.
    ///   - memtableRatio: the part of it for memtables (0.05...0.9).
    ///   - compression: SST compression.
    ///   - configSetter: a per-store hook run after these settings.
    public init(
        totalMemoryBytes: Int, memtableRatio: Double = 0.25, compression: RocksDBOptions.Compression = .lz4,
        configSetter: RocksDBConfigSetter? = nil
    ) {
        self.totalMemoryBytes = max(totalMemoryBytes, 1024 * 1024)
        let ratio = min(max(memtableRatio, 0.05), 0.9)
        self.writeBufferBytes = Int(Double(self.totalMemoryBytes) * ratio)
        self.compression = compression
        self.configSetter = configSetter
        cache = rocksdb_cache_create_lru(self.totalMemoryBytes - writeBufferBytes)
    }

    /// The resources a configuration describes (`rocksdb.total.memory`,
    /// `rocksdb.memtable.ratio`, `rocksdb.compression`, ``StreamsConfig/rocksDBConfigSetter``).
    public convenience init(config: StreamsConfig) {
        self.init(
            totalMemoryBytes: config.rocksDBTotalMemory, memtableRatio: config.rocksDBMemtableRatio,
            compression: config.rocksDBCompression, configSetter: config.rocksDBConfigSetter)
    }

    deinit { rocksdb_cache_destroy(cache) }

    /// Bytes held by the block cache now.
    public var blockCacheUsage: Int { rocksdb_cache_get_usage(cache) }

    /// Bytes of memtables of every open store, plus the block cache: what RocksDB holds.
    public var memoryUsage: Int {
        lock.withLock {
            open.values.reduce(blockCacheUsage) {
                $0 + Int($1.intProperty("rocksdb.cur-size-all-mem-tables"))
                    + Int($1.intProperty("rocksdb.estimate-table-readers-mem"))
            }
        }
    }

    /// The memtable size each store is given now.
    public var writeBufferSizePerStore: Int { lock.withLock { writeBufferSize(bucket: bucket) } }

    /// Databases open under these resources.
    public var openDatabases: Int { lock.withLock { open.count } }

    private func writeBufferSize(bucket: Int) -> Int {
        max(Self.minimumWriteBufferSize, writeBufferBytes / (bucket * Int(Self.maxWriteBuffers)))
    }

    /// RocksDB's default arena block: an eighth of the memtable.
    static func arenaBlockSize(_ writeBufferSize: Int) -> Int { max(writeBufferSize / 8, 4096) }

    private static func bucket(for count: Int) -> Int {
        var b = 1
        while b < count { b <<= 1 }
        return b
    }

    /// Applies the shared settings, then the config setter, to a store about to open.
    func configure(_ settings: RocksDBOptions) {
        let options = settings.options
        rocksdb_options_set_create_if_missing(options, 1)
        rocksdb_options_increase_parallelism(options, 2)
        rocksdb_options_set_max_open_files(options, -1)
        rocksdb_options_set_keep_log_file_num(options, 1)
        rocksdb_options_set_max_log_file_size(options, 1024 * 1024)
        rocksdb_options_set_info_log_level(options, 2)  // warnings and worse
        rocksdb_block_based_options_set_block_cache(settings.tableOptions, cache)
        rocksdb_block_based_options_set_cache_index_and_filter_blocks(settings.tableOptions, 1)
        rocksdb_block_based_options_set_pin_l0_filter_and_index_blocks_in_cache(settings.tableOptions, 1)
        settings.bloomFilterBitsPerKey = 10
        settings.blockSize = 4096
        settings.compression = compression
        settings.maxWriteBufferNumber = Self.maxWriteBuffers
        let size = lock.withLock { writeBufferSize(bucket: Self.bucket(for: open.count + 1)) }
        settings.writeBufferSize = size
        rocksdb_options_set_arena_block_size(options, Self.arenaBlockSize(size))
        configSetter?(settings.storeName, settings)
    }

    func register(_ database: RocksDBDatabase) {
        lock.withLock {
            open[ObjectIdentifier(database)] = database
            rebalance()
        }
    }

    func unregister(_ database: RocksDBDatabase) {
        lock.withLock {
            open[ObjectIdentifier(database)] = nil
            rebalance()
        }
    }

    /// Re-divides the memtable budget when the number of open stores crosses a power of two.
    private func rebalance() {
        let wanted = Self.bucket(for: max(open.count, 1))
        guard wanted != bucket else { return }
        bucket = wanted
        let size = writeBufferSize(bucket: wanted)
        for database in open.values {
            // The arena block shrinks with the memtable: a new memtable whose first arena
            // block is larger than the memtable itself would ask to be flushed at once
            // (RocksDB asserts against that). A failure leaves the store with its previous
            // sizes: still bounded by the budget of a smaller bucket.
            try? database.setOptions([
                ("write_buffer_size", String(size)), ("arena_block_size", String(Self.arenaBlockSize(size))),
            ])
        }
    }
}
