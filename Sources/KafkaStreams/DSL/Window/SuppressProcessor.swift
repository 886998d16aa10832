/// `KTable.suppress`: buffers the latest change per key and forwards it when its time
/// comes (its window closed, or its time limit passed in stream time), or early when the
/// buffer is full and allowed to.
final class SuppressProcessor<Key, Value>: Processor {
    typealias OutKey = Key
    typealias OutValue = Change<Value>

    struct Entry {
        var key: Key
        var change: Change<Value>
        var bufferTime: Int64
        var timestamp: Int64
        var headers: Headers
        var order: Int
        var size: Int
    }

    let suppressed: Suppressed
    let graceMs: Int64
    let keyBytes: (Key) throws -> [UInt8]
    let size: (Key, Change<Value>) -> Int
    /// The window end of a windowed key (for `untilWindowCloses`).
    let windowEnd: (Key) -> Int64?
    var context: ProcessorContext<Key, Change<Value>>!
    private var buffer: [[UInt8]: Entry] = [:]
    private var nextOrder = 0
    private var bufferedBytes = 0

    init(
        suppressed: Suppressed, graceMs: Int64, keyBytes: @escaping (Key) throws -> [UInt8], size: @escaping (Key, Change<Value>) -> Int,
        windowEnd: @escaping (Key) -> Int64?
    ) {
        self.suppressed = suppressed
        self.graceMs = graceMs
        self.keyBytes = keyBytes
        self.size = size
        self.windowEnd = windowEnd
    }

    func initialize(context: ProcessorContext<Key, Change<Value>>) { self.context = context }

    func process(_ record: Record<Key, Change<Value>>) throws {
        let bytes = try keyBytes(record.key)
        let bufferTime: Int64
        switch suppressed.mode {
        case .untilWindowCloses:
            guard let end = windowEnd(record.key) else {
                throw StreamsError(
                    .invalidTopology, "suppress(.untilWindowCloses) needs a windowed table; \(context.nodeName) got a plain key",
                    context: context.task.errorContext(node: context.nodeName))
            }
            bufferTime = end
        case .untilTimeLimit: bufferTime = record.timestamp
        }
        var change = record.value
        if let previous = buffer[bytes] {
            bufferedBytes -= previous.size
            change.oldValue = previous.change.oldValue  // keep the value before the first buffered update
        }
        let entry = Entry(
            key: record.key, change: change, bufferTime: bufferTime, timestamp: record.timestamp, headers: record.headers,
            order: nextOrder, size: size(record.key, change))
        nextOrder += 1
        buffer[bytes] = entry
        bufferedBytes += entry.size
        try evictDue()
        try enforceLimits()
    }

    /// Whether an entry's time has come at the current stream time.
    private func isDue(_ entry: Entry, streamTime: Int64) -> Bool {
        switch suppressed.mode {
        case .untilWindowCloses: return streamTime > entry.bufferTime + graceMs
        case .untilTimeLimit(let limit): return entry.bufferTime <= streamTime - limit
        }
    }

    private func evictDue() throws {
        let streamTime = context.currentStreamTime
        let due = buffer.filter { isDue($0.value, streamTime: streamTime) }.sorted { $0.value.order < $1.value.order }
        for (bytes, entry) in due { try emit(bytes, entry) }
    }

    private func enforceLimits() throws {
        func over() -> Bool {
            (suppressed.buffer.maxRecords.map { buffer.count > $0 } ?? false) || (suppressed.buffer.maxBytes.map { bufferedBytes > $0 } ?? false)
        }
        guard over() else { return }
        if suppressed.buffer.failsWhenFull {
            throw StreamsError(
                .processing,
                "suppression buffer of \(context.nodeName) is full (\(buffer.count) records, \(bufferedBytes) bytes; limits: "
                    + "\(suppressed.buffer.maxRecords.map(String.init) ?? "none") records, \(suppressed.buffer.maxBytes.map(String.init) ?? "none") bytes); "
                    + "raise the limits or use emitEarlyWhenFull()",
                context: context.task.errorContext(node: context.nodeName))
        }
        for (bytes, entry) in buffer.sorted(by: { $0.value.order < $1.value.order }) {
            guard over() else { break }
            try emit(bytes, entry)
        }
    }

    private func emit(_ bytes: [UInt8], _ entry: Entry) throws {
        buffer[bytes] = nil
        bufferedBytes -= entry.size
        try context.forward(Record(key: entry.key, value: entry.change, timestamp: entry.timestamp, headers: entry.headers))
    }
}

extension KTable {
    /// Holds back updates: with `.untilWindowCloses`, each window's final result only, once
    /// stream time passes its end + grace (for sessions, end + gap + grace); with
    /// `.untilTimeLimit`, the latest update per key once it is the limit older than stream
    /// time. Processor `KTABLE-SUPPRESS-<n>`.
    ///
    /// The buffer is in memory (not restored after a crash in this version).
    public func suppress(named: Named? = nil, _ suppressed: Suppressed) -> KTable {
        let name = builder.name(named, "KTABLE-SUPPRESS-")
        let parent = self.name
        let grace = windowGraceMs ?? 0
        let windowed = windowGraceMs != nil
        let keySerde = self.keySerde
        let valueSerde = self.valueSerde
        builder.add(name, parents: [parent]) { topology in
            if case .untilWindowCloses = suppressed.mode, !windowed {
                throw StreamsError(
                    .invalidTopology, "suppress(.untilWindowCloses) at \(name) needs a windowed aggregation's table",
                    context: .init(node: name))
            }
            let (k, v) = try KStream<Key, Value>.requireSerdes(keySerde, valueSerde, node: name, purpose: "suppress \(name)")
            topology.addProcessor(name, parents: [parent]) {
                SuppressProcessor<Key, Value>(
                    suppressed: suppressed, graceMs: grace,
                    keyBytes: { try k.serialize($0) ?? [] },
                    size: { key, change in
                        ((try? k.serialize(key))??.count ?? 0) + ((change.newValue.flatMap { try? v.serialize($0) })??.count ?? 0)
                            + ((change.oldValue.flatMap { try? v.serialize($0) })??.count ?? 0) + 32
                    },
                    windowEnd: { ($0 as? any WindowedKey)?.windowEnd })
            }
        }
        var result = KTable(builder: builder, name: name, keySerde: keySerde, valueSerde: valueSerde, node: TableNode(
            name: name, parent: node, storeName: nil, queryable: false, oldValuesFromOwnStore: false))
        result.windowGraceMs = windowGraceMs
        return result
    }
}

/// Lets suppression find the window end of a windowed key of any key type.
protocol WindowedKey { var windowEnd: Int64 { get } }
extension Windowed: WindowedKey { var windowEnd: Int64 { window.end } }
