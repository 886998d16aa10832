import Logging
import Metrics
import NIOCore

/// One task: the nodes of one or more sub-topologies instantiated for one partition, with
/// their stores, stream time and punctuations.
///
/// The same code runs under the test driver (one task for the whole topology, a manual
/// clock, a collector that keeps records in memory) and under the runtime (one task per
/// sub-topology and partition, a producer as collector). Not thread-safe: a task belongs to
/// one stream thread.
package final class StreamTask {
    /// The task id.
    package let id: TaskId
    /// The application id.
    package let applicationID: String
    /// The record collector sinks write to.
    package let collector: any RecordCollector
    /// The wall clock.
    package let clock: StreamsClock
    let config: StreamsConfig
    let logger: Logger

    /// The largest record timestamp processed, or -1 before the first.
    package internal(set) var streamTime: Int64 = -1
    /// The timestamp of the record being processed (or of the punctuation firing): what
    /// change-logging stores give changelog records of values without a timestamp.
    package internal(set) var currentRecordTimestamp: Int64 = -1
    /// The task's state manager, once initialized with one.
    package private(set) var stateManager: ProcessorStateManager?
    /// The position of the record being processed; `nil` between records and in punctuations.
    package internal(set) var recordMetadata: RecordMetadata?
    /// Set by `ProcessorContext.commit()`; cleared by whoever commits.
    package var commitRequested = false
    /// Records dropped by this task, by reason.
    package private(set) var droppedRecords: [DropReason: Int] = [:]

    private let topology: Topology
    private var nodes: [NodeBase] = []
    private var sourcesByTopic: [String: SourceNodeBase] = [:]
    private var patternSources: [(TopicPattern, SourceNodeBase)] = []
    private var inputs: [String: [Int32: PartitionInput]] = [:]
    private(set) var stores: [String: any StateStore] = [:]
    /// Store names with upstream stores first, so a flush that forwards cached updates
    /// reaches downstream caches before they flush.
    private var storeFlushOrder: [String] = []
    /// The record cache shared by this task's caching stores.
    package let recordCache: RecordCache
    private let streamTimePunctuations = PunctuationQueue()
    private let wallClockPunctuations = PunctuationQueue()
    private var droppedCounters: [DropReason: Counter] = [:]
    private var initialized = false
    private var closed = false
    /// Stores this task reads but does not own (global stores kept by the thread).
    private var sharedStoreNames: Set<String> = []

    /// Why a record was dropped rather than processed; each reason has its own metric.
    package enum DropReason: String, Sendable, Hashable {
        case deserializationError = "deserialization-error"
        case negativeTimestamp = "negative-timestamp"
        case nullKey = "null-key"
        case nullValue = "null-value"
        case lateRecord = "late-record"
        case processingError = "processing-error"
        case productionError = "production-error"
    }

    /// Instantiates the nodes and stores of the given sub-topologies (`nil`: all of them).
    /// - Parameter sharedStores: global stores owned elsewhere (the runtime's global task)
    ///   that this task reads instead of creating its own; it never opens, flushes or
    ///   closes them.
    /// - Throws: ``StreamsError`` if a node cannot be wired.
    package init(
        id: TaskId, topology: Topology, subtopologies: Set<Int>? = nil, config: StreamsConfig,
        collector: any RecordCollector, clock: StreamsClock, logger: Logger = Logger(label: "kafka-streams.task"),
        sharedStores: [String: any StateStore] = [:]
    ) throws {
        self.id = id
        self.applicationID = config.applicationID
        self.topology = topology
        self.config = config
        self.collector = collector
        self.clock = clock
        var logger = logger
        logger[metadataKey: "task"] = "\(id)"
        self.logger = logger
        self.recordCache = RecordCache(maxBytes: config.cacheMaxBytes)

        let selected = Set(
            topology.subtopologies.filter { subtopologies?.contains($0.id) ?? true }.flatMap(\.nodes))
        var built = [NodeBase?](repeating: nil, count: topology.nodes.count)
        for index in topology.instantiationOrder where selected.contains(index) {
            let definition = topology.nodes[index]
            let children = topology.children[index].compactMap { built[$0] }
            let node = try definition.make(self, children, Set(definition.stores))
            built[index] = node
            if case .source(let topics, let pattern, _) = definition.kind, let source = node as? SourceNodeBase {
                for topic in topics { sourcesByTopic[topology.resolve(topic, applicationID: applicationID)] = source }
                if let pattern { patternSources.append((pattern, source)) }
            }
        }
        nodes = built.compactMap { $0 }
        let nodeNames = Set(nodes.map(\.name))
        for (name, store) in topology.stores
        where !store.processors.isDisjoint(with: nodeNames) || topology.globalStores.contains(name) {
            if let shared = sharedStores[name], topology.globalStores.contains(name) {
                stores[name] = shared
                sharedStoreNames.insert(name)
            } else {
                stores[name] = store.builder.make(config.defaultDSLStore)
            }
        }
        let position = Dictionary(
            topology.instantiationOrder.reversed().enumerated().map { (topology.nodes[$0.element].name, $0.offset) },
            uniquingKeysWith: min)
        storeFlushOrder = stores.keys.sorted { a, b in
            let pa = topology.stores[a]?.processors.compactMap { position[$0] }.min() ?? 0
            let pb = topology.stores[b]?.processors.compactMap { position[$0] }.min() ?? 0
            return pa != pb ? pa < pb : a < b
        }
    }

    /// Registers the stores with the state manager (their changelog partitions), opens
    /// them, then initializes processors (children before parents). Without a state
    /// manager, stores are not logged and persistent stores cannot open.
    /// - Throws: ``StreamsError`` if a store cannot open or a processor fails to initialize.
    package func initialize(stateManager: ProcessorStateManager? = nil) throws {
        guard !initialized else { return }
        initialized = true
        self.stateManager = stateManager
        stateManager?.currentTimestamp = { [unowned self] in currentRecordTimestamp }
        var storeContext = StateStoreContext(applicationID: applicationID, taskId: id, stateDirectory: stateManager?.taskDirectory)
        storeContext.recordCache = recordCache
        storeContext.stateManager = stateManager
        storeContext.rocksDB = stateManager?.rocksDB
        for name in stores.keys.sorted() where !sharedStoreNames.contains(name) {
            guard let store = stores[name] else { continue }
            if let stateManager {
                stateManager.register(
                    store, changelogTopic: topology.changelogTopic(forStore: name, applicationID: applicationID),
                    logged: topology.changelogTopicConfig(forStore: name) != nil)
            }
            do { try store.initialize(context: storeContext) } catch {
                throw StreamsError(.stateStore, "could not open store \(name)", context: errorContext(store: name), cause: error)
            }
        }
        for node in nodes { try node.initialize(task: self) }
    }

    /// The input for a topic partition this task reads, or `nil` if no source reads it.
    package func input(topic: String, partition: Int32) -> PartitionInput? {
        if let existing = inputs[topic]?[partition] { return existing }
        let source = sourcesByTopic[topic] ?? patternSources.first { $0.0.matches(topic) }?.1
        guard let source else { return nil }
        let input = PartitionInput(topic: topic, partition: partition, source: source)
        inputs[topic, default: [:]][partition] = input
        return input
    }

    /// Processes one record read from `input` to completion through the topology.
    /// - Throws: ``StreamsError`` naming task, node, topic, partition and offset.
    package func process(
        _ input: PartitionInput, offset: Int64, timestamp: Int64, key: ByteBuffer?, value: ByteBuffer?,
        headers: Headers = Headers()
    ) throws {
        guard !closed else { throw StreamsError(.illegalState, "task \(id) is closed") }
        recordMetadata = RecordMetadata(topic: input.topic, partition: input.partition, offset: offset)
        defer { recordMetadata = nil }
        do {
            try input.source.receive(input, offset: offset, timestamp: timestamp, key: key, value: value, headers: headers)
        } catch {
            throw wrap(error, node: nil, phase: "process")
        }
    }

    /// Called by a source once the record's timestamp is known, before it is forwarded.
    func recordTaken(_ input: PartitionInput, offset: Int64, timestamp: Int64) {
        currentRecordTimestamp = timestamp
        if timestamp > input.partitionTime { input.partitionTime = timestamp }
        if timestamp > streamTime { streamTime = timestamp }
    }

    /// Fires the stream-time punctuations that are due.
    /// - Returns: whether any fired.
    /// - Throws: ``StreamsError`` if a punctuator fails.
    @discardableResult
    package func punctuateStreamTime() throws -> Bool {
        guard streamTime >= 0 else { return false }
        return try punctuate(streamTimePunctuations, now: streamTime, type: .streamTime)
    }

    /// Fires the wall-clock punctuations that are due at the clock's current time.
    /// - Returns: whether any fired.
    /// - Throws: ``StreamsError`` if a punctuator fails.
    @discardableResult
    package func punctuateWallClock() throws -> Bool {
        try punctuate(wallClockPunctuations, now: clock.now(), type: .wallClockTime)
    }

    private func punctuate(_ queue: PunctuationQueue, now: Int64, type: PunctuationType) throws -> Bool {
        try queue.fire(now: now) { schedule in
            recordMetadata = nil
            currentRecordTimestamp = now
            do { try schedule.punctuator(now) } catch {
                throw wrap(error, node: schedule.node, phase: "punctuate (\(type))")
            }
        }
    }

    func schedule(node: String, intervalMs: Int64, type: PunctuationType, _ punctuator: @escaping (Int64) throws -> Void) -> Cancellable {
        let handle = Cancellable()
        switch type {
        case .streamTime:
            streamTimePunctuations.add(.init(node: node, next: 0, interval: intervalMs, punctuator: punctuator, handle: handle))
        case .wallClockTime:
            wallClockPunctuations.add(
                .init(node: node, next: clock.now() + intervalMs, interval: intervalMs, punctuator: punctuator, handle: handle))
        }
        return handle
    }

    /// Flushes every store (part of a commit).
    /// - Throws: ``StreamsError`` if a store fails to flush.
    package func flush() throws {
        for name in storeFlushOrder where !sharedStoreNames.contains(name) {
            guard let store = stores[name] else { continue }
            do { try store.flush() } catch {
                throw StreamsError(.stateStore, "could not flush store \(name)", context: errorContext(store: name), cause: error)
            }
        }
    }

    /// Flushes the stores and writes the checkpoint (syncing persistent stores first):
    /// the state part of a commit. Without a state manager, only flushes.
    /// - Throws: ``StreamsError`` if a store cannot flush or sync, or the file cannot be written.
    package func commitState() throws {
        try flush()
        try stateManager?.checkpoint()
    }

    /// Closes processors, then stores, then releases the state directory. A clean close
    /// flushes and checkpoints first, so a restart restores only what follows; a dirty
    /// one (after a failure) leaves the last checkpoint. Errors are logged, not thrown, so
    /// every part closes.
    package func close(clean: Bool = true) {
        guard !closed else { return }
        closed = true
        for node in nodes.reversed() {
            do { try node.close() } catch { logger.error("closing \(node.name) failed: \(error)") }
        }
        if clean && initialized {
            do { try commitState() } catch { logger.error("checkpointing task \(id) on close failed: \(error)") }
        }
        for (name, store) in stores where !sharedStoreNames.contains(name) {
            do { try store.close() } catch { logger.error("closing store \(name) failed: \(error)") }
        }
        stateManager?.releaseLock()
    }

    /// The run-time name of a topic of this task's topology (internal topics prefixed).
    package func resolveTopic(_ topic: String) -> String { topology.resolve(topic, applicationID: applicationID) }

    /// A store of this task, by name.
    package func store(named name: String) -> (any StateStore)? { stores[name] }

    /// The stores this task owns (not the shared global ones), by name.
    package var ownedStores: [String: any StateStore] { stores.filter { !sharedStoreNames.contains($0.key) } }

    func stateStore<S>(_ name: String, as type: S.Type, node: String, connected: Set<String>) throws -> S {
        guard connected.contains(name) || topology.globalStores.contains(name) else {
            let known = stores[name] == nil ? "no store of that name exists" : "it exists but is not connected to \(node)"
            throw StreamsError(
                .stateStore,
                "processor \(node) asked for store \(name), but \(known); connect it with "
                    + "addStateStore(_:processors:) or the stores: argument",
                context: errorContext(node: node, store: name))
        }
        guard let store = stores[name] else {
            throw StreamsError(.stateStore, "store \(name) was not created for task \(id)", context: errorContext(node: node, store: name))
        }
        guard let typed = store as? S else {
            throw StreamsError(
                .stateStore, "store \(name) is a \(Swift.type(of: store)), not a \(S.self)",
                context: errorContext(node: node, store: name))
        }
        return typed
    }

    // MARK: dropped records and errors

    /// Counts and logs a record that is skipped rather than processed.
    package func dropRecord(reason: DropReason, node: String, message: String, level: Logger.Level = .warning) {
        droppedRecords[reason, default: 0] += 1
        let counter =
            droppedCounters[reason]
            ?? {
                let c = Counter(
                    label: "kafka_streams_dropped_records_total",
                    dimensions: [("application_id", applicationID), ("task_id", "\(id)"), ("reason", reason.rawValue)])
                droppedCounters[reason] = c
                return c
            }()
        counter.increment()
        let where_ = errorContext(node: node).rendered
        logger.log(level: level, "Skipping record: \(message) [\(where_)]")
    }

    func deserializationFailed(
        _ input: PartitionInput, offset: Int64, node: String, what: String, serde: String, error: any Error
    ) throws {
        let failure = StreamsError(
            .deserialization, "could not deserialize the \(what) with \(serde): \(error)",
            context: .init(topic: input.topic, partition: input.partition, offset: offset, node: node, taskId: id),
            cause: error)
        switch config.deserializationExceptionHandler {
        case .logAndFail:
            logger.error("\(failure)")
            throw failure
        case .logAndContinue:
            dropRecord(reason: .deserializationError, node: node, message: failure.message)
        }
    }

    /// The context of the current record for an error raised at `node`.
    package func errorContext(node: String? = nil, store: String? = nil) -> StreamsError.Context {
        StreamsError.Context(
            topic: recordMetadata?.topic, partition: recordMetadata?.partition, offset: recordMetadata?.offset,
            node: node, store: store, taskId: id)
    }

    /// Wraps any error as a ``StreamsError`` with this task's context, keeping the
    /// innermost node that failed.
    func wrap(_ error: any Error, node: String?, phase: String) -> StreamsError {
        if var streams = error as? StreamsError {
            let context = errorContext(node: node)
            streams.context.taskId = streams.context.taskId ?? context.taskId
            streams.context.node = streams.context.node ?? context.node
            streams.context.topic = streams.context.topic ?? context.topic
            streams.context.partition = streams.context.partition ?? context.partition
            streams.context.offset = streams.context.offset ?? context.offset
            return streams
        }
        return StreamsError(
            .processing, "\(node ?? "a node") failed to \(phase) a record: \(error)",
            context: errorContext(node: node), cause: error)
    }
}
