/// Time-windowed `count` / `reduce` / `aggregate`: folds each record into every window
/// it falls in. A window accepts records while stream time ≤ end + grace; a record for a
/// closed window is dropped and counted (`late-record`). With `onWindowClose`, each window
/// is forwarded once, after it closes, instead of on every update.
final class TimeWindowAggregateProcessor<Key, Value, Aggregate>: Processor {
    typealias OutKey = Windowed<Key>
    typealias OutValue = Change<Aggregate>
    let windows: TimeWindows
    let storeName: String
    let emit: EmitStrategy
    let sendOldValues: Bool
    let first: (Key, Value) throws -> Aggregate
    let fold: (Key, Value, Aggregate) throws -> Aggregate
    var context: ProcessorContext<Windowed<Key>, Change<Aggregate>>!
    var store: MeteredWindowStore<Key, ValueAndTimestamp<Aggregate>>!
    /// With `onWindowClose`: windows ending at or before this have been emitted.
    var emittedThroughEnd: Int64 = .min

    init(
        windows: TimeWindows, storeName: String, emit: EmitStrategy, sendOldValues: Bool,
        first: @escaping (Key, Value) throws -> Aggregate, fold: @escaping (Key, Value, Aggregate) throws -> Aggregate
    ) {
        self.windows = windows
        self.storeName = storeName
        self.emit = emit
        self.sendOldValues = sendOldValues
        self.first = first
        self.fold = fold
    }

    func initialize(context: ProcessorContext<Windowed<Key>, Change<Aggregate>>) throws {
        self.context = context
        store = try context.getStateStore(storeName)
    }

    func process(_ record: Record<Key, Value>) throws {
        let streamTime = context.currentStreamTime
        // Windows that this record's stream time closes go out first, before new writes can
        // push them past the store's retention.
        if emit == .onWindowClose { try emitClosedWindows(streamTime: streamTime) }
        for window in windows.windows(for: record.timestamp) {
            guard streamTime <= window.end + windows.graceMs else {
                context.task.dropRecord(
                    reason: .lateRecord, node: context.nodeName,
                    message: "window \(window) closed at stream time \(streamTime) (grace \(windows.graceMs) ms)",
                    level: .debug)
                continue
            }
            let old = try store.fetch(record.key, windowStart: window.start)
            let new: Aggregate
            var timestamp = record.timestamp
            if let old {
                new = try fold(record.key, record.value, old.value)
                timestamp = max(timestamp, old.timestamp)
            } else {
                new = try first(record.key, record.value)
            }
            try store.put(record.key, ValueAndTimestamp(new, timestamp: timestamp), windowStart: window.start)
            if emit == .onWindowUpdate {
                try context.forward(
                    Record(
                        key: Windowed(key: record.key, window: window), value: Change(new, sendOldValues ? old?.value : nil),
                        timestamp: timestamp, headers: record.headers))
            }
        }
    }

    /// Forwards every window that closed since the last call (end < stream time - grace).
    private func emitClosedWindows(streamTime: Int64) throws {
        let closedThroughEnd = streamTime - windows.graceMs - 1
        guard closedThroughEnd > emittedThroughEnd else { return }
        let fromStart = emittedThroughEnd == .min ? Int64.min : emittedThroughEnd - windows.sizeMs + 1
        let closed = try store.fetchAll(from: fromStart, to: closedThroughEnd - windows.sizeMs, backward: false)
        emittedThroughEnd = closedThroughEnd
        while let entry = try closed.next() {
            try context.forward(
                Record(key: entry.key, value: Change(entry.value.value, nil), timestamp: entry.value.timestamp))
        }
    }
}

/// Session-windowed `count` / `reduce` / `aggregate`: a record starts a session or joins
/// the sessions within the gap, merging them; merged-away sessions are removed and
/// forwarded as tombstones, then the merged session is forwarded (timestamp: its end).
/// As in Kafka Streams, a session closes once stream time passes end + gap + grace (until
/// then a record within the gap after its end may still extend it): a record whose merged
/// session ends before stream time - gap - grace is dropped (`late-record`), and with
/// `onWindowClose` a session is forwarded once, after it closes.
final class SessionWindowAggregateProcessor<Key, Value, Aggregate>: Processor {
    typealias OutKey = Windowed<Key>
    typealias OutValue = Change<Aggregate>
    let windows: SessionWindows
    let storeName: String
    let emit: EmitStrategy
    let sendOldValues: Bool
    /// The aggregate of an empty session (`nil` for reduce: the first value is the aggregate).
    let initializer: () throws -> Aggregate?
    let aggregator: (Key, Value, Aggregate?) throws -> Aggregate
    let merger: (Key, Aggregate?, Aggregate) throws -> Aggregate
    var context: ProcessorContext<Windowed<Key>, Change<Aggregate>>!
    var store: MeteredSessionStore<Key, Aggregate>!
    var emittedThroughEnd: Int64 = .min

    init(
        windows: SessionWindows, storeName: String, emit: EmitStrategy, sendOldValues: Bool,
        initializer: @escaping () throws -> Aggregate?, aggregator: @escaping (Key, Value, Aggregate?) throws -> Aggregate,
        merger: @escaping (Key, Aggregate?, Aggregate) throws -> Aggregate
    ) {
        self.windows = windows
        self.storeName = storeName
        self.emit = emit
        self.sendOldValues = sendOldValues
        self.initializer = initializer
        self.aggregator = aggregator
        self.merger = merger
    }

    func initialize(context: ProcessorContext<Windowed<Key>, Change<Aggregate>>) throws {
        self.context = context
        store = try context.getStateStore(storeName)
    }

    func process(_ record: Record<Key, Value>) throws {
        let streamTime = context.currentStreamTime
        if emit == .onWindowClose { try emitClosedSessions(streamTime: streamTime) }
        let timestamp = record.timestamp
        var merged = Window(start: timestamp, end: timestamp)
        var aggregate: Aggregate? = try initializer()
        var overlapping: [KeyValue<Windowed<Key>, Aggregate>] = []
        let sessions = try store.findSessions(
            record.key, earliestSessionEnd: timestamp - windows.gapMs, latestSessionStart: timestamp + windows.gapMs)
        while let session = try sessions.next() {
            overlapping.append(session)
            aggregate = try merger(record.key, aggregate, session.value)
            merged = Window(start: min(merged.start, session.key.window.start), end: max(merged.end, session.key.window.end))
        }
        guard streamTime <= merged.end + windows.gapMs + windows.graceMs else {
            context.task.dropRecord(
                reason: .lateRecord, node: context.nodeName,
                message: "session \(merged) closed at stream time \(streamTime) "
                    + "(gap \(windows.gapMs) ms, grace \(windows.graceMs) ms)",
                level: .debug)
            return
        }
        if overlapping.count != 1 || overlapping.first?.key.window != merged {
            for session in overlapping {
                try store.remove(session.key)
                if emit == .onWindowUpdate {
                    try context.forward(
                        Record(key: session.key, value: Change(nil, sendOldValues ? session.value : nil), timestamp: session.key.window.end,
                               headers: record.headers))
                }
            }
        }
        let result = try aggregator(record.key, record.value, aggregate)
        let key = Windowed(key: record.key, window: merged)
        try store.put(key, result)
        if emit == .onWindowUpdate {
            // An update in place of one session carries that session's old value.
            let inPlace = overlapping.count == 1 && overlapping.first?.key.window == merged ? overlapping.first?.value : nil
            try context.forward(
                Record(key: key, value: Change(result, sendOldValues ? inPlace : nil), timestamp: merged.end, headers: record.headers))
        }
    }

    /// Forwards every session that closed since the last call (end < stream time - gap - grace).
    private func emitClosedSessions(streamTime: Int64) throws {
        let closedThroughEnd = streamTime - windows.gapMs - windows.graceMs - 1
        guard closedThroughEnd > emittedThroughEnd else { return }
        let all = try store.all()
        while let session = try all.next() {
            let end = session.key.window.end
            if end > emittedThroughEnd && end <= closedThroughEnd {
                try context.forward(Record(key: session.key, value: Change(session.value, nil), timestamp: end))
            }
        }
        emittedThroughEnd = closedThroughEnd
    }
}
