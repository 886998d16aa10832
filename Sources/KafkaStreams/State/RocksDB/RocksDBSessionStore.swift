/// A persistent session store of bytes on RocksDB (Kafka's `RocksDBSessionStore`).
///
/// Sessions are kept in time segments by session end; within a segment the key is
/// `[key][end][start]` (big-endian, sign bit flipped), so one key's sessions are adjacent
/// and ordered by end, then start. Segments whose sessions all ended before the newest end
/// seen minus the retention are dropped whole.
public final class RocksDBSessionStore: SessionStore, SyncableStore, BatchWritableSessionStore {
    /// The store name.
    public let name: String
    /// How long sessions are kept after they end, in ms.
    public let retentionMs: Int64
    /// Always `true`.
    public var persistent: Bool { true }
    /// Whether the store is open.
    public var isOpen: Bool { segments.isOpen }
    let segments: RocksDBSegments
    private var observedStreamTime: Int64 = .min

    /// Creates a closed store.
    public init(name: String, retentionMs: Int64, segmentIntervalMs: Int64? = nil) {
        self.name = name
        self.retentionMs = retentionMs
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
                observedStreamTime = max(observedStreamTime, TimestampBytes.readOrdered(entry.key, at: entry.key.count - 16))
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

    private var oldestLiveEnd: Int64 { observedStreamTime == .min ? .min : observedStreamTime - retentionMs + 1 }

    static func storeKey(_ key: [UInt8], start: Int64, end: Int64) -> [UInt8] {
        var bytes = key
        bytes.reserveCapacity(key.count + 16)
        TimestampBytes.appendOrdered(end, to: &bytes)
        TimestampBytes.appendOrdered(start, to: &bytes)
        return bytes
    }

    /// Writes or (with `nil`) removes a session; a write for a session past retention is ignored.
    /// - Throws: ``StreamsError`` if the store is closed or RocksDB fails.
    public func put(_ session: Windowed<[UInt8]>, _ value: [UInt8]?) throws {
        try checkOpen()
        let end = session.window.end
        let key = Self.storeKey(session.key, start: session.window.start, end: end)
        if let value {
            if end > observedStreamTime {
                observedStreamTime = end
                segments.dropSegments(before: oldestLiveEnd)
            }
            guard end >= oldestLiveEnd else { return }
            try segments.getOrCreate(for: end).put(key, value)
        } else if let segment = segments.segment(for: end) {
            try segment.delete(key)
        }
    }

    /// Writes the sessions with one write batch per segment, as sequential
    /// ``put(_:_:)`` calls would (expiry included): bulk restoration.
    package func putAll(_ entries: [KeyValue<Windowed<[UInt8]>, [UInt8]?>]) throws {
        try checkOpen()
        var batches: [Int64: (RocksDBDatabase, RocksDBWriteBatch)] = [:]
        for entry in entries {
            let end = entry.key.window.end
            let key = Self.storeKey(entry.key.key, start: entry.key.window.start, end: end)
            let id = segments.segmentId(end)
            if let value = entry.value {
                if end > observedStreamTime {
                    observedStreamTime = end
                    for dropped in segments.dropSegments(before: oldestLiveEnd) { batches[dropped] = nil }
                }
                guard end >= oldestLiveEnd else { continue }
                if batches[id] == nil { batches[id] = (try segments.getOrCreate(for: end), RocksDBWriteBatch()) }
                batches[id]!.1.put(key, value)
            } else {
                if batches[id] == nil {
                    guard let segment = segments.segment(for: end) else { continue }
                    batches[id] = (segment, RocksDBWriteBatch())
                }
                batches[id]!.1.delete(key)
            }
        }
        for id in batches.keys.sorted() { try batches[id]!.0.write(batches[id]!.1) }
    }

    /// The value of exactly this session.
    /// - Throws: ``StreamsError`` if the store is closed or RocksDB fails.
    public func fetchSession(_ key: [UInt8], start: Int64, end: Int64) throws -> [UInt8]? {
        try checkOpen()
        guard let segment = segments.segment(for: end) else { return nil }
        return try segment.get(Self.storeKey(key, start: start, end: end))
    }

    /// The key's sessions with `end >= earliestSessionEnd` and `start <= latestSessionStart`,
    /// by end, then start.
    /// - Throws: ``StreamsError`` if the store is closed or RocksDB fails.
    public func findSessions(_ key: [UInt8], earliestSessionEnd: Int64, latestSessionStart: Int64) throws
        -> KeyValueIterator<Windowed<[UInt8]>, [UInt8]>
    {
        try checkOpen()
        let low = max(earliestSessionEnd, oldestLiveEnd)
        var result: [KeyValue<Windowed<[UInt8]>, [UInt8]>] = []
        var lower = key
        TimestampBytes.appendOrdered(low, to: &lower)
        for segment in segments.segments(from: low, to: .max) {
            let cursor = try segment.cursor(lower: lower, upper: RocksDBKeyValueStore.prefixSuccessor(key), reverse: false)
            while let entry = try cursor.next() {
                guard entry.key.count == key.count + 16 else { continue }  // a longer key sharing the prefix
                let start = TimestampBytes.readOrdered(entry.key, at: key.count + 8)
                guard start <= latestSessionStart else { continue }
                let end = TimestampBytes.readOrdered(entry.key, at: key.count)
                result.append(KeyValue(Windowed(key: key, window: Window(start: start, end: end)), entry.value))
            }
        }
        return KeyValueIterator(result)
    }

    /// Every live session, by end, then key bytes, then start.
    /// - Throws: ``StreamsError`` if the store is closed or RocksDB fails.
    public func all() throws -> KeyValueIterator<Windowed<[UInt8]>, [UInt8]> {
        try checkOpen()
        let low = oldestLiveEnd
        var found: [(end: Int64, key: [UInt8], start: Int64, value: [UInt8])] = []
        for segment in segments.segments(from: low, to: .max) {
            let cursor = try segment.cursor(lower: nil, upper: nil, reverse: false)
            while let entry = try cursor.next() {
                let keyLength = entry.key.count - 16
                let end = TimestampBytes.readOrdered(entry.key, at: keyLength)
                guard end >= low else { continue }
                found.append(
                    (end, Array(entry.key[..<keyLength]), TimestampBytes.readOrdered(entry.key, at: keyLength + 8), entry.value))
            }
        }
        found.sort {
            if $0.end != $1.end { return $0.end < $1.end }
            let order = ByteOrderedMap.compare($0.key, $1.key)
            return order != 0 ? order < 0 : $0.start < $1.start
        }
        return KeyValueIterator(
            found.map { KeyValue(Windowed(key: $0.key, window: Window(start: $0.start, end: $0.end)), $0.value) })
    }
}
