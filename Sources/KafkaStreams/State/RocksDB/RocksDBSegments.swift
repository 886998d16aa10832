/// The time segments of a RocksDB window or session store: one database per segment of
/// `segmentIntervalMs`, in `<store dir>/<store>.<segment start ms>` (Kafka's layout).
///
/// Expiry drops whole segments (close, delete the directory) instead of deleting keys one
/// by one, which is what makes retention cheap on RocksDB.
final class RocksDBSegments {
    let store: String
    let intervalMs: Int64
    private(set) var directory: String?
    private var resources: RocksDBSharedResources = .shared
    /// Open segments by id (start / interval), and their ids in ascending order.
    private var databases: [Int64: RocksDBDatabase] = [:]
    private(set) var ids: [Int64] = []

    init(store: String, intervalMs: Int64) {
        self.store = store
        self.intervalMs = max(intervalMs, 1)
    }

    /// Kafka Streams' segment interval: half the retention, at least a minute.
    static func defaultInterval(retentionMs: Int64) -> Int64 { max(retentionMs / 2, 60_000) }

    var isOpen: Bool { directory != nil }

    /// Opens every segment found in the store's directory.
    func open(context: StateStoreContext) throws {
        let directory = try RocksDBKeyValueStore.directory(for: store, context: context)
        try StateDirectory.makeDirectories(directory)
        resources = context.resources
        self.directory = directory
        for name in StateDirectory.list(directory) {
            guard name.hasPrefix(store + "."), let start = Int64(name.dropFirst(store.count + 1)) else { continue }
            let id = start / intervalMs
            databases[id] = try RocksDBDatabase(store: store, path: "\(directory)/\(name)", resources: resources)
        }
        ids = databases.keys.sorted()
    }

    func close() {
        for database in databases.values { database.close() }
        databases.removeAll()
        ids.removeAll()
        directory = nil
    }

    func sync() throws {
        for id in ids { try databases[id]?.sync() }
    }

    func segmentId(_ timestamp: Int64) -> Int64 {
        let (q, r) = timestamp.quotientAndRemainder(dividingBy: intervalMs)
        return r < 0 ? q - 1 : q
    }

    /// The segment holding `timestamp`, if open.
    func segment(for timestamp: Int64) -> RocksDBDatabase? { databases[segmentId(timestamp)] }

    /// The segment holding `timestamp`, created if missing.
    func getOrCreate(for timestamp: Int64) throws -> RocksDBDatabase {
        let id = segmentId(timestamp)
        if let database = databases[id] { return database }
        guard let directory else {
            throw StreamsError(.stateStore, "store \(store) is not open", context: .init(store: store))
        }
        let database = try RocksDBDatabase(
            store: store, path: "\(directory)/\(store).\(id &* intervalMs)", resources: resources)
        databases[id] = database
        let index = ids.firstIndex { $0 > id } ?? ids.endIndex
        ids.insert(id, at: index)
        return database
    }

    /// Closes and deletes every segment entirely older than `oldestLive`.
    /// - Returns: the ids dropped.
    @discardableResult
    func dropSegments(before oldestLive: Int64) -> [Int64] {
        let limit = segmentId(oldestLive)
        var dropped: [Int64] = []
        while let first = ids.first, first < limit {
            ids.removeFirst()
            if let database = databases.removeValue(forKey: first) {
                let path = database.path
                database.close()
                StateDirectory.removeTree(path)
            }
            dropped.append(first)
        }
        return dropped
    }

    /// Open segments overlapping `[from, to]`, ascending.
    func segments(from: Int64, to: Int64) -> [RocksDBDatabase] {
        guard from <= to else { return [] }
        let low = segmentId(from)
        let high = segmentId(to)
        return ids.filter { $0 >= low && $0 <= high }.compactMap { databases[$0] }
    }

    /// The newest segment, if any.
    var newest: RocksDBDatabase? { ids.last.flatMap { databases[$0] } }
}
