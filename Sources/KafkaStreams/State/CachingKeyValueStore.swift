/// A record cache in front of a bytes key-value store.
///
/// Writes stay in the cache, where repeated writes to one key between commits collapse
/// into one. On ``flush()`` (every commit) and when the thread's budget is exceeded, dirty
/// entries are written to the inner store in the order they were first dirtied, and each
/// is handed to the flush listener with the value it replaced, so a table operator emits
/// one update per key per commit instead of one per record. Reads see cached writes first.
///
/// Without a ``RecordCache`` from the task (or with a zero budget) it writes through.
public final class CachingKeyValueStore: KeyValueStore, WrappedStateStore {
    package var wrappedStore: any StateStore { inner }

    /// A dirty entry flushed to the inner store: key, new value (`nil`: deleted), the
    /// value it replaced, and the timestamp and headers of the write.
    public struct Flushed {
        /// The key.
        public let key: [UInt8]
        /// The new value; `nil` is a delete.
        public let newValue: [UInt8]?
        /// The inner store's value before this flush (`nil` unless the write is a delete or
        /// ``CachingKeyValueStore/readsOldValues`` is set).
        public let oldValue: [UInt8]?
        /// The timestamp of the record that made the write.
        public let timestamp: Int64
        /// The headers of the record that made the write.
        public let headers: Headers
    }

    struct Entry {
        var value: [UInt8]?
        var timestamp: Int64
        var headers: Headers
        var order: Int
        var size: Int
    }

    /// Bytes an entry is charged against the budget: key, value, headers, and a fixed
    /// overhead for the bookkeeping.
    static func size(key: [UInt8], value: [UInt8]?, headers: Headers) -> Int {
        key.count + (value?.count ?? 0) + headers.reduce(0) { $0 + $1.key.utf8.count + ($1.value?.count ?? 0) } + 64
    }

    /// The store underneath.
    public let inner: any KeyValueStore<[UInt8], [UInt8]>
    var cache: RecordCache?
    private var entries: [[UInt8]: Entry] = [:]
    private var nextOrder = 0
    /// Called for each entry flushed, in order, after the flushed entries are written to
    /// the inner store (in one batch: one RocksDB write batch).
    public var flushListener: ((Flushed) throws -> Void)?
    /// Whether ``Flushed/oldValue`` is read from the inner store for every flushed write
    /// (a table operator sending old values needs it). When `false` it is read only for
    /// deletes (to drop deletes of keys that never had a value), as Kafka Streams' cache
    /// does, which saves a store read per flushed entry.
    public var readsOldValues = true
    /// The timestamp and headers given to the next writes (set by the typed layer).
    var currentTimestamp: Int64 = 0
    var currentHeaders = Headers()

    /// Wraps a bytes store.
    public init(_ inner: any KeyValueStore<[UInt8], [UInt8]>) { self.inner = inner }

    /// The inner store's name.
    public var name: String { inner.name }
    /// Whether the inner store is persistent.
    public var persistent: Bool { inner.persistent }
    /// Whether the inner store is open.
    public var isOpen: Bool { inner.isOpen }

    /// Opens the inner store and joins the task's record cache.
    public func initialize(context: StateStoreContext) throws {
        cache = context.recordCache
        try inner.initialize(context: context)
    }

    /// Writes every dirty entry to the inner store and the listener, then flushes it.
    public func flush() throws {
        try flushEntries(limit: nil)
        try inner.flush()
    }

    /// Drops the cache (unflushed writes are lost, as on a crash) and closes the inner store.
    public func close() throws {
        release(all: true)
        try inner.close()
    }

    private var writesThrough: Bool { cache == nil || cache!.maxBytes == 0 }

    private func release(all: Bool) {
        if all {
            cache?.usedBytes -= entries.values.reduce(0) { $0 + $1.size }
            entries.removeAll()
        }
    }

    /// Flushes the oldest dirty entries (all of them when `limit` is nil).
    private func flushEntries(limit: Int?) throws {
        guard !entries.isEmpty else { return }
        let ordered = entries.sorted { $0.value.order < $1.value.order }
        try flush(limit.map { ordered.prefix($0) } ?? ordered[...])
    }

    /// Writes the entries to the inner store in one batch, then tells the listener.
    private func flush(_ ordered: ArraySlice<(key: [UInt8], value: Entry)>) throws {
        var writes: [KeyValue<[UInt8], [UInt8]?>] = []
        writes.reserveCapacity(ordered.count)
        var flushed: [Flushed] = []
        for (key, entry) in ordered {
            entries[key] = nil
            cache?.usedBytes -= entry.size
            let old = entry.value == nil || readsOldValues ? try inner.get(key) : nil
            if old == nil && entry.value == nil { continue }  // deleting what never was: nothing to say
            writes.append(KeyValue(key, entry.value))
            if flushListener != nil {
                flushed.append(
                    Flushed(key: key, newValue: entry.value, oldValue: old, timestamp: entry.timestamp, headers: entry.headers))
            }
        }
        if writes.count == 1 {
            try inner.put(writes[0].key, writes[0].value)
        } else if !writes.isEmpty {
            try inner.putAll(writes)
        }
        if let flushListener { for entry in flushed { try flushListener(entry) } }
    }

    /// Flushes this store's oldest entries, one at a time, until the shared budget fits
    /// (sorting the entries once per eviction pass, not once per evicted entry).
    private func evict() throws {
        guard let cache, cache.isOverBudget, !entries.isEmpty else { return }
        let ordered = entries.sorted { $0.value.order < $1.value.order }
        var index = ordered.startIndex
        while cache.isOverBudget, index < ordered.endIndex {
            try flush(ordered[index..<(index + 1)])
            index += 1
        }
    }

    private func write(_ key: [UInt8], _ value: [UInt8]?) throws {
        if writesThrough {
            let old = value == nil || readsOldValues ? try inner.get(key) : nil
            if old == nil && value == nil { return }
            try inner.put(key, value)
            try flushListener?(Flushed(key: key, newValue: value, oldValue: old, timestamp: currentTimestamp, headers: currentHeaders))
            return
        }
        if let existing = entries[key] { cache?.usedBytes -= existing.size }
        // A rewritten key moves to the end of the flush order, as in Kafka Streams' cache.
        let order = nextOrder
        nextOrder += 1
        let entry = Entry(
            value: value, timestamp: currentTimestamp, headers: currentHeaders, order: order,
            size: Self.size(key: key, value: value, headers: currentHeaders))
        entries[key] = entry
        cache?.usedBytes += entry.size
        try evict()
    }

    /// The cached value if there is one, else the inner store's.
    public func get(_ key: [UInt8]) throws -> [UInt8]? {
        if let entry = entries[key] { return entry.value }
        return try inner.get(key)
    }

    /// Caches a write (`nil` deletes).
    public func put(_ key: [UInt8], _ value: [UInt8]?) throws { try write(key, value) }

    /// Caches a write if the key has no value.
    public func putIfAbsent(_ key: [UInt8], _ value: [UInt8]?) throws -> [UInt8]? {
        if let existing = try get(key) { return existing }
        try write(key, value)
        return nil
    }

    /// Caches writes in order.
    public func putAll(_ entries: [KeyValue<[UInt8], [UInt8]?>]) throws {
        for entry in entries { try write(entry.key, entry.value) }
    }

    /// Caches a delete; returns the value the key had.
    public func delete(_ key: [UInt8]) throws -> [UInt8]? {
        let old = try get(key)
        try write(key, nil)
        return old
    }

    /// Entries in `from...to`, cached writes overlaid on the inner store.
    public func range(from: [UInt8]?, to: [UInt8]?) throws -> KeyValueIterator<[UInt8], [UInt8]> {
        try merged(inner.range(from: from, to: to), from: from, to: to, prefix: nil, reverse: false)
    }

    /// Entries in `from...to` in reverse order, cached writes overlaid.
    public func reverseRange(from: [UInt8]?, to: [UInt8]?) throws -> KeyValueIterator<[UInt8], [UInt8]> {
        try merged(inner.reverseRange(from: from, to: to), from: from, to: to, prefix: nil, reverse: true)
    }

    /// Entries whose key starts with the prefix, cached writes overlaid.
    public func prefixScan(serializedPrefix: [UInt8]) throws -> KeyValueIterator<[UInt8], [UInt8]> {
        try merged(inner.prefixScan(serializedPrefix: serializedPrefix), from: nil, to: nil, prefix: serializedPrefix, reverse: false)
    }

    /// The inner store's estimate plus cached entries.
    public func approximateNumEntries() throws -> Int { try inner.approximateNumEntries() + entries.count }

    private func merged(
        _ base: KeyValueIterator<[UInt8], [UInt8]>, from: [UInt8]?, to: [UInt8]?, prefix: [UInt8]?, reverse: Bool
    ) throws -> KeyValueIterator<[UInt8], [UInt8]> {
        if entries.isEmpty { return base }
        var combined: [[UInt8]: [UInt8]?] = [:]
        while let entry = try base.next() { combined[entry.key] = entry.value }
        for (key, entry) in entries {
            if let from, ByteOrderedMap.compare(key, from) < 0 { continue }
            if let to, ByteOrderedMap.compare(key, to) > 0 { continue }
            if let prefix, !key.starts(with: prefix) { continue }
            combined[key] = .some(entry.value)
        }
        let sorted = combined.compactMap { key, value in value.map { KeyValue(key, $0) } }
            .sorted { ByteOrderedMap.compare($0.key, $1.key) < 0 }
        return KeyValueIterator(reverse ? sorted.reversed() : sorted)
    }
}
