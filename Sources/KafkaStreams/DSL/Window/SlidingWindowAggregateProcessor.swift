/// Sliding-window `count` / `reduce` / `aggregate`, following Kafka Streams'
/// `KStreamSlidingWindowAggregate`: for each record, update the windows that contain it,
/// create its left window `[t - d, t]` (seeded with the aggregate of the records before it
/// within `d`), the right window of the previous record if that is now non-empty, and its
/// own right window `[t + 1, t + 1 + d]` if later records fall in it.
final class SlidingWindowAggregateProcessor<Key, Value, Aggregate>: Processor {
    typealias OutKey = Windowed<Key>
    typealias OutValue = Change<Aggregate>
    let windows: SlidingWindows
    let storeName: String
    let sendOldValues: Bool
    let initializer: () throws -> Aggregate?
    let aggregator: (Key, Value, Aggregate?) throws -> Aggregate
    var context: ProcessorContext<Windowed<Key>, Change<Aggregate>>!
    var store: MeteredWindowStore<Key, ValueAndTimestamp<Aggregate>>!

    init(
        windows: SlidingWindows, storeName: String, sendOldValues: Bool, initializer: @escaping () throws -> Aggregate?,
        aggregator: @escaping (Key, Value, Aggregate?) throws -> Aggregate
    ) {
        self.windows = windows
        self.storeName = storeName
        self.sendOldValues = sendOldValues
        self.initializer = initializer
        self.aggregator = aggregator
    }

    func initialize(context: ProcessorContext<Windowed<Key>, Change<Aggregate>>) throws {
        self.context = context
        store = try context.getStateStore(storeName)
    }

    func process(_ record: Record<Key, Value>) throws {
        let t = record.timestamp
        let d = windows.differenceMs
        let streamTime = context.currentStreamTime
        // Every window of this record (the latest being its right window) has closed.
        guard streamTime <= t + 1 + d + windows.graceMs else {
            context.task.dropRecord(
                reason: .lateRecord, node: context.nodeName,
                message: "every sliding window of a record at \(t) closed at stream time \(streamTime)", level: .debug)
            return
        }
        if t < d {
            try processEarly(record, streamTime: streamTime)
            return
        }
        var startTimes = Set<Int64>()
        var leftAggregate: ValueAndTimestamp<Aggregate>?
        var rightAggregate: ValueAndTimestamp<Aggregate>?
        var leftExists = false
        var rightExists = false
        var previousTimestamp: Int64?
        let existing = try store.fetch(record.key, from: max(0, t - 2 * d), to: t + 1)
        while let window = try existing.next() {
            let start = window.key
            startTimes.insert(start)
            let end = start + d
            let maxTimestamp = window.value.timestamp
            if end < t {
                leftAggregate = window.value
                previousTimestamp = maxTimestamp
            } else if end == t {
                leftExists = true
                if maxTimestamp < t { previousTimestamp = maxTimestamp }
                try update(Window(start: start, end: end), window.value, record, streamTime)
            } else if start <= t {
                rightAggregate = window.value
                try update(Window(start: start, end: end), window.value, record, streamTime)
            } else if start == t + 1 {
                rightExists = true
            }
        }
        if let previous = previousTimestamp {
            let start = previous + 1
            if !startTimes.contains(start) && start + d >= t {
                try update(Window(start: start, end: start + d), initializer().map { ValueAndTimestamp($0, timestamp: t) }, record, streamTime)
            }
        }
        if !leftExists {
            let seed: ValueAndTimestamp<Aggregate>?
            if let previous = previousTimestamp, t - d <= previous, let left = leftAggregate {
                seed = ValueAndTimestamp(left.value, timestamp: t)
            } else {
                seed = try initializer().map { ValueAndTimestamp($0, timestamp: t) }
            }
            try update(Window(start: max(0, t - d), end: t), seed, record, streamTime)
        }
        if !rightExists, let right = rightAggregate, right.timestamp > t {
            try createRightWindow(of: record, right)
        }
    }

    /// A record's right window `[t + 1, t + 1 + d]`, holding the records after it.
    private func createRightWindow(of record: Record<Key, Value>, _ aggregate: ValueAndTimestamp<Aggregate>) throws {
        let window = Window(start: record.timestamp + 1, end: record.timestamp + 1 + windows.differenceMs)
        try store.put(record.key, aggregate, windowStart: window.start)
        try context.forward(
            Record(
                key: Windowed(key: record.key, window: window), value: Change(aggregate.value, nil), timestamp: aggregate.timestamp,
                headers: record.headers))
    }

    /// Records earlier than the difference cannot have a left window `[t - d, t]`: they
    /// share one window `[0, d]` (Kafka Streams' `processEarly`), plus right windows.
    private func processEarly(_ record: Record<Key, Value>, streamTime: Int64) throws {
        let t = record.timestamp
        let d = windows.differenceMs
        var combined: KeyValue<Int64, ValueAndTimestamp<Aggregate>>?
        var rightAggregate: ValueAndTimestamp<Aggregate>?
        var rightExists = false
        var startTimes = Set<Int64>()
        var previousTimestamp: Int64?
        let existing = try store.fetch(record.key, from: 0, to: t + 1)
        while let window = try existing.next() {
            let start = window.key
            startTimes.insert(start)
            if start == 0 {
                combined = window
                if window.value.timestamp < t { previousTimestamp = window.value.timestamp }
            } else if start <= t {
                rightAggregate = window.value
                try update(Window(start: start, end: start + d), window.value, record, streamTime)
            } else if start == t + 1 {
                rightExists = true
            }
        }
        if rightAggregate == nil, let combined, combined.value.timestamp > t { rightAggregate = combined.value }
        if !rightExists, let right = rightAggregate, right.timestamp > t { try createRightWindow(of: record, right) }
        if let previous = previousTimestamp, !startTimes.contains(previous + 1) {
            try update(
                Window(start: previous + 1, end: previous + 1 + d), initializer().map { ValueAndTimestamp($0, timestamp: t) }, record,
                streamTime)
        }
        try update(
            Window(start: 0, end: d), combined?.value ?? initializer().map { ValueAndTimestamp($0, timestamp: t) }, record, streamTime)
    }

    private func update(_ window: Window, _ current: ValueAndTimestamp<Aggregate>?, _ record: Record<Key, Value>, _ streamTime: Int64) throws {
        guard streamTime <= window.end + windows.graceMs else {
            context.task.dropRecord(
                reason: .lateRecord, node: context.nodeName,
                message: "sliding window \(window) closed at stream time \(streamTime) (grace \(windows.graceMs) ms)", level: .debug)
            return
        }
        let new = try aggregator(record.key, record.value, current?.value)
        let timestamp = current.map { max(record.timestamp, $0.timestamp) } ?? record.timestamp
        try store.put(record.key, ValueAndTimestamp(new, timestamp: timestamp), windowStart: window.start)
        try context.forward(
            Record(
                key: Windowed(key: record.key, window: window), value: Change(new, sendOldValues ? current?.value : nil),
                timestamp: timestamp, headers: record.headers))
    }
}

extension KGroupedStream {
    /// Groups the stream's records into sliding windows.
    public func windowedBy(_ windows: SlidingWindows) -> SlidingWindowedKStream<Key, Value> {
        SlidingWindowedKStream(grouped: self, windows: windows)
    }
}

/// A grouped stream in sliding windows, ready for `count`, `reduce` or `aggregate`.
public struct SlidingWindowedKStream<Key, Value> {
    let grouped: KGroupedStream<Key, Value>
    let windows: SlidingWindows

    func aggregateNode<A>(
        _ named: Named?, prefix: String, _ materialized: Materialized<Key, A>, defaultValue: Serde<A>?,
        initializer: @escaping @Sendable () throws -> A?, aggregator: @escaping @Sendable (Key, Value, A?) throws -> A
    ) -> KTable<Windowed<Key>, A> {
        let builder = grouped.builder
        let storeName = materialized.storeName ?? builder.newStoreName(prefix)
        let name = builder.name(named, prefix)
        let node = TableNode(name: name, parent: nil, storeName: storeName, queryable: materialized.storeName != nil, oldValuesFromOwnStore: true)
        let keySerde = materialized.key ?? grouped.keySerde
        let aggregateSerde = materialized.value ?? defaultValue
        let windows = self.windows
        let retention = max(materialized.retention.map(\.milliseconds) ?? 0, 2 * windows.differenceMs + windows.graceMs + 2)
        builder.addStore(named: storeName, owner: name) {
            let (k, v) = try KStream<Key, A>.requireSerdes(keySerde, aggregateSerde, node: name, purpose: "store \(storeName)")
            return materialized.windowStoreBuilder(
                name: storeName, retentionMs: retention, windowSizeMs: windows.differenceMs, key: k, value: v
            ).erased
        }
        let group = grouped
        builder.add(name, parents: [grouped.stream.name]) { topology in
            let parent = try group.input(storeName: storeName, node: name, into: topology)
            let send = node.sendOldValues
            topology.addProcessor(name, parents: [parent], stores: [storeName]) {
                SlidingWindowAggregateProcessor(
                    windows: windows, storeName: storeName, sendOldValues: send, initializer: initializer, aggregator: aggregator)
            }
        }
        return KTable(
            builder: builder, name: name, keySerde: keySerde.map { .windowed($0, size: .milliseconds(windows.differenceMs)) },
            valueSerde: aggregateSerde, node: node, windowGraceMs: windows.graceMs)
    }

    /// Counts the records per key and sliding window.
    @discardableResult
    public func count(named: Named? = nil, _ materialized: Materialized<Key, Int64> = Materialized()) -> KTable<Windowed<Key>, Int64> {
        aggregateNode(
            named, prefix: "KSTREAM-AGGREGATE-", materialized, defaultValue: .int64, initializer: { 0 },
            aggregator: { _, _, n in (n ?? 0) + 1 })
    }

    /// Combines the values per key and sliding window.
    @discardableResult
    public func reduce(
        named: Named? = nil, _ materialized: Materialized<Key, Value> = Materialized(),
        _ reducer: @escaping @Sendable (_ aggregate: Value, _ value: Value) throws -> Value
    ) -> KTable<Windowed<Key>, Value> {
        aggregateNode(
            named, prefix: "KSTREAM-REDUCE-", materialized, defaultValue: grouped.valueSerde, initializer: { nil },
            aggregator: { _, v, a in try a.map { try reducer($0, v) } ?? v })
    }

    /// Folds the values per key and sliding window, starting at `initializer()`.
    @discardableResult
    public func aggregate<Aggregate>(
        named: Named? = nil, _ materialized: Materialized<Key, Aggregate> = Materialized(),
        initializer: @escaping @Sendable () throws -> Aggregate,
        _ aggregator: @escaping @Sendable (Key, Value, Aggregate) throws -> Aggregate
    ) -> KTable<Windowed<Key>, Aggregate> {
        aggregateNode(
            named, prefix: "KSTREAM-AGGREGATE-", materialized, defaultValue: nil, initializer: initializer,
            aggregator: { k, v, a in try aggregator(k, v, try a ?? initializer()) })
    }
}
