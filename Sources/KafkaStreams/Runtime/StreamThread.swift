import Foundation
import KafkaClient
import Logging
import Metrics
import NIOConcurrencyHelpers

/// One stream thread: a consumer in the application's group, a producer, the tasks of
/// the partitions assigned to it, a restore consumer for changelogs, and its own copy
/// of the global stores.
///
/// The loop: poll a batch, hand the records to their tasks, process every task's
/// buffered records synchronously (in timestamp order per task), fire wall-clock
/// punctuations, hand what the sinks produced to the producer with one `await`, and
/// commit every `commit.interval.ms`. Tasks are created and closed by the rebalance
/// callbacks, which run inside `poll` on this actor. Tasks and stores are not `Sendable`:
/// they never leave the actor; interactive queries run closures on it.
actor StreamThread {
    /// The thread's index in the instance (0-based).
    nonisolated let index: Int
    /// `<client.id>-StreamThread-<n>`.
    nonisolated let name: String
    let context: RuntimeContext
    let consumer: KafkaConsumer
    let producer: KafkaProducer
    let admin: KafkaAdmin
    let changelogs: ChangelogReader
    let collector = ProducerRecordCollector()
    let clock = StreamsClock()
    let logger: Logger
    let metrics: ThreadMetrics
    /// Delivery failures reported by the producer since the last check.
    let deliveryFailures = NIOLockedValueBox<[DeliveryFailure]>([])
    /// Called on every state change of this thread.
    let onStateChange: @Sendable (Int, ThreadState) -> Void

    var active: [TaskId: ActiveTask] = [:]
    var standbys: [TaskId: StandbyTask] = [:]
    /// Tasks assigned whose creation waits (their directory is still locked by a thread
    /// that has not released it yet).
    var pendingTasks: [TaskId: Set<TopicPartition>] = [:]
    var pendingStandbys: Set<TaskId> = []
    /// Active tasks restoring their stores; they process once restored.
    var restoringTasks: Set<TaskId> = []
    var global: GlobalTask?
    var state: ThreadState = .created
    var shutdownRequested = false
    /// Set once the loop failed: callbacks must not commit any more.
    var failed = false
    var lastCommit = ContinuousClock.now
    var transactionOpen = false
    /// The standby tasks the assignor gave this member in the last rebalance.
    var assignedStandbys: Set<TaskId> = []
    /// Active tasks the assignor gave this member (nil: derive them from the partitions).
    var assignedActives: [TaskId: Set<TopicPartition>]?
    /// Where every instance's active and standby partitions are (`application.server`).
    var partitionsByHost: [String: Set<TopicPartition>] = [:]
    var standbyPartitionsByHost: [String: Set<TopicPartition>] = [:]
    /// When the assignor asked for a probing rebalance.
    var followupRebalanceAt: ContinuousClock.Instant?
    /// An error the group leader's assignment carried; the thread fails with it.
    var assignmentError: StreamsError?
    /// Lets the assignor reach this thread.
    nonisolated let bridge: ThreadAssignmentBridge
    /// The (non-global) sub-topologies reading each source topic, computed once so that
    /// routing a fetched record to its tasks allocates nothing.
    let subtopologiesByTopic: [String: [Int]]

    var exactlyOnce: Bool { context.config.processingGuarantee == .exactlyOnceV2 }

    init(
        index: Int, context: RuntimeContext, admin: KafkaAdmin, logger: Logger,
        onStateChange: @escaping @Sendable (Int, ThreadState) -> Void
    ) throws {
        self.index = index
        let clientID = context.config.properties["client.id"] ?? context.config.applicationID
        name = "\(clientID)-StreamThread-\(index + 1)"
        self.context = context
        self.admin = admin
        self.onStateChange = onStateChange
        var logger = logger
        logger[metadataKey: "thread"] = "\(name)"
        self.logger = logger
        let config = context.config

        var consumerConfig = ConsumerConfig(client: context.client, groupID: config.applicationID)
        consumerConfig.client.clientID = "\(name)-consumer"
        consumerConfig.enableAutoCommit = false
        consumerConfig.autoOffsetReset = ConsumerConfig.AutoOffsetReset(rawValue: config.autoOffsetReset.rawValue) ?? .earliest
        consumerConfig.isolationLevel = config.processingGuarantee == .exactlyOnceV2 ? .readCommitted : .readUncommitted
        consumerConfig.maxPollRecords = config.maxPollRecords
        consumerConfig.maxPollInterval = config.maxPollInterval
        consumerConfig.sessionTimeout = config.sessionTimeout
        consumerConfig.heartbeatInterval = config.heartbeatInterval
        consumerConfig.fetchMaxWait = config.fetchMaxWait
        var byTopic: [String: [Int]] = [:]
        for sub in context.layout.subtopologies where !sub.isGlobal {
            for topic in sub.sourceTopics { byTopic[topic, default: []].append(sub.id) }
        }
        subtopologiesByTopic = byTopic
        let bridge = ThreadAssignmentBridge()
        self.bridge = bridge
        consumerConfig.assignors = [Self.makeAssignor(context: context, admin: admin, bridge: bridge)]
        consumer = try KafkaConsumer(config: consumerConfig, logger: logger)

        var restoreConfig = ConsumerConfig(client: context.client, groupID: nil)
        restoreConfig.client.clientID = "\(name)-restore-consumer"
        restoreConfig.enableAutoCommit = false
        restoreConfig.autoOffsetReset = .earliest
        restoreConfig.isolationLevel = consumerConfig.isolationLevel
        restoreConfig.maxPollRecords = 2000
        restoreConfig.fetchMaxWait = .milliseconds(50)
        let restoreConsumer = try KafkaConsumer(config: restoreConfig, logger: logger)

        var producerConfig = ProducerConfig(client: context.client)
        producerConfig.client.clientID = "\(name)-producer"
        producerConfig.linger = config.producerLinger
        producerConfig.batchSize = config.producerBatchSize
        producerConfig.compression = config.producerCompression
        if config.processingGuarantee == .exactlyOnceV2 {
            producerConfig.transactionalID = "\(config.applicationID)-\(context.processID.uuidString.lowercased())-\(index + 1)"
            producerConfig.transactionTimeout = config.transactionTimeout
        }
        let failures = deliveryFailures
        producer = try KafkaProducer(config: producerConfig, logger: logger) { failure in
            failures.withLockedValue { $0.append(failure) }
        }
        let dimensions = [("application_id", config.applicationID), ("thread", name)]
        changelogs = ChangelogReader(
            consumer: restoreConsumer, admin: admin, isolation: consumerConfig.isolationLevel, logger: logger,
            dimensions: dimensions)
        changelogs.listener = context.restoreListener
        metrics = ThreadMetrics(dimensions: dimensions)
    }

    // MARK: - The loop

    /// Runs the thread until ``requestShutdown()``; then commits, closes the tasks and the
    /// clients.
    /// - Throws: the error that stopped the thread (tasks are closed dirty first).
    func run() async throws {
        do {
            try await startUp()
            while !shutdownRequested {
                try await runOnce()
            }
            try await shutDown(clean: true)
        } catch {
            logger.error("stream thread failed: \(error)")
            failed = true
            await shutDownAfterFailure()
            throw error
        }
    }

    /// Asks the loop to stop after the current iteration.
    func requestShutdown() {
        shutdownRequested = true
        if state != .dead { setState(.pendingShutdown) }
    }

    private func startUp() async throws {
        setState(.starting)
        if exactlyOnce {
            do { try await producer.initTransactions() } catch {
                throw StreamsError(.client, "could not initialize the transactional producer: \(error)", cause: error)
            }
        }
        try await startGlobalTask()
        let listener = RebalanceListener(
            onAssigned: { [self] partitions in try await self.partitionsAssigned(partitions) },
            onRevoked: { [self] partitions in try await self.partitionsRevoked(partitions) },
            onLost: { [self] partitions in await self.partitionsLost(partitions) })
        do { try await consumer.subscribe(topics: context.taskSourceTopics, listener: listener) } catch {
            throw StreamsError(.client, "could not subscribe to \(context.taskSourceTopics): \(error)", cause: error)
        }
        setState(.partitionsRevoked)
    }

    /// One iteration: poll, restore, process, punctuate, send, maybe commit.
    func runOnce() async throws {
        let pollStart = ContinuousClock.now
        let idle = active.values.allSatisfy { $0.buffered == 0 } && !changelogs.isRestoring
        let records: [ConsumerRecord]
        do { records = try await consumer.poll(timeout: idle ? .milliseconds(100) : .zero) } catch let error as StreamsError {
            throw error
        } catch {
            throw StreamsError(.client, "poll failed: \(error)", cause: error)
        }
        metrics.poll.recordInterval(since: pollStart)
        if let assignmentError { throw assignmentError }
        await maybeProbe()
        try await createPendingTasks()
        if changelogs.hasPartitions {
            try await changelogs.poll(timeout: changelogs.isRestoring ? .milliseconds(50) : .zero)
            finishRestoration()
        }
        for record in records {
            for subtopology in subtopologiesByTopic[record.topic] ?? [] {
                active[TaskId(subtopology: subtopology, partition: record.partition)]?.add(record)
            }
        }
        if let global { try await global.poll() }
        let processStart = ContinuousClock.now
        var processed = 0
        for (id, task) in active where !restoringTasks.contains(id) {
            processed += try process(task)
            try task.task.punctuateWallClock()
        }
        if processed > 0 {
            metrics.process.recordInterval(since: processStart)
            metrics.processed.increment(by: processed)
        }
        try await sendPending()
        try checkDeliveryFailures()
        if ContinuousClock.now - lastCommit >= context.config.commitInterval || active.values.contains(where: \.task.commitRequested) {
            try await commit()
        }
        if state == .partitionsAssigned && restoringTasks.isEmpty && pendingTasks.isEmpty {
            setState(.running)
        }
    }

    /// Processes a task's buffered records, applying the processing exception handler.
    private func process(_ task: ActiveTask) throws -> Int {
        var processed = 0
        while true {
            do {
                processed += try task.process()
                return processed
            } catch let error as StreamsError where error.code == .processing {
                guard context.config.processingExceptionHandler == .logAndContinue else { throw error }
                task.task.dropRecord(reason: .processingError, node: error.context.node ?? "?", message: error.message, level: .error)
            }
        }
    }

    /// Hands the records the tasks produced to the producer.
    func sendPending() async throws {
        let batch = collector.drain()
        guard !batch.isEmpty else { return }
        if exactlyOnce && !transactionOpen { try await beginTransaction() }
        do { try await producer.sendAndForget(batch) } catch {
            try handleProductionError(StreamsError(.client, "could not send \(batch.count) records: \(error)", cause: error))
        }
    }

    private func checkDeliveryFailures() throws {
        let failures = deliveryFailures.withLockedValue { value in
            defer { value.removeAll() }
            return value
        }
        for failure in failures {
            try handleProductionError(
                StreamsError(
                    .client, "records to \(failure.topic)-\(failure.partition) were not delivered: \(failure.error)",
                    context: .init(topic: failure.topic, partition: failure.partition), cause: failure.error))
        }
    }

    private func handleProductionError(_ error: StreamsError) throws {
        guard context.config.productionExceptionHandler == .continue, !exactlyOnce else { throw error }
        logger.error("dropping output (production.exception.handler continue): \(error)")
        Counter(
            label: "kafka_streams_dropped_records_total",
            dimensions: [("application_id", context.config.applicationID), ("reason", "production-error")]
        ).increment()
    }

    // MARK: - State

    func setState(_ new: ThreadState) {
        guard state != new else { return }
        logger.info("state \(state) -> \(new)")
        state = new
        onStateChange(index, new)
    }

    /// A snapshot for ``StreamsApplication/localThreadsMetadata``.
    func metadata() -> ThreadMetadata {
        ThreadMetadata(
            threadName: name, threadState: state, activeTasks: Set(active.keys), standbyTasks: Set(standbys.keys),
            consumerClientID: "\(name)-consumer", producerClientIDs: ["\(name)-producer"])
    }

    // MARK: - Shutdown

    private func shutDown(clean: Bool) async throws {
        setState(.pendingShutdown)
        if clean && !active.isEmpty { try await commit() }
        for task in active.values { task.task.close(clean: clean) }
        active.removeAll()
        for task in standbys.values { task.close(clean: clean) }
        standbys.removeAll()
        global?.close()
        global = nil
        if exactlyOnce && transactionOpen && !clean { try? await producer.abortTransaction() }
        await consumer.close()
        await changelogs.close()
        await producer.close(timeout: .seconds(10))
        setState(.dead)
    }

    private func shutDownAfterFailure() async {
        for task in active.values { task.task.close(clean: false) }
        active.removeAll()
        for task in standbys.values { task.close(clean: false) }
        standbys.removeAll()
        global?.close()
        global = nil
        if exactlyOnce && transactionOpen { try? await producer.abortTransaction() }
        await consumer.close()
        await changelogs.close()
        await producer.close(timeout: .seconds(1))
        setState(.dead)
    }
}
