/// A window store of bytes in memory: one ordered map of keys per window start.
///
/// Windows whose start is older than the newest start seen minus the retention are
/// dropped as whole buckets (no per-key deletes), as Kafka Streams' in-memory window store.
public final class InMemoryWindowStore: WindowStore {
    /// The store name.
    public let name: String
    /// How long windows are kept, in ms.
    public let retentionMs: Int64
    /// The window size in ms (to give fetched windows their end).
    public let windowSizeMs: Int64
    /// Always `false`.
    public var persistent: Bool { false }
    /// Whether the store is open.
    public private(set) var isOpen = false
    private var buckets: [Int64: ByteOrderedMap] = [:]
    private var starts: [Int64] = []  // sorted keys of `buckets`
    private var observedStreamTime: Int64 = .min

    /// Creates a closed store.
    public init(name: String, retentionMs: Int64, windowSizeMs: Int64) {
        self.name = name
        self.retentionMs = retentionMs
        self.windowSizeMs = windowSizeMs
    }

    /// Opens the store.
    public func initialize(context: StateStoreContext) throws { isOpen = true }
    /// Nothing to flush.
    public func flush() throws {}
    /// Closes and empties the store.
    public func close() throws {
        isOpen = false
        buckets.removeAll()
        starts.removeAll()
    }

    private func checkOpen() throws {
        guard isOpen else { throw StreamsError(.stateStore, "store \(name) is not open", context: .init(store: name)) }
    }

    private var oldestLive: Int64 { observedStreamTime == .min ? .min : observedStreamTime - retentionMs + 1 }

    /// Writes a window; ignored when the window is past retention.
    public func put(_ key: [UInt8], _ value: [UInt8]?, windowStart: Int64) throws {
        try checkOpen()
        if windowStart > observedStreamTime {
            observedStreamTime = windowStart
            expire()
        }
        guard windowStart >= oldestLive else { return }
        if let value {
            if buckets[windowStart] == nil {
                buckets[windowStart] = ByteOrderedMap()
                let index = starts.firstIndex { $0 > windowStart } ?? starts.endIndex
                starts.insert(windowStart, at: index)
            }
            buckets[windowStart]?.put(key, value)
        } else {
            buckets[windowStart]?.remove(key)
        }
    }

    private func expire() {
        let limit = oldestLive
        while let first = starts.first, first < limit {
            starts.removeFirst()
            buckets[first] = nil
        }
    }

    /// The key's window at `windowStart`.
    public func fetch(_ key: [UInt8], windowStart: Int64) throws -> [UInt8]? {
        try checkOpen()
        guard windowStart >= oldestLive else { return nil }
        return buckets[windowStart]?.get(key)
    }

    private func startsIn(_ from: Int64, _ to: Int64, backward: Bool) -> [Int64] {
        let low = max(from, oldestLive)
        let selected = starts.filter { $0 >= low && $0 <= to }
        return backward ? selected.reversed() : selected
    }

    /// The key's windows in a start range.
    public func fetch(_ key: [UInt8], from: Int64, to: Int64, backward: Bool) throws -> KeyValueIterator<Int64, [UInt8]> {
        try checkOpen()
        var result: [KeyValue<Int64, [UInt8]>] = []
        for start in startsIn(from, to, backward: backward) {
            if let value = buckets[start]?.get(key) { result.append(KeyValue(start, value)) }
        }
        return KeyValueIterator(result)
    }

    /// All windows in a start range.
    public func fetchAll(from: Int64, to: Int64, backward: Bool) throws -> KeyValueIterator<Windowed<[UInt8]>, [UInt8]> {
        try checkOpen()
        var result: [KeyValue<Windowed<[UInt8]>, [UInt8]>] = []
        for start in startsIn(from, to, backward: backward) {
            let window = Window(start: start, end: start &+ windowSizeMs)
            for entry in buckets[start]?.entries(reverse: backward) ?? [] {
                result.append(KeyValue(Windowed(key: entry.key, window: window), entry.value))
            }
        }
        return KeyValueIterator(result)
    }
}

/// A session store of bytes in memory: sessions by end time, then key, then start.
public final class InMemorySessionStore: SessionStore {
    /// The store name.
    public let name: String
    /// How long sessions are kept after they end, in ms.
    public let retentionMs: Int64
    /// Always `false`.
    public var persistent: Bool { false }
    /// Whether the store is open.
    public private(set) var isOpen = false
    /// end → key → start → value
    private var byEnd: [Int64: [[UInt8]: [Int64: [UInt8]]]] = [:]
    private var ends: [Int64] = []
    private var observedStreamTime: Int64 = .min

    /// Creates a closed store.
    public init(name: String, retentionMs: Int64) {
        self.name = name
        self.retentionMs = retentionMs
    }

    /// Opens the store.
    public func initialize(context: StateStoreContext) throws { isOpen = true }
    /// Nothing to flush.
    public func flush() throws {}
    /// Closes and empties the store.
    public func close() throws {
        isOpen = false
        byEnd.removeAll()
        ends.removeAll()
    }

    private func checkOpen() throws {
        guard isOpen else { throw StreamsError(.stateStore, "store \(name) is not open", context: .init(store: name)) }
    }

    private var oldestLiveEnd: Int64 { observedStreamTime == .min ? .min : observedStreamTime - retentionMs + 1 }

    /// Writes or (with `nil`) removes a session.
    public func put(_ session: Windowed<[UInt8]>, _ value: [UInt8]?) throws {
        try checkOpen()
        let end = session.window.end
        if let value {
            if end > observedStreamTime {
                observedStreamTime = end
                while let first = ends.first, first < oldestLiveEnd {
                    ends.removeFirst()
                    byEnd[first] = nil
                }
            }
            guard end >= oldestLiveEnd else { return }
            if byEnd[end] == nil {
                byEnd[end] = [:]
                let index = ends.firstIndex { $0 > end } ?? ends.endIndex
                ends.insert(end, at: index)
            }
            byEnd[end]?[session.key, default: [:]][session.window.start] = value
        } else {
            byEnd[end]?[session.key]?[session.window.start] = nil
            if byEnd[end]?[session.key]?.isEmpty == true { byEnd[end]?[session.key] = nil }
        }
    }

    /// The value of exactly this session.
    public func fetchSession(_ key: [UInt8], start: Int64, end: Int64) throws -> [UInt8]? {
        try checkOpen()
        return byEnd[end]?[key]?[start]
    }

    /// The key's sessions overlapping `[earliestSessionEnd, latestSessionStart]`.
    public func findSessions(_ key: [UInt8], earliestSessionEnd: Int64, latestSessionStart: Int64) throws
        -> KeyValueIterator<Windowed<[UInt8]>, [UInt8]>
    {
        try checkOpen()
        var result: [KeyValue<Windowed<[UInt8]>, [UInt8]>] = []
        for end in ends where end >= earliestSessionEnd && end >= oldestLiveEnd {
            for (start, value) in (byEnd[end]?[key] ?? [:]).sorted(by: { $0.key < $1.key }) where start <= latestSessionStart {
                result.append(KeyValue(Windowed(key: key, window: Window(start: start, end: end)), value))
            }
        }
        return KeyValueIterator(result)
    }

    /// Every session.
    public func all() throws -> KeyValueIterator<Windowed<[UInt8]>, [UInt8]> {
        try checkOpen()
        var result: [KeyValue<Windowed<[UInt8]>, [UInt8]>] = []
        for end in ends where end >= oldestLiveEnd {
            for (key, sessions) in (byEnd[end] ?? [:]).sorted(by: { ByteOrderedMap.compare($0.key, $1.key) < 0 }) {
                for (start, value) in sessions.sorted(by: { $0.key < $1.key }) {
                    result.append(KeyValue(Windowed(key: key, window: Window(start: start, end: end)), value))
                }
            }
        }
        return KeyValueIterator(result)
    }
}
