/// A persistent window store of bytes on RocksDB (Kafka's `RocksDBWindowStore` over a
/// segmented bytes store).
///
/// Windows are kept in time segments (one RocksDB database per segment of half the
/// retention, at least a minute); a segment older than the newest window start seen minus
/// the retention is dropped whole. Within a segment the key is `[key][window start]` (the
/// start big-endian with its sign bit flipped, so it sorts bytewise), so one key's windows
/// are adjacent: ``fetch(_:from:to:backward:)`` is one range scan per segment. Windows past
/// retention are never returned, even while their segment still exists.
public final class RocksDBWindowStore: WindowStore, SyncableStore, BatchWritableWindowStore {
    /// The store name.
    public let name: String
    /// How long windows are kept, in ms.
    public let retentionMs: Int64
    /// The window size in ms (to give fetched windows their end).
    public let windowSizeMs: Int64
    /// Always `true`.
    public var persistent: Bool { true }
    /// Whether the store is open.
    public var isOpen: Bool { segments.isOpen }
    let segments: RocksDBSegments
    private var observedStreamTime: Int64 = .min

    /// Creates a closed store.
    /// - Parameter segmentIntervalMs: the time span of one segment (default: Kafka's,
    ///   half the retention and at least a minute).
    public init(name: String, retentionMs: Int64, windowSizeMs: Int64, segmentIntervalMs: Int64? = nil) {
        self.name = name
        self.retentionMs = retentionMs
        self.windowSizeMs = windowSizeMs
        segments = RocksDBSegments(
            store: name, intervalMs: segmentIntervalMs ?? RocksDBSegments.defaultInterval(retentionMs: retentionMs))
    }

    /// Opens the segments found on disk and recovers stream time from the newest one.
    /// - Throws: ``StreamsError`` naming the store and path on RocksDB failures.
    public func initialize(context: StateStoreContext) throws {
        try segments.open(context: context)
        observedStreamTime = .min
        if let newest = segments.newest {
            let it = try newest.cursor(lower: nil, upper: nil, reverse: false)
            while let entry = try it.next() {
                observedStreamTime = max(observedStreamTime, TimestampBytes.readOrdered(entry.key, at: entry.key.count - 8))
            }
        }
    }

    /// Does nothing (see ``RocksDBKeyValueStore/flush()``).
    public func flush() throws {}
    /// Flushes every segment's memtables to disk.
    public func sync() throws { try segments.sync() }
    /// Closes every segment.
    public func close() throws { segments.close() }

    private func checkOpen() throws {
        guard isOpen else { throw StreamsError(.stateStore, "store \(name) is not open", context: .init(store: name)) }
    }

    private var oldestLive: Int64 { observedStreamTime == .min ? .min : observedStreamTime - retentionMs + 1 }

    static func storeKey(_ key: [UInt8], _ start: Int64) -> [UInt8] {
        var bytes = key
        bytes.reserveCapacity(key.count + 8)
        TimestampBytes.appendOrdered(start, to: &bytes)
        return bytes
    }

    private func advance(to windowStart: Int64) {
        if windowStart > observedStreamTime {
            observedStreamTime = windowStart
            segments.dropSegments(before: oldestLive)
        }
    }

    /// Writes a window; ignored when the window is past retention.
    /// - Throws: ``StreamsError`` if the store is closed or RocksDB fails.
    public func put(_ key: [UInt8], _ value: [UInt8]?, windowStart: Int64) throws {
        try checkOpen()
        advance(to: windowStart)
        guard windowStart >= oldestLive else { return }
        if let value {
            try segments.getOrCreate(for: windowStart).put(Self.storeKey(key, windowStart), value)
        } else if let segment = segments.segment(for: windowStart) {
            try segment.delete(Self.storeKey(key, windowStart))
        }
    }

    /// Writes the entries with one write batch per segment, as sequential ``put(_:_:windowStart:)``
    /// calls would (expiry included).
    package func putAll(_ entries: [WindowEntry]) throws {
        try checkOpen()
        var batches: [Int64: (RocksDBDatabase, RocksDBWriteBatch)] = [:]
        for entry in entries {
            if entry.windowStart > observedStreamTime {
                observedStreamTime = entry.windowStart
                for id in segments.dropSegments(before: oldestLive) { batches[id] = nil }
            }
            guard entry.windowStart >= oldestLive else { continue }
            let id = segments.segmentId(entry.windowStart)
            if batches[id] == nil {
                guard entry.value != nil || segments.segment(for: entry.windowStart) != nil else { continue }
                batches[id] = (try segments.getOrCreate(for: entry.windowStart), RocksDBWriteBatch())
            }
            let key = Self.storeKey(entry.key, entry.windowStart)
            if let value = entry.value { batches[id]!.1.put(key, value) } else { batches[id]!.1.delete(key) }
        }
        for id in batches.keys.sorted() { try batches[id]!.0.write(batches[id]!.1) }
    }

    /// The key's window at `windowStart`.
    /// - Throws: ``StreamsError`` if the store is closed or RocksDB fails.
    public func fetch(_ key: [UInt8], windowStart: Int64) throws -> [UInt8]? {
        try checkOpen()
        guard windowStart >= oldestLive, let segment = segments.segment(for: windowStart) else { return nil }
        return try segment.get(Self.storeKey(key, windowStart))
    }

    /// The key's windows with a start in `[from, to]`, by start.
    /// - Throws: ``StreamsError`` if the store is closed or RocksDB fails.
    public func fetch(_ key: [UInt8], from: Int64, to: Int64, backward: Bool) throws -> KeyValueIterator<Int64, [UInt8]> {
        try checkOpen()
        let low = max(from, oldestLive)
        var result: [KeyValue<Int64, [UInt8]>] = []
        for segment in segments.segments(from: low, to: to) {
            let cursor = try segment.cursor(
                lower: Self.storeKey(key, low), upper: Self.storeKey(key, to) + [0], reverse: false)
            while let entry = try cursor.next() {
                guard entry.key.count == key.count + 8 else { continue }  // a longer key sharing the prefix
                result.append(KeyValue(TimestampBytes.readOrdered(entry.key, at: key.count), entry.value))
            }
        }
        return KeyValueIterator(backward ? result.reversed() : result)
    }

    /// Every key's windows with a start in `[from, to]`, by start, then key bytes.
    /// - Throws: ``StreamsError`` if the store is closed or RocksDB fails.
    public func fetchAll(from: Int64, to: Int64, backward: Bool) throws -> KeyValueIterator<Windowed<[UInt8]>, [UInt8]> {
        try checkOpen()
        let low = max(from, oldestLive)
        var found: [(start: Int64, key: [UInt8], value: [UInt8])] = []
        for segment in segments.segments(from: low, to: to) {
            let cursor = try segment.cursor(lower: nil, upper: nil, reverse: false)
            while let entry = try cursor.next() {
                let keyLength = entry.key.count - 8
                let start = TimestampBytes.readOrdered(entry.key, at: keyLength)
                guard start >= low && start <= to else { continue }
                found.append((start, Array(entry.key[..<keyLength]), entry.value))
            }
        }
        found.sort { $0.start != $1.start ? $0.start < $1.start : ByteOrderedMap.compare($0.key, $1.key) < 0 }
        if backward { found.reverse() }
        let size = windowSizeMs
        return KeyValueIterator(
            found.map { KeyValue(Windowed(key: $0.key, window: Window(start: $0.start, end: $0.start &+ size)), $0.value) })
    }
}
