import CRocksDB

/// A hook that adjusts the RocksDB options of one store before it opens, as Kafka Streams'
/// `rocksdb.config.setter`.
///
/// It runs after the shared settings (block cache, memory budget, compression) are applied,
/// so it can override them for one store:
///
/// ```swift
/// config.rocksDBConfigSetter = { store, options in
///     if store == "big-table" { options.bloomFilterBitsPerKey = 16 }
/// }
/// ```
public typealias RocksDBConfigSetter = @Sendable (_ storeName: String, _ options: RocksDBOptions) -> Void

/// The options of one RocksDB store while it is being configured; valid only inside a
/// ``RocksDBConfigSetter`` call.
///
/// Typed properties cover what is commonly tuned; ``options`` and ``tableOptions`` are the
/// raw C handles (`rocksdb_options_t*`, `rocksdb_block_based_table_options_t*`) for anything
/// else, through `import CRocksDB`.
public final class RocksDBOptions {
    /// Compression of SST files.
    public struct Compression: Sendable, Hashable, CustomStringConvertible {
        let raw: Int32
        /// The name as `rocksdb.compression` spells it.
        public let name: String
        /// No compression.
        public static let none = Compression(raw: Int32(rocksdb_no_compression), name: "none")
        /// LZ4: fast, the default.
        public static let lz4 = Compression(raw: Int32(rocksdb_lz4_compression), name: "lz4")
        /// Zstandard: smaller files, more CPU.
        public static let zstd = Compression(raw: Int32(rocksdb_zstd_compression), name: "zstd")
        /// Snappy.
        public static let snappy = Compression(raw: Int32(rocksdb_snappy_compression), name: "snappy")

        /// The compression named `name` (`none`, `lz4`, `zstd`, `snappy`), or `nil`.
        public init?(named name: String) {
            switch name.lowercased() {
            case "none", "no": self = .none
            case "lz4": self = .lz4
            case "zstd": self = .zstd
            case "snappy": self = .snappy
            default: return nil
            }
        }

        private init(raw: Int32, name: String) {
            self.raw = raw
            self.name = name
        }

        /// The name.
        public var description: String { name }
    }

    /// The raw `rocksdb_options_t*`.
    public let options: OpaquePointer
    /// The raw `rocksdb_block_based_table_options_t*`.
    public let tableOptions: OpaquePointer
    /// The store being configured.
    public let storeName: String

    init(options: OpaquePointer, tableOptions: OpaquePointer, store: String) {
        self.options = options
        self.tableOptions = tableOptions
        self.storeName = store
    }

    /// SST compression (set by `rocksdb.compression`, default LZ4).
    public var compression: Compression = .lz4 {
        didSet { rocksdb_options_set_compression(options, compression.raw) }
    }

    /// The size of one memtable in bytes. The shared write-buffer budget sets it; a value
    /// set here is reset when the budget is rebalanced across stores.
    public var writeBufferSize: Int = 0 {
        didSet { rocksdb_options_set_write_buffer_size(options, writeBufferSize) }
    }

    /// How many memtables a store may hold (one active, the rest being flushed).
    public var maxWriteBufferNumber: Int32 = 2 {
        didSet { rocksdb_options_set_max_write_buffer_number(options, maxWriteBufferNumber) }
    }

    /// The size of an SST data block in bytes.
    public var blockSize: Int = 4096 {
        didSet { rocksdb_block_based_options_set_block_size(tableOptions, blockSize) }
    }

    /// Bits per key of the bloom filter (0: no filter).
    public var bloomFilterBitsPerKey: Double = 10 {
        didSet {
            rocksdb_block_based_options_set_filter_policy(
                tableOptions, bloomFilterBitsPerKey > 0 ? rocksdb_filterpolicy_create_bloom_full(bloomFilterBitsPerKey) : nil)
        }
    }
}
