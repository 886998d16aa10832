/// The window store that buffers one side of a stream–stream join: every record is kept
/// (duplicates of one key and timestamp included, in arrival order) until it falls out of
/// the retention, `before + after + grace`, measured against the newest timestamp written.
///
/// Kafka Streams uses a window store with `retainDuplicates` for this. Records are grouped
/// into time segments (half the retention each) holding a map from key to that key's
/// records, so a fetch reads a handful of segments by key, and expiry drops whole
/// segments.
final class InMemoryJoinWindowStore: WindowStore {
    typealias Key = [UInt8]
    typealias Value = [UInt8]

    let name: String
    let retentionMs: Int64
    let windowSizeMs: Int64
    let segmentMs: Int64
    var persistent: Bool { false }
    private(set) var isOpen = false

    private struct Entry {
        let timestamp: Int64
        let sequence: Int64
        let value: [UInt8]
    }
    private var segments: [Int64: [[UInt8]: [Entry]]] = [:]
    private var segmentIDs: [Int64] = []  // sorted keys of `segments`
    private var observedStreamTime: Int64 = .min
    private var sequence: Int64 = 0

    init(name: String, retentionMs: Int64, windowSizeMs: Int64) {
        self.name = name
        self.retentionMs = max(0, retentionMs)
        self.windowSizeMs = windowSizeMs
        self.segmentMs = max(1, self.retentionMs / 2 + 1)
    }

    func initialize(context: StateStoreContext) throws { isOpen = true }
    func flush() throws {}
    func close() throws {
        isOpen = false
        segments.removeAll()
        segmentIDs.removeAll()
    }

    private func checkOpen() throws {
        guard isOpen else { throw StreamsError(.stateStore, "store \(name) is not open", context: .init(store: name)) }
    }

    /// The oldest timestamp still retained.
    private var oldestLive: Int64 { observedStreamTime == .min ? .min : observedStreamTime - retentionMs + 1 }

    private func segmentID(_ timestamp: Int64) -> Int64 {
        timestamp >= 0 ? timestamp / segmentMs : (timestamp - segmentMs + 1) / segmentMs
    }

    /// Whether a write at `timestamp` would be dropped as expired (Kafka: the record's
    /// time is at or before the newest time seen minus the retention).
    func isExpired(_ timestamp: Int64) -> Bool {
        let observed = max(observedStreamTime, timestamp)
        return timestamp <= observed - retentionMs
    }

    /// Appends a record; `nil` values are ignored (a duplicates store cannot delete), and
    /// so are records already past retention.
    func put(_ key: [UInt8], _ value: [UInt8]?, windowStart: Int64) throws {
        try checkOpen()
        if windowStart > observedStreamTime {
            observedStreamTime = windowStart
            expire()
        }
        guard let value, windowStart > observedStreamTime - retentionMs else { return }
        let id = segmentID(windowStart)
        if segments[id] == nil {
            let index = segmentIDs.firstIndex { $0 > id } ?? segmentIDs.endIndex
            segmentIDs.insert(id, at: index)
        }
        sequence += 1
        segments[id, default: [:]][key, default: []].append(Entry(timestamp: windowStart, sequence: sequence, value: value))
    }

    private func expire() {
        let limit = oldestLive
        while let first = segmentIDs.first, (first + 1) * segmentMs - 1 < limit {
            segmentIDs.removeFirst()
            segments[first] = nil
        }
    }

    private func collect(_ key: [UInt8], from: Int64, to: Int64) -> [Entry] {
        let low = max(from, oldestLive)
        guard low <= to else { return [] }
        let firstID = segmentID(low)
        let lastID = segmentID(to)
        var result: [Entry] = []
        for id in segmentIDs where id >= firstID && id <= lastID {
            guard let entries = segments[id]?[key] else { continue }
            for entry in entries where entry.timestamp >= low && entry.timestamp <= to { result.append(entry) }
        }
        if result.count > 1 {
            result.sort { ($0.timestamp, $0.sequence) < ($1.timestamp, $1.sequence) }
        }
        return result
    }

    /// Calls `body` with each record of the key whose timestamp is in `from...to`, by
    /// timestamp then arrival: the join processors' lookup, without iterator objects.
    func forEach(_ key: [UInt8], from: Int64, to: Int64, _ body: (_ timestamp: Int64, _ value: [UInt8]) throws -> Void) throws {
        try checkOpen()
        for entry in collect(key, from: from, to: to) { try body(entry.timestamp, entry.value) }
    }

    /// The first record of the key at exactly `windowStart`.
    func fetch(_ key: [UInt8], windowStart: Int64) throws -> [UInt8]? {
        try checkOpen()
        return collect(key, from: windowStart, to: windowStart).first?.value
    }

    /// Every record of the key with a timestamp in `from...to`, by timestamp then arrival
    /// (each entry's key is the record's timestamp).
    func fetch(_ key: [UInt8], from: Int64, to: Int64, backward: Bool) throws -> KeyValueIterator<Int64, [UInt8]> {
        try checkOpen()
        let entries = collect(key, from: from, to: to).map { KeyValue($0.timestamp, $0.value) }
        return KeyValueIterator(backward ? entries.reversed() : entries)
    }

    /// Every record with a timestamp in `from...to`, by timestamp, then key bytes, then arrival.
    func fetchAll(from: Int64, to: Int64, backward: Bool) throws -> KeyValueIterator<Windowed<[UInt8]>, [UInt8]> {
        try checkOpen()
        let low = max(from, oldestLive)
        var result: [(key: [UInt8], entry: Entry)] = []
        for id in segmentIDs {
            for (key, entries) in segments[id] ?? [:] {
                for entry in entries where entry.timestamp >= low && entry.timestamp <= to { result.append((key, entry)) }
            }
        }
        result.sort { a, b in
            if a.entry.timestamp != b.entry.timestamp { return a.entry.timestamp < b.entry.timestamp }
            let order = ByteOrderedMap.compare(a.key, b.key)
            return order != 0 ? order < 0 : a.entry.sequence < b.entry.sequence
        }
        let size = windowSizeMs
        let entries = result.map {
            KeyValue(
                Windowed(key: $0.key, window: Window(start: $0.entry.timestamp, end: $0.entry.timestamp &+ size)), $0.entry.value)
        }
        return KeyValueIterator(backward ? entries.reversed() : entries)
    }
}
