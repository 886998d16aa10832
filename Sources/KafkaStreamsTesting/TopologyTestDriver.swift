import KafkaStreams
import Logging
import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs a ``Topology`` with no broker, record by record, for unit tests.
///
/// The driver runs exactly the task, node, store and record-collector code the runtime
/// runs, in one task that holds the whole topology. Each piped record is processed to
/// completion, records written to topics the topology itself reads (repartition topics)
/// are processed next, stream-time punctuations fire, and stores are flushed, as if a
/// commit followed every record. Wall-clock time is manual: ``advanceWallClockTime(_:)``.
///
/// Stores are what the topology asks for: DSL stores are RocksDB unless `default.dsl.store`
/// is `in_memory` (as in Kafka Streams). Persistent stores live in a fresh temporary state
/// directory that ``close()`` deletes; set `state.dir` in the config's ``StreamsConfig/properties``
/// to use (and keep) a directory of your own, e.g. to test a restart. Changes of logged
/// stores are captured like any output topic: read `<application.id>-<store>-changelog`
/// with ``outputTopic(_:key:value:)`` or ``readChangelog(forStore:)``.
///
/// ```swift
/// let driver = try TopologyTestDriver(topology)
/// let input = driver.inputTopic("words", key: .string, value: .string)
/// let output = driver.outputTopic("counts", key: .string, value: .int64)
/// try input.pipeInput("k", "hello world")
/// #expect(try output.readKeyValuesToMap() == ["hello": 1, "world": 1])
/// ```
public final class TopologyTestDriver {
    let task: StreamTask
    let collector: TestRecordCollector
    let clock: StreamsClock
    let topology: Topology
    let config: StreamsConfig
    /// Per input topic: the task's input and the next offset (shared by every handle).
    final class InputCursor {
        let input: PartitionInput
        var nextOffset: Int64 = 0
        init(_ input: PartitionInput) { self.input = input }
    }
    private var cursors: [String: InputCursor] = [:]
    private var closed = false
    /// The state directory this driver created and deletes on close (`nil`: the user's).
    private let temporaryStateDirectory: String?
    /// The task's state manager: changelog partitions, checkpoint file, directory lock.
    package let stateManager: ProcessorStateManager

    /// Creates a driver and initializes the topology's stores and processors.
    ///
    /// - Parameters:
    ///   - topology: the topology to run.
    ///   - config: the configuration; `application.id` prefixes internal topics.
    ///   - initialWallClockTime: the manual clock's start, in ms since the epoch (default: now).
    /// - Throws: ``StreamsError`` if a store or processor fails to initialize.
    public init(
        _ topology: Topology, config: StreamsConfig = StreamsConfig(applicationID: "test-driver"),
        initialWallClockTime: Int64? = nil
    ) throws {
        self.topology = topology
        self.config = config
        self.clock = StreamsClock(manualTime: initialWallClockTime ?? Self.systemMillis())
        let collector = TestRecordCollector()
        self.collector = collector
        self.task = try StreamTask(
            id: TaskId(subtopology: 0, partition: 0), topology: topology, config: config, collector: collector,
            clock: clock, logger: Logger(label: "kafka-streams.test-driver"))
        collector.isSourceTopic = { [unowned task] topic in task.input(topic: topic, partition: 0) != nil }
        var stateDir = config.properties["state.dir"]
        if stateDir == nil {
            var template = Array("\(Self.temporaryRoot())/kafka-streams-test-driver-XXXXXX".utf8CString)
            guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
                throw StreamsError(
                    .stateIO, "could not create a temporary state directory: \(String(cString: strerror(errno)))",
                    context: .init(path: Self.temporaryRoot()))
            }
            stateDir = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            temporaryStateDirectory = stateDir
        } else {
            temporaryStateDirectory = nil
        }
        do {
            let directory = try StateDirectory(stateDir: stateDir!, applicationID: config.applicationID)
            stateManager = try ProcessorStateManager(
                taskId: task.id, config: config, stateDirectory: directory, collector: collector,
                rocksDB: RocksDBSharedResources(config: config))
            try task.initialize(stateManager: stateManager)
        } catch {
            task.close(clean: false)
            if let temporaryStateDirectory { Self.removeTree(temporaryStateDirectory) }
            throw error
        }
    }

    /// A handle to pipe records into a topic the topology reads.
    ///
    /// - Parameters:
    ///   - name: the topic (for an internal topic, its full name with the application id).
    ///   - key: serializes keys.
    ///   - value: serializes values.
    ///   - startTimestamp: the timestamp of the first record piped without one (default:
    ///     the driver's initial wall-clock time).
    ///   - autoAdvance: how much the timestamp grows after each such record.
    public func inputTopic<Key, Value>(
        _ name: String, key: Serde<Key>, value: Serde<Value>, startTimestamp: Int64? = nil, autoAdvance: Duration = .zero
    ) -> TestInputTopic<Key, Value> {
        TestInputTopic(
            driver: self, topic: name, keySerde: key, valueSerde: value,
            startTimestamp: startTimestamp ?? clock.now(), autoAdvance: autoAdvance)
    }

    /// A handle to read the records the topology wrote to a topic.
    public func outputTopic<Key, Value>(_ name: String, key: Serde<Key>, value: Serde<Value>) -> TestOutputTopic<Key, Value> {
        TestOutputTopic(driver: self, topic: name, keySerde: key, valueSerde: value)
    }

    /// Advances the manual wall clock and fires the wall-clock punctuations now due.
    /// - Throws: ``StreamsError`` if a punctuator fails.
    public func advanceWallClockTime(_ duration: Duration) throws {
        try checkOpen()
        clock.manualTime = (clock.manualTime ?? 0) + duration.millis
        try task.punctuateWallClock()
        try commit()
    }

    /// The current time of the manual wall clock, in ms since the epoch.
    public var wallClockTime: Int64 { clock.now() }

    /// Every topic the topology has written at least one record to.
    public var producedTopicNames: Set<String> { Set(collector.logs.filter { $0.value.totalAppended > 0 }.keys) }

    /// A state store by name, as the given type.
    ///
    /// ```swift
    /// let counts: any KeyValueStore<String, Int64> = try driver.getStateStore("counts")
    /// ```
    /// - Throws: ``StreamsError`` (`stateStore`) if there is no such store or it has another type.
    public func getStateStore<S>(_ name: String, as type: S.Type = S.self) throws -> S {
        guard let store = task.store(named: name) else {
            throw StreamsError(
                .stateStore, "the topology has no store named \(name); it has \(topology.storeNames)",
                context: .init(store: name))
        }
        guard let typed = store as? S else {
            throw StreamsError(.stateStore, "store \(name) is a \(Swift.type(of: store)), not a \(S.self)", context: .init(store: name))
        }
        return typed
    }

    /// A key-value store by name. A timestamped store (every DSL table's) is shown with
    /// plain values unless `Value` is a ``ValueAndTimestamp``.
    /// - Throws: ``StreamsError`` (`stateStore`) if there is no such store or it has other types.
    public func getKeyValueStore<Key, Value>(
        _ name: String, key: Key.Type = Key.self, value: Value.Type = Value.self
    ) throws -> any KeyValueStore<Key, Value> {
        if let timestamped = task.store(named: name) as? any KeyValueStore<Key, ValueAndTimestamp<Value>> {
            return PlainValueView(timestamped)
        }
        return try getStateStore(name, as: (any KeyValueStore<Key, Value>).self)
    }

    /// How many records the task dropped instead of processing (bad data with
    /// `logAndContinue`, negative timestamps, null keys where a key is required, ...).
    public var droppedRecordCount: Int { task.droppedRecords.values.reduce(0, +) }

    /// Dropped records by reason (`"deserialization-error"`, `"negative-timestamp"`,
    /// `"null-key"`, `"null-value"`, `"late-record"`).
    public var droppedRecordsByReason: [String: Int] {
        Dictionary(uniqueKeysWithValues: task.droppedRecords.map { ($0.key.rawValue, $0.value) })
    }

    /// The changelog topic of a store (`<application.id>-<store>-changelog`), or `nil` if
    /// the store does not log or reuses its source topic.
    public func changelogTopic(forStore name: String) -> String? {
        guard topology.changelogTopicConfig(forStore: name) != nil else { return nil }
        return topology.changelogTopic(forStore: name, applicationID: config.applicationID)
    }

    /// Takes the records written to a store's changelog since the last read, with their
    /// offsets: key bytes, value bytes (`nil`: tombstone), timestamp. Reading them here or
    /// through ``outputTopic(_:key:value:)`` consumes them.
    /// - Throws: ``StreamsError`` (`stateStore`) if the store does not log its changes.
    public func readChangelog(forStore name: String) throws -> [ChangelogRecord] {
        guard let topic = changelogTopic(forStore: name) else {
            throw StreamsError(.stateStore, "store \(name) has no changelog of its own", context: .init(store: name))
        }
        guard let log = collector.logs[topic] else { return [] }
        var records: [ChangelogRecord] = []
        while let entry = log.next() {
            let offset = log.offset(of: entry)
            records.append(
                ChangelogRecord(
                    offset: offset, key: log.key(entry).map { Array($0.readableBytesView) } ?? [],
                    value: log.value(entry).map { Array($0.readableBytesView) }, timestamp: entry.timestamp))
        }
        return records
    }

    /// Closes processors and stores (writing the task's checkpoint), and deletes the
    /// temporary state directory. The driver cannot be used afterwards.
    public func close() {
        guard !closed else { return }
        closed = true
        task.close()
        if let temporaryStateDirectory { Self.removeTree(temporaryStateDirectory) }
    }

    static func temporaryRoot() -> String {
        if let tmp = getenv("TMPDIR") { return String(cString: tmp) }
        return "/tmp"
    }

    static func removeTree(_ path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            if let dir = opendir(path) {
                var names: [String] = []
                while let entry = readdir(dir) {
                    let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                        String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
                    }
                    if name != "." && name != ".." { names.append(name) }
                }
                closedir(dir)
                for name in names { removeTree(path + "/" + name) }
            }
            rmdir(path)
        } else {
            unlink(path)
        }
    }

    deinit { close() }

    // MARK: internals shared with the topic handles

    func checkOpen() throws {
        if closed { throw StreamsError(.illegalState, "the TopologyTestDriver is closed") }
    }

    /// The cursor of an input topic.
    /// - Throws: ``StreamsError`` (`invalidTopology`) if no source reads the topic.
    func cursor(for topic: String) throws -> InputCursor {
        if let cursor = cursors[topic] { return cursor }
        guard let input = task.input(topic: topic, partition: 0) else {
            let known = topology.sourceTopics.map { task.resolveTopic($0) }
            throw StreamsError(
                .invalidTopology, "unknown topic \(topic): no source of the topology reads it; it reads \(known)",
                context: .init(topic: topic))
        }
        let cursor = InputCursor(input)
        cursors[topic] = cursor
        return cursor
    }

    /// Processes one serialized record piped into a topic, then everything it caused.
    func pipe(_ cursor: InputCursor, key: ByteBuffer?, value: ByteBuffer?, timestamp: Int64, headers: Headers) throws {
        try checkOpen()
        let offset = cursor.nextOffset
        cursor.nextOffset = offset + 1
        try task.process(cursor.input, offset: offset, timestamp: timestamp, key: key, value: value, headers: headers)
        try task.punctuateStreamTime()
        try commit()
    }

    /// What follows every piped record, as in Kafka Streams' driver: stores flush
    /// (forwarding cached table updates), then each record written to a topic the topology
    /// reads (a repartition topic) is processed in turn, each followed by its own flush.
    private func commit() throws {
        defer { collector.loopback.removeAll(keepingCapacity: true) }
        try task.flush()
        var next = 0
        while next < collector.loopback.count {
            let (topic, offset) = collector.loopback[next]
            next += 1
            let log = collector.log(topic)
            guard let entry = log.entry(atOffset: offset), let input = task.input(topic: topic, partition: 0) else { continue }
            try task.process(
                input, offset: offset, timestamp: entry.timestamp, key: log.key(entry), value: log.value(entry),
                headers: entry.headers)
            try task.punctuateStreamTime()
            try task.flush()
        }
        collector.loopback.removeAll(keepingCapacity: true)
    }

    static func systemMillis() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}

extension Duration {
    /// Whole milliseconds.
    var millis: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
