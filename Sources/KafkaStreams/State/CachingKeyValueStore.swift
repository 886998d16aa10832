/// A record cache in front of a bytes key-value store.
///
/// Writes stay in the cache, where repeated writes to one key between commits collapse
/// into one. On ``flush()`` (every commit) dirty entries are written to the inner store in
/// one batch, in the order they were last dirtied, and each is handed to the flush listener
/// with the value it replaced, so a table operator emits one update per key per commit
/// instead of one per record. Flushed entries stay cached as clean entries, and reads that
/// miss are cached too, so hot keys are read from memory, not from RocksDB. When the
/// thread's budget is exceeded, least-recently-used entries are evicted: clean ones
/// dropped, dirty ones flushed (and forwarded) first, as Kafka Streams' cache does.
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

    /// One cached key: its value (`nil`: a cached delete, always dirty), the write's
    /// timestamp and headers, its place in the flush order (`-1`: clean, the inner store
    /// has the same value), its charge against the budget, and its links in the LRU list.
    struct Entry {
        var key: [UInt8]
        var value: [UInt8]?
        var timestamp: Int64
        var headers: Headers
        var order: Int
        var size: Int
        var newer: Int
        var older: Int
        var isDirty: Bool { order >= 0 }
    }

    /// Bytes an entry is charged against the budget: key, value, headers, and a fixed
    /// overhead for the bookkeeping.
    static func size(key: [UInt8], value: [UInt8]?, headers: Headers) -> Int {
        key.count + (value?.count ?? 0) + headers.reduce(0) { $0 + $1.key.utf8.count + ($1.value?.count ?? 0) } + 64
    }

    /// The store underneath.
    public let inner: any KeyValueStore<[UInt8], [UInt8]>
    var cache: RecordCache?
    /// Entries in slots linked from most (`newest`) to least (`oldest`) recently used,
    /// with free slots reused; `index` maps keys to slots, `dirty` lists dirty slots.
    private var slots: [Entry] = []
    private var freeSlots: [Int] = []
    private var index: [[UInt8]: Int] = [:]
    private var dirty: Set<Int> = []
    private var newest = -1
    private var oldest = -1
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
        try flushDirty()
        try inner.flush()
    }

    /// Drops the cache (unflushed writes are lost, as on a crash) and closes the inner store.
    public func close() throws {
        cache?.usedBytes -= index.values.reduce(0) { $0 + slots[$1].size }
        slots.removeAll()
        freeSlots.removeAll()
        index.removeAll()
        dirty.removeAll()
        newest = -1
        oldest = -1
        try inner.close()
    }

    private var writesThrough: Bool { cache == nil || cache!.maxBytes == 0 }

    // MARK: the LRU list

    private func unlink(_ slot: Int) {
        let entry = slots[slot]
        if entry.newer >= 0 { slots[entry.newer].older = entry.older } else { newest = entry.older }
        if entry.older >= 0 { slots[entry.older].newer = entry.newer } else { oldest = entry.newer }
    }

    private func linkNewest(_ slot: Int) {
        slots[slot].newer = -1
        slots[slot].older = newest
        if newest >= 0 { slots[newest].newer = slot }
        newest = slot
        if oldest < 0 { oldest = slot }
    }

    private func touch(_ slot: Int) {
        guard slot != newest else { return }
        unlink(slot)
        linkNewest(slot)
    }

    private func insert(_ entry: Entry) -> Int {
        let slot: Int
        if let reused = freeSlots.popLast() {
            slot = reused
            slots[slot] = entry
        } else {
            slot = slots.count
            slots.append(entry)
        }
        index[entry.key] = slot
        linkNewest(slot)
        cache?.usedBytes += entry.size
        return slot
    }

    private func remove(_ slot: Int) {
        unlink(slot)
        index[slots[slot].key] = nil
        dirty.remove(slot)
        cache?.usedBytes -= slots[slot].size
        slots[slot].key = []
        slots[slot].value = nil
        slots[slot].headers = Headers()
        freeSlots.append(slot)
    }

    // MARK: flushing and eviction

    /// Writes every dirty entry to the inner store in one batch, in the order they were
    /// (last) dirtied, then tells the listener; flushed entries stay cached as clean ones
    /// (flushed deletes leave the cache).
    private func flushDirty() throws {
        guard !dirty.isEmpty else { return }
        if dirty.count == 1 {
            try flushOne(dirty.first!)
        } else {
            try flush(dirty.sorted { slots[$0].order < slots[$1].order })
        }
    }

    /// ``flush(_:)`` for one entry, without the batch's arrays: the test driver's
    /// commit after every record and eviction take this path.
    private func flushOne(_ slot: Int) throws {
        let entry = slots[slot]
        let old = entry.value == nil || readsOldValues ? try inner.get(entry.key) : nil
        if entry.value == nil {
            remove(slot)
            if old == nil { return }
        } else {
            slots[slot].order = -1
            dirty.remove(slot)
        }
        try inner.put(entry.key, entry.value)
        try flushListener?(
            Flushed(key: entry.key, newValue: entry.value, oldValue: old, timestamp: entry.timestamp, headers: entry.headers))
    }

    private func flush(_ ordered: [Int]) throws {
        var writes: [KeyValue<[UInt8], [UInt8]?>] = []
        writes.reserveCapacity(ordered.count)
        var flushed: [Flushed] = []
        for slot in ordered {
            let entry = slots[slot]
            let old = entry.value == nil || readsOldValues ? try inner.get(entry.key) : nil
            if entry.value == nil {
                remove(slot)
                if old == nil { continue }  // deleting what never was: nothing to say
            } else {
                slots[slot].order = -1
                dirty.remove(slot)
            }
            writes.append(KeyValue(entry.key, entry.value))
            if flushListener != nil {
                flushed.append(
                    Flushed(key: entry.key, newValue: entry.value, oldValue: old, timestamp: entry.timestamp, headers: entry.headers))
            }
        }
        if writes.count == 1 {
            try inner.put(writes[0].key, writes[0].value)
        } else if !writes.isEmpty {
            try inner.putAll(writes)
        }
        if let flushListener { for entry in flushed { try flushListener(entry) } }
    }

    /// Evicts least-recently-used entries until the shared budget fits: a clean entry is
    /// dropped, a dirty one is flushed (written and forwarded at once, as Kafka Streams'
    /// eviction does) and dropped.
    private func evict() throws {
        while let cache, cache.isOverBudget, oldest >= 0 {
            let slot = oldest
            let key = slots[slot].key
            if slots[slot].isDirty { try flushOne(slot) }
            // Unless the flush removed it (a delete) or a listener re-cached the key elsewhere.
            if index[key] == slot { remove(slot) }
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
        // A rewritten key moves to the end of the flush order, as in Kafka Streams' cache.
        let order = nextOrder
        nextOrder += 1
        let size = Self.size(key: key, value: value, headers: currentHeaders)
        if let slot = index[key] {
            cache?.usedBytes += size - slots[slot].size
            slots[slot].value = value
            slots[slot].timestamp = currentTimestamp
            slots[slot].headers = currentHeaders
            slots[slot].order = order
            slots[slot].size = size
            dirty.insert(slot)
            touch(slot)
        } else {
            let slot = insert(
                Entry(
                    key: key, value: value, timestamp: currentTimestamp, headers: currentHeaders, order: order, size: size,
                    newer: -1, older: -1))
            dirty.insert(slot)
        }
        try evict()
    }

    /// The cached value if there is one (a cached delete reads as `nil`), else the inner
    /// store's, which is then cached as a clean entry (as Kafka Streams' cache does).
    public func get(_ key: [UInt8]) throws -> [UInt8]? {
        if let slot = index[key] {
            touch(slot)
            return slots[slot].value
        }
        let value = try inner.get(key)
        if let value, !writesThrough {
            _ = insert(
                Entry(
                    key: key, value: value, timestamp: 0, headers: Headers(), order: -1,
                    size: Self.size(key: key, value: value, headers: Headers()), newer: -1, older: -1))
            try evict()
        }
        return value
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

    /// The inner store's estimate plus dirty entries.
    public func approximateNumEntries() throws -> Int { try inner.approximateNumEntries() + dirty.count }

    private func merged(
        _ base: KeyValueIterator<[UInt8], [UInt8]>, from: [UInt8]?, to: [UInt8]?, prefix: [UInt8]?, reverse: Bool
    ) throws -> KeyValueIterator<[UInt8], [UInt8]> {
        if dirty.isEmpty { return base }
        var combined: [[UInt8]: [UInt8]?] = [:]
        while let entry = try base.next() { combined[entry.key] = entry.value }
        for slot in dirty {
            let entry = slots[slot]
            let key = entry.key
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
