import KafkaProtocol
import Logging
import NIOCore

/// Consumes records from Kafka: from partitions assigned by hand, or as a member of a
/// consumer group that splits the subscribed topics' partitions among its members.
///
/// ```swift
/// let consumer = try KafkaConsumer(config: try ConsumerConfig(properties: [
///     "bootstrap.servers": "kafka:9092", "group.id": "billing", "auto.offset.reset": "earliest",
/// ]))
/// try await consumer.subscribe(topics: ["payments"])
/// while !Task.isCancelled {
///     for record in try await consumer.poll(timeout: .seconds(1)) {
///         print(record.partition, record.offset, record.value.map { String(buffer: $0) } ?? "null")
///     }
///     try await consumer.commitSync()        // or leave enable.auto.commit on
/// }
/// await consumer.close()
/// ```
///
/// **Fetching.** After the first poll, the consumer's *fetcher* (one task, the consumer's
/// only unstructured task besides asynchronous commits) keeps one Fetch request in flight
/// per leader broker for the assigned, unpaused partitions whose fetched records have all
/// been returned, so that the next batch is usually there when `poll` asks for it
/// (`fetch.min.bytes`, `fetch.max.wait.ms`, `fetch.max.bytes`, `max.partition.fetch.bytes`).
/// ``poll(timeout:)`` returns at most `max.poll.records` records, decoding them lazily from
/// the buffered responses.
///
/// **Positions.** A partition without a position starts at its committed offset (with a
/// `group.id`), else where `auto.offset.reset` says; an out-of-range position is reset the
/// same way. ``seek(_:to:)`` moves it. Retriable fetch errors (leader changes, a lost
/// connection) refresh metadata and retry; other errors are thrown by the next `poll`.
///
/// **Groups.** ``subscribe(topics:listener:)`` joins the group in `poll` (JoinGroup,
/// SyncGroup; the leader runs the assignor), heartbeats in the background, and rejoins
/// when the coordinator asks for a rebalance; see ``RebalanceListener`` and
/// ``PartitionAssignor``.
///
/// **Concurrency.** An actor; call ``poll(timeout:)`` from one task at a time (a second
/// concurrent poll throws `illegalState`). ``run()`` makes it a swift-service-lifecycle
/// style service: it returns after its task is cancelled, once the consumer is closed.
public actor KafkaConsumer {
    /// The configuration.
    public nonisolated let config: ConsumerConfig
    let cluster: KafkaCluster
    let ownsCluster: Bool
    let logger: Logger
    let admin: KafkaAdmin
    let coordinator: CoordinatorLink?
    nonisolated let shutdownStream: AsyncStream<Void>
    nonisolated let shutdownSignal: AsyncStream<Void>.Continuation

    // Subscription and assignment.
    var subscription: Subscription = .none
    var listener: RebalanceListener = .none
    var partitions: [TopicPartition: PartitionState] = [:]
    var order: [TopicPartition] = []
    var drainIndex = 0

    // Group membership.
    var memberID = ""
    var generation: Int32 = -1
    var groupProtocol: String?
    var rebalanceProtocol: RebalanceProtocol = .eager
    var needsRejoin = false
    var membershipLost = false
    var joinedTopics: Set<String> = []
    var lastPollAt = ContinuousClock.now
    var heartbeatTask: Task<Void, Never>?
    /// A member id to send LeaveGroup for (it stopped polling).
    var staleMember: String?
    var fatalError: (any Error)?
    var nextAutoCommit = ContinuousClock.now
    var asyncCommits: [UInt64: Task<Void, Never>] = [:]
    var nextCommitID: UInt64 = 0

    // Fetching.
    var fetcherTask: Task<Void, Never>?
    var fetcherWakeup: CheckedContinuation<Void, Never>?
    var fetcherWakePending = false
    var fetcherTimer: ContinuousClock.Instant?
    var fetchingNodes: Set<Int32> = []
    var nodeBackoffUntil: [Int32: ContinuousClock.Instant] = [:]
    var metadata: ClusterMetadata?
    var metadataWanted = true
    var refreshingMetadata = false
    var pollWaiter: CheckedContinuation<Void, Never>?
    var polling = false
    var closed = false
    var runStarted = false

    /// Counters of what the consumer has done.
    public internal(set) var statistics = ConsumerStatistics()

    /// What the consumer reads.
    enum Subscription {
        case none
        case assigned
        case topics(Set<String>)
        case pattern(String, @Sendable (String) -> Bool)
    }

    /// Creates a consumer with its own connections. Nothing connects until it is used.
    /// - Throws: ``KafkaClientError`` (`invalidConfig`) for inconsistent settings.
    public init(config: ConsumerConfig, logger: Logger = Logger(label: "kafka-consumer")) throws {
        try self.init(
            config: config, cluster: KafkaCluster(config: config.client, logger: logger), ownsCluster: true, logger: logger)
    }

    /// Creates a consumer that shares a cluster view (connections, metadata) with other
    /// clients; ``close()`` leaves it open.
    /// - Throws: ``KafkaClientError`` (`invalidConfig`) for inconsistent settings.
    public init(config: ConsumerConfig, cluster: KafkaCluster, logger: Logger = Logger(label: "kafka-consumer")) throws {
        try self.init(config: config, cluster: cluster, ownsCluster: false, logger: logger)
    }

    private init(config: ConsumerConfig, cluster: KafkaCluster, ownsCluster: Bool, logger: Logger) throws {
        try config.validate()
        self.config = config
        self.cluster = cluster
        self.ownsCluster = ownsCluster
        self.logger = logger
        self.admin = KafkaAdmin(
            cluster: cluster, defaultApiTimeout: config.defaultApiTimeout, retryBackoffMax: config.retryBackoffMax)
        self.coordinator = config.groupID.map {
            CoordinatorLink(
                cluster: cluster, key: $0, keyType: .group,
                requestTimeout: config.effectiveRebalanceTimeout + .seconds(5), retryBackoffMax: config.retryBackoffMax)
        }
        (shutdownStream, shutdownSignal) = AsyncStream.makeStream(of: Void.self)
    }

    // MARK: - Subscription

    /// Reads exactly these partitions, outside any group rebalancing (offsets can still be
    /// committed with a `group.id`). Replaces an earlier assignment; positions of
    /// partitions kept stay.
    /// - Throws: ``KafkaClientError`` `illegalState` while subscribed to topics, `closed`.
    public func assign(_ assignment: some Sequence<TopicPartition>) throws {
        try checkOpen()
        if case .topics = subscription { throw KafkaClientError(.illegalState, "assign while subscribed; unsubscribe first") }
        if case .pattern = subscription { throw KafkaClientError(.illegalState, "assign while subscribed; unsubscribe first") }
        let wanted = Set(assignment)
        subscription = wanted.isEmpty ? .none : .assigned
        setAssignment(wanted)
    }

    /// Joins the group (`group.id`) to read these topics; the group's assignor decides
    /// which partitions this member reads. The join happens in the next ``poll(timeout:)``.
    /// - Throws: ``KafkaClientError`` `invalidConfig` without a `group.id`, `illegalState`
    ///   after ``assign(_:)``, `closed`.
    public func subscribe(topics: some Sequence<String>, listener: RebalanceListener = .none) throws {
        try checkSubscribe()
        let set = Set(topics)
        subscription = set.isEmpty ? .none : .topics(set)
        self.listener = listener
        needsRejoin = true
    }

    /// Joins the group to read every topic whose whole name matches `pattern` (a regular
    /// expression, as Java's `subscribe(Pattern)`); topics created later join the
    /// subscription when metadata is refreshed (`metadata.max.age.ms`).
    /// - Throws: ``KafkaClientError`` `invalidConfig` for an invalid pattern or without a
    ///   `group.id`, `illegalState`, `closed`.
    public func subscribe(pattern: String, listener: RebalanceListener = .none) throws {
        try checkSubscribe()
        let matcher: @Sendable (String) -> Bool
        do {
            _ = try Regex(pattern)
            matcher = { name in (try? Regex(pattern).wholeMatch(in: name)) != nil }
        } catch {
            throw KafkaClientError(.invalidConfig, "invalid topic pattern \(pattern): \(error)")
        }
        subscription = .pattern(pattern, matcher)
        self.listener = listener
        needsRejoin = true
    }

    private func checkSubscribe() throws {
        try checkOpen()
        guard config.groupID != nil else {
            throw KafkaClientError(.invalidConfig, "subscribe needs a group.id; use assign to read partitions without a group")
        }
        if case .assigned = subscription { throw KafkaClientError(.illegalState, "subscribe after assign; unassign first") }
    }

    /// Stops reading: leaves the group (after revoking the partitions through the listener)
    /// or drops the manual assignment.
    /// - Throws: what the listener's callback throws.
    public func unsubscribe() async throws {
        try checkOpen()
        if isGroupSubscription {
            try await leaveGroup(reason: "unsubscribe")
        }
        subscription = .none
        setAssignment([])
    }

    /// Makes the next ``poll(timeout:)`` rejoin the group, which starts a rebalance of the
    /// whole group (Java's `enforceRebalance`): an assignor that asked for a follow-up
    /// rebalance (the Streams assignor's probing rebalances) calls it. Does nothing for a
    /// consumer that is not a group member.
    public func enforceRebalance(reason: String) {
        guard isGroupSubscription, generation >= 0 else { return }
        logger.info("rejoining group \(config.groupID ?? ""): \(reason)")
        needsRejoin = true
    }

    /// The partitions this consumer reads now.
    public var assignment: Set<TopicPartition> { Set(partitions.keys) }

    /// The topics subscribed to (for a pattern, those it matched at the last rebalance).
    public var subscribedTopics: Set<String> {
        switch subscription {
        case .topics(let topics): topics
        case .pattern: joinedTopics
        default: []
        }
    }

    var isGroupSubscription: Bool {
        switch subscription {
        case .topics, .pattern: true
        default: false
        }
    }

    /// Replaces the assignment, keeping the state of partitions that stay.
    func setAssignment(_ wanted: Set<TopicPartition>) {
        for partition in partitions.keys where !wanted.contains(partition) { partitions[partition] = nil }
        for partition in wanted where partitions[partition] == nil { partitions[partition] = PartitionState(partition) }
        order = partitions.keys.sorted()
        drainIndex = 0
        wakeFetcher()
    }

    // MARK: - Positions

    /// Moves a partition's position: the next poll returns records from `offset`.
    /// - Throws: ``KafkaClientError`` `illegalState` if the partition is not assigned.
    public func seek(_ partition: TopicPartition, to offset: Int64) throws {
        try assigned(partition).seek(offset)
        wakeFetcher()
    }

    /// Moves partitions to their first offset (applied at the next poll).
    /// - Throws: ``KafkaClientError`` `illegalState` for a partition that is not assigned.
    public func seekToBeginning(_ partitions: some Sequence<TopicPartition>) throws {
        for partition in partitions { try reset(partition, to: .earliest) }
    }

    /// Moves partitions after their last offset (applied at the next poll).
    /// - Throws: ``KafkaClientError`` `illegalState` for a partition that is not assigned.
    public func seekToEnd(_ partitions: some Sequence<TopicPartition>) throws {
        for partition in partitions { try reset(partition, to: .latest) }
    }

    private func reset(_ partition: TopicPartition, to spec: OffsetSpec) throws {
        let state = try assigned(partition)
        state.seek(0)
        state.position = nil
        state.pendingReset = spec
    }

    /// The offset of the next record ``poll(timeout:)`` returns for a partition, looking it
    /// up (committed offset, reset policy) if it is not known yet.
    /// - Throws: ``KafkaClientError`` `illegalState` if not assigned, `timeout`;
    ///   ``KafkaError`` from the lookup.
    public func position(_ partition: TopicPartition) async throws -> Int64 {
        let state = try assigned(partition)
        if let position = state.position { return position }
        try await updatePositions(deadline: .now + config.defaultApiTimeout)
        guard let position = try assigned(partition).position else {
            throw KafkaClientError(.timeout, "no position for \(partition)")
        }
        return position
    }

    /// Stops fetching these partitions and returning their records until ``resume(_:)``;
    /// they stay assigned.
    /// - Throws: ``KafkaClientError`` `illegalState` for a partition that is not assigned.
    public func pause(_ partitions: some Sequence<TopicPartition>) throws {
        for partition in partitions { try assigned(partition).paused = true }
    }

    /// Fetches paused partitions again.
    /// - Throws: ``KafkaClientError`` `illegalState` for a partition that is not assigned.
    public func resume(_ partitions: some Sequence<TopicPartition>) throws {
        for partition in partitions { try assigned(partition).paused = false }
        wakeFetcher()
    }

    /// The paused partitions.
    public var paused: Set<TopicPartition> { Set(partitions.values.filter(\.paused).map(\.partition)) }

    /// The high watermark and last stable offset of a partition from the last fetch
    /// response (`nil` before the first), for lag: `highWatermark - position`.
    public func watermarks(_ partition: TopicPartition) -> (highWatermark: Int64, lastStableOffset: Int64)? {
        guard let state = partitions[partition], state.highWatermark >= 0 else { return nil }
        return (state.highWatermark, state.lastStableOffset)
    }

    func assigned(_ partition: TopicPartition) throws -> PartitionState {
        guard let state = partitions[partition] else {
            throw KafkaClientError(.illegalState, "\(partition) is not assigned to this consumer")
        }
        return state
    }

    func checkOpen() throws {
        if closed { throw KafkaClientError(.closed, "the consumer is closed") }
    }

    // MARK: - Polling

    /// Returns the next records, at most `max.poll.records`, waiting up to `timeout` for
    /// some to arrive. Joins or rejoins the group first when needed (running the
    /// ``RebalanceListener``), looks up missing positions, and commits if auto-commit is due.
    ///
    /// Records of a partition come in offset order; each partition's position moves past
    /// the records returned.
    ///
    /// - Returns: the records, possibly none.
    /// - Throws: ``KafkaClientError`` `corruptRecord` (naming partition and offset),
    ///   `illegalState` (no assignment or subscription, concurrent polls), `closed`;
    ///   ``KafkaError`` for a partition error that is not retriable (OFFSET_OUT_OF_RANGE
    ///   with `auto.offset.reset=none`, TOPIC_AUTHORIZATION_FAILED, ...) or a fatal group
    ///   error (FENCED_INSTANCE_ID); what a listener callback throws.
    public func poll(timeout: Duration = .milliseconds(500)) async throws -> [ConsumerRecord] {
        try checkOpen()
        if let fatalError { throw fatalError }
        if case .none = subscription {
            throw KafkaClientError(.illegalState, "poll without an assignment or subscription: call assign or subscribe first")
        }
        if polling { throw KafkaClientError(.illegalState, "poll is already running in another task") }
        polling = true
        lastPollAt = .now
        defer {
            // max.poll.interval.ms counts from the end of a poll too: a poll that spent time
            // rejoining the group must not count as a long pause of the application.
            polling = false
            lastPollAt = .now
        }
        let deadline = ContinuousClock.now + timeout
        maybeAutoCommit()
        if fetcherTask == nil { fetcherTask = Task { await self.fetcherLoop() } }
        while true {
            if isGroupSubscription {
                try await ensureActiveGroup(until: deadline)
                if let fatalError { throw fatalError }
                if needsRejoin || generation < 0 {
                    if ContinuousClock.now >= deadline || closed { return [] }
                    continue
                }
            }
            if partitions.values.contains(where: { $0.position == nil }) {
                try await updatePositions(deadline: max(deadline, .now + config.client.requestTimeout))
            }
            var records: [ConsumerRecord] = []
            try drain(into: &records)
            if !records.isEmpty {
                statistics.records += records.count
                statistics.polls += 1
                wakeFetcher()
                return records
            }
            if ContinuousClock.now >= deadline || closed { return [] }
            if needsRejoin && isGroupSubscription { continue }
            await waitForData(until: deadline)
        }
    }

    /// Takes up to `max.poll.records` buffered records, a partition at a time (starting after
    /// the partition the last poll ended with, so every partition gets its turn).
    func drain(into records: inout [ConsumerRecord]) throws {
        guard !order.isEmpty else { return }
        let limit = config.maxPollRecords
        var visited = 0
        while visited < order.count && records.count < limit {
            let index = drainIndex % order.count
            guard let state = partitions[order[index]] else {
                drainIndex += 1
                visited += 1
                continue
            }
            if let error = state.error {
                state.error = nil
                if records.isEmpty { throw error }
                state.error = error
                return
            }
            if !state.paused, var completed = state.completed, let position = state.position {
                state.completed = nil
                if completed.nextOffset != position {
                    // A seek happened after the fetch: its records are not wanted.
                    wakeFetcher()
                } else {
                    do {
                        try completed.take(limit - records.count, into: &records)
                    } catch {
                        state.position = completed.nextOffset
                        wakeFetcher()
                        if records.isEmpty { throw error }
                        state.error = error
                        return
                    }
                    state.position = completed.nextOffset
                    if let last = records.last, last.partition == state.partition.partition, last.topic == state.partition.topic {
                        state.lastEpoch = last.leaderEpoch
                    }
                    if !completed.isDrained {
                        state.completed = completed
                        return
                    }
                    wakeFetcher()
                }
            }
            drainIndex += 1
            visited += 1
        }
    }

    /// Suspends until the fetcher delivers data, the group needs attention, or `deadline`.
    func waitForData(until deadline: ContinuousClock.Instant) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                try? await Task.sleep(until: deadline, clock: .continuous)
                await self.wakePoll()
            }
            if !self.closed { await withCheckedContinuation { self.pollWaiter = $0 } }
            group.cancelAll()
        }
    }

    func wakePoll() {
        if let waiter = pollWaiter {
            pollWaiter = nil
            waiter.resume()
        }
    }

    // MARK: - Closing

    /// Commits (with auto-commit), revokes the partitions through the listener, leaves the
    /// group (a static member stays), stops fetching and closes the connections (unless the
    /// cluster is shared). Errors on the way are logged, not thrown.
    public func close() async {
        guard !closed else { return }
        if isGroupSubscription {
            do { try await leaveGroup(reason: "the consumer is closing") } catch { logger.warning("leaving the group: \(error)") }
        } else if config.enableAutoCommit, config.groupID != nil {
            do { try await commitSync() } catch { logger.warning("commit on close: \(error)") }
        }
        closed = true
        shutdownSignal.finish()
        heartbeatTask?.cancel()
        wakeFetcher()
        wakePoll()
        for task in asyncCommits.values { await task.value }
        if let fetcherTask { await fetcherTask.value }
        if let heartbeatTask { await heartbeatTask.value }
        await coordinator?.close()
        if ownsCluster { await cluster.close() }
    }

    /// Runs until the calling task is cancelled (or ``close()`` is called), then closes the
    /// consumer: the shape of a swift-service-lifecycle `Service`. Polling happens in
    /// other tasks.
    public func run() async {
        if !runStarted {
            runStarted = true
            for await _ in shutdownStream {}
        }
        await close()
    }
}

/// Counters of what a ``KafkaConsumer`` has done.
public struct ConsumerStatistics: Sendable, Hashable {
    /// Records returned by `poll`.
    public var records = 0
    /// Polls that returned records.
    public var polls = 0
    /// Fetch requests sent.
    public var fetchRequests = 0
    /// Fetch response bytes of record data.
    public var fetchedBytes = 0
    /// Rebalances completed (SyncGroup answered).
    public var rebalances = 0
    /// Offset commits that succeeded.
    public var commits = 0
}
