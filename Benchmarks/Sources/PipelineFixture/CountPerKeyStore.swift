import KafkaStreams

/// The state work of `groupByKey().count()` without the driver around it: per record, read
/// the key's count from the timestamped store and write it back plus one, through the
/// store stack the DSL builds (metered → record cache → bytes store), with a commit (cache
/// flush into the bytes store) every ``commitEvery`` records, as the runtime commits on its
/// interval. Keys as in ``CountPerKey``: 100,000 distinct, cycled.
///
/// `rocksDB`: the bytes store is a ``RocksDBKeyValueStore`` (the default DSL store);
/// otherwise the in-memory store, for comparison in the same run. No changelog (no task).
public final class CountPerKeyStore {
    /// Records between two commits (cache flushes).
    public static let commitEvery = 10_000
    /// The typed store: metered → caching → bytes store.
    public let store: MeteredKeyValueStore<String, ValueAndTimestamp<Int64>>
    /// The keys cycled through.
    public let keys: [String]
    /// The next record index.
    public private(set) var next = 0

    /// Opens the store stack (in a temporary directory for RocksDB).
    public init(rocksDB: Bool, cacheMaxBytes: Int = 10 * 1024 * 1024) throws {
        let supplier = rocksDB ? Stores.persistentKeyValueStore("counts") : Stores.inMemoryKeyValueStore("counts")
        store = Stores.timestampedKeyValueStoreBuilder(supplier, key: .string, value: .int64)
            .withCachingEnabled().withLoggingDisabled().build()
        try store.initialize(
            context: StateStoreContext(
                applicationID: "bench", taskId: TaskId(subtopology: 0, partition: 0),
                stateDirectory: StoreBench.temporaryDirectory("count"), cacheMaxBytes: cacheMaxBytes,
                rocksDB: RocksDBSharedResources(totalMemoryBytes: 64 * 1024 * 1024)))
        keys = CountPerKey.makeKeys()
    }

    /// Counts `count` records.
    @inline(__always)
    public func pipe(_ count: Int) throws {
        for _ in 0..<count {
            let key = keys[next % CountPerKey.distinctKeys]
            let old = try store.get(key)?.value ?? 0
            try store.put(key, ValueAndTimestamp(old + 1, timestamp: CountPerKey.baseTimestamp + Int64(next)))
            next += 1
            if next % Self.commitEvery == 0 { try store.flush() }
        }
    }

    /// Checks every count after `next` records (flushes first).
    public func verify() throws {
        try store.flush()
        for (i, key) in keys.enumerated() {
            let expected = Int64(next / CountPerKey.distinctKeys + (i < next % CountPerKey.distinctKeys ? 1 : 0))
            let found = try store.get(key)?.value ?? 0
            precondition(found == expected, "count of \(key): \(found), expected \(expected)")
        }
    }
}

/// Many tasks' stores under one memory budget: `taskCount` RocksDB key-value stores, each
/// in its own task directory, sharing one ``RocksDBSharedResources`` (`shared: true`), or
/// each with its own resources sized as Kafka Streams' per-store defaults (50 MiB block
/// cache, 16 MiB memtables; `shared: false`).
public final class ManyTaskStores {
    /// One store per task.
    public let stores: [RocksDBKeyValueStore]
    /// The RocksDB resources in use (one when shared).
    public let resources: [RocksDBSharedResources]
    /// Records written so far.
    public private(set) var written = 0
    let value = [UInt8](repeating: 0x62, count: 1000)

    /// Opens `taskCount` stores in task directories of a temporary state directory.
    public init(taskCount: Int = 100, shared: Bool, totalMemoryBytes: Int = 64 * 1024 * 1024) throws {
        let directory = StoreBench.temporaryDirectory("tasks")
        let common = RocksDBSharedResources(totalMemoryBytes: totalMemoryBytes)
        var stores: [RocksDBKeyValueStore] = []
        var resources: [RocksDBSharedResources] = []
        for t in 0..<taskCount {
            let own = shared ? common : RocksDBSharedResources(totalMemoryBytes: 66 * 1024 * 1024, memtableRatio: 16.0 / 66.0)
            if !shared || t == 0 { resources.append(own) }
            let task = TaskId(subtopology: 0, partition: Int32(t))
            let store = RocksDBKeyValueStore(name: "counts")
            try store.initialize(
                context: StateStoreContext(
                    applicationID: "bench", taskId: task, stateDirectory: "\(directory)/\(task)", rocksDB: own))
            stores.append(store)
        }
        self.stores = stores
        self.resources = resources
    }

    /// Writes `count` distinct 1 KB records, round-robin over the stores, then reads one
    /// key of each store back.
    public func write(_ count: Int) throws {
        for _ in 0..<count {
            let store = stores[written % stores.count]
            try store.put(StoreBench.key(written / stores.count), value)
            written += 1
        }
        for store in stores {
            let value = try store.get(StoreBench.key(0))
            precondition(value != nil, "store \(store.name) lost its first key")
        }
    }

    /// What RocksDB reports holding: block caches plus memtables and table readers.
    public var rocksDBMemory: Int { resources.reduce(0) { $0 + $1.memoryUsage } }
}
