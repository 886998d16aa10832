import Foundation
import KafkaClient
import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle

/// A running instance of a topology (Kafka Streams' `KafkaStreams` class): stream threads
/// consuming the topology's input partitions as members of the group `application.id`,
/// with state in RocksDB (or memory) logged to changelog topics.
///
/// ```swift
/// let app = StreamsApplication(topology, config: StreamsConfig(applicationID: "fraud", bootstrapServers: "kafka:9092"))
/// try await app.start()
/// ...
/// await app.close()
/// ```
/// or `try await app.run()`, which also makes it a swift-service-lifecycle `Service`
/// that closes gracefully on shutdown. Start more instances with the same
/// `application.id` (on other machines, or with other `state.dir`s) to scale out: the
/// group splits the tasks among them.
///
/// States follow Kafka Streams: `CREATED` → `REBALANCING` ↔ `RUNNING` →
/// `PENDING_SHUTDOWN` → `NOT_RUNNING`, or → `PENDING_ERROR` → `ERROR` when the threads
/// fail and the uncaught-exception handler says to shut down.
public final class StreamsApplication: Sendable {
    /// The instance's state.
    public enum State: String, Sendable, Hashable, CustomStringConvertible {
        /// Not started.
        case created = "CREATED"
        /// Threads are joining the group, creating or restoring tasks.
        case rebalancing = "REBALANCING"
        /// Every thread is processing.
        case running = "RUNNING"
        /// Closing.
        case pendingShutdown = "PENDING_SHUTDOWN"
        /// Closed.
        case notRunning = "NOT_RUNNING"
        /// Failing: threads are shutting down after an error.
        case pendingError = "PENDING_ERROR"
        /// Failed; only ``close(timeout:)`` is possible.
        case error = "ERROR"

        /// The raw value.
        public var description: String { rawValue }
    }

    /// The topology.
    public let topology: Topology
    /// The configuration.
    public let config: StreamsConfig
    /// This instance's process id (shared by its threads in the group protocol).
    public let processID: UUID
    let embeddedBroker: (any EmbeddedBrokerProvider)?
    let logger: Logger
    let box = NIOLockedValueBox(Mutable())

    struct Mutable {
        var state: State = .created
        var stateListener: (@Sendable (State, State) -> Void)?
        var restoreListener: StateRestoreListener = .none
        var uncaughtExceptionHandler: @Sendable (any Error) -> StreamThreadExceptionResponse = { _ in .shutdownClient }
        var threads: [StreamThread] = []
        var threadStates: [Int: ThreadState] = [:]
        var threadRuns: [Int: Task<Void, Never>] = [:]
        var broker: (any RunningEmbeddedBroker)?
        var admin: KafkaAdmin?
        var context: RuntimeContext?
        var bootstrapServers: String?
        var nextThreadIndex = 0
        var failure: (any Error)?
        var stateWaiters: [(Set<State>, CheckedContinuation<State, Never>)] = []
    }

    /// Creates an instance; nothing connects until ``start()``.
    /// - Parameters:
    ///   - embeddedBroker: what `bootstrap.servers = "embedded"` starts (for example
    ///     `.inProcess` from `KafkaStreamsEmbedded`); `nil` makes `"embedded"` an error.
    public init(
        _ topology: Topology, config: StreamsConfig, embeddedBroker: (any EmbeddedBrokerProvider)? = nil,
        logger: Logger = Logger(label: "kafka-streams")
    ) {
        self.topology = topology
        self.config = config
        self.embeddedBroker = embeddedBroker
        self.processID = UUID()
        var logger = logger
        logger[metadataKey: "application"] = "\(config.applicationID)"
        self.logger = logger
    }

    /// The current state.
    public var state: State { box.withLockedValue { $0.state } }

    /// Called with `(new, old)` on every state change (Kafka's `setStateListener`).
    public func setStateListener(_ listener: @escaping @Sendable (State, State) -> Void) {
        box.withLockedValue { $0.stateListener = listener }
    }

    /// Called as stores restore (set before ``start()``).
    public func setGlobalStateRestoreListener(_ listener: StateRestoreListener) {
        box.withLockedValue { $0.restoreListener = listener }
    }

    /// Decides what happens when a stream thread fails (Kafka's
    /// `setUncaughtExceptionHandler`); the default shuts this instance down.
    public func setUncaughtExceptionHandler(_ handler: @escaping @Sendable (any Error) -> StreamThreadExceptionResponse) {
        box.withLockedValue { $0.uncaughtExceptionHandler = handler }
    }

    /// The servers the clients connect to (the embedded broker's address once started).
    public var bootstrapServers: String { box.withLockedValue { $0.bootstrapServers } ?? config.bootstrapServers }

    /// The error that stopped the instance, if it is in `ERROR`.
    public var failure: (any Error)? { box.withLockedValue { $0.failure } }

    /// Starts the embedded broker if configured, creates internal topics, starts the
    /// stream threads, and returns; the instance is `REBALANCING` until the threads run.
    /// - Throws: ``StreamsError`` `illegalState` unless `CREATED`; `invalidConfig`;
    ///   `missingSourceTopic` / `partitionMismatch` from the topic check; `client`.
    public func start() async throws {
        try box.withLockedValue { value in
            guard value.state == .created else {
                throw StreamsError(.illegalState, "start() was called in state \(value.state); an application starts once")
            }
            value.state = .rebalancing
        }
        notify(.rebalancing, old: .created)
        do {
            try await startUp()
        } catch {
            logger.error("start-up failed: \(error)")
            await stopBroker()
            transition(to: .error, failure: error)
            throw error
        }
    }

    private func startUp() async throws {
        let stateDirectory = try StateDirectory(config: config)
        let servers = try await startEmbeddedBroker()
        var properties = config.properties
        properties["bootstrap.servers"] = servers
        let client: ClientConfig
        do { client = try ClientConfig(properties: properties) } catch {
            throw StreamsError(.invalidConfig, "client settings: \(error)", cause: error)
        }
        let admin = KafkaAdmin(cluster: KafkaCluster(config: client, logger: logger), defaultApiTimeout: .seconds(60))
        box.withLockedValue { $0.admin = admin }
        let layout = try await InternalTopicManager(
            admin: admin, topology: topology, applicationID: config.applicationID, replicationFactor: config.replicationFactor,
            logger: logger
        ).prepare()
        let context = RuntimeContext(
            topology: topology, config: config, client: client, layout: layout, processID: processID,
            stateDirectory: stateDirectory, rocksDB: RocksDBSharedResources(config: config),
            restoreListener: box.withLockedValue { $0.restoreListener })
        box.withLockedValue { $0.context = context }
        for _ in 0..<config.numStreamThreads { try startThread(context: context, admin: admin) }
    }

    @discardableResult
    private func startThread(context: RuntimeContext, admin: KafkaAdmin) throws -> StreamThread {
        let index = box.withLockedValue { value in
            defer { value.nextThreadIndex += 1 }
            return value.nextThreadIndex
        }
        let thread = try StreamThread(
            index: index, context: context, admin: admin, logger: logger,
            onStateChange: { [weak self] index, state in self?.threadStateChanged(index, state) })
        thread.bridge.thread.withLockedValue { $0 = thread }
        let run = Task {
            do {
                try await thread.run()
            } catch {
                await self.threadFailed(thread, error: error)
            }
        }
        box.withLockedValue {
            $0.threads.append(thread)
            $0.threadRuns[index] = run
        }
        return thread
    }

    private func threadStateChanged(_ index: Int, _ state: ThreadState) {
        let (old, new) = box.withLockedValue { value -> (State, State?) in
            value.threadStates[index] = state
            guard value.state == .rebalancing || value.state == .running else { return (value.state, nil) }
            let live = value.threadStates.values.filter { $0 != .dead }
            let running = !live.isEmpty && live.allSatisfy { $0 == .running }
            let target: State = running ? .running : .rebalancing
            guard target != value.state else { return (value.state, nil) }
            return (value.state, target)
        }
        if let new { transition(to: new, from: old) }
    }

    private func threadFailed(_ thread: StreamThread, error: any Error) async {
        let (handler, state) = box.withLockedValue { ($0.uncaughtExceptionHandler, $0.state) }
        guard state == .rebalancing || state == .running else { return }
        let response = handler(error)
        logger.error("stream thread \(thread.name) failed (\(response)): \(error)")
        box.withLockedValue { value in
            value.threads.removeAll { $0 === thread }
            value.threadRuns[thread.index] = nil
            value.threadStates[thread.index] = nil
        }
        switch response {
        case .replaceThread:
            if let (context, admin) = box.withLockedValue({ v in v.context.flatMap { c in v.admin.map { (c, $0) } } }) {
                do { try startThread(context: context, admin: admin) } catch {
                    await fail(error)
                }
            }
        case .shutdownClient, .shutdownApplication:
            await fail(error)
        }
    }

    private func fail(_ error: any Error) async {
        transition(to: .pendingError, failure: error)
        await stopThreads(timeout: .seconds(30))
        await stopBroker()
        transition(to: .error)
    }

    /// Stops the threads (each commits and closes its tasks), then the embedded broker.
    /// - Parameter timeout: how long to wait for the threads.
    /// - Returns: whether everything stopped within the timeout.
    @discardableResult
    public func close(timeout: Duration = .seconds(60)) async -> Bool {
        let state = self.state
        switch state {
        case .notRunning, .error: return true
        case .created:
            await stopBroker()
            transition(to: .notRunning)
            return true
        case .pendingShutdown, .pendingError:
            return await waitForState([.notRunning, .error], timeout: timeout)
        case .rebalancing, .running:
            transition(to: .pendingShutdown)
        }
        let stopped = await stopThreads(timeout: timeout)
        await stopBroker()
        transition(to: .notRunning)
        return stopped
    }

    @discardableResult
    private func stopThreads(timeout: Duration) async -> Bool {
        let (threads, runs) = box.withLockedValue { ($0.threads, Array($0.threadRuns.values)) }
        for thread in threads { await thread.requestShutdown() }
        let finished = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for run in runs { await run.value }
                return true
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
        if !finished { logger.warning("stream threads did not stop within \(timeout)") }
        let admin = box.withLockedValue { $0.admin }
        await admin?.close()
        return finished
    }

    /// With `bootstrap.servers = "embedded"`, starts the embedded broker now (``start()``
    /// does it otherwise), so that input topics can be created and filled before the
    /// application starts. Idempotent.
    /// - Returns: the servers to connect to (the configured ones when not embedded).
    /// - Throws: ``StreamsError`` `invalidConfig` without an embedded broker provider, or the
    ///   broker's start-up error.
    @discardableResult
    public func startEmbeddedBroker() async throws -> String {
        guard config.bootstrapServers == "embedded" else { return config.bootstrapServers }
        if let running = box.withLockedValue({ $0.bootstrapServers }) { return running }
        guard let embeddedBroker else {
            throw StreamsError(
                .invalidConfig,
                "bootstrap.servers is \"embedded\" but no embedded broker was given: pass embeddedBroker: .inProcess "
                    + "(import KafkaStreamsEmbedded) or set bootstrap.servers to a cluster's host:port list")
        }
        let stateDirectory = try StateDirectory(config: config)
        let broker = try await embeddedBroker.start(dataDirectory: stateDirectory.path + "/embedded-broker")
        box.withLockedValue {
            $0.broker = broker
            $0.bootstrapServers = broker.bootstrapServers
        }
        logger.info("embedded broker listening on \(broker.bootstrapServers)")
        return broker.bootstrapServers
    }

    private func stopBroker() async {
        guard let broker = box.withLockedValue({ value -> (any RunningEmbeddedBroker)? in
            defer { value.broker = nil }
            return value.broker
        }) else { return }
        do { try await broker.shutdown() } catch { logger.error("stopping the embedded broker failed: \(error)") }
    }

    /// Starts, then waits until cancelled (or the graceful shutdown of a service group)
    /// or until the instance stops by itself, and closes.
    /// - Throws: the start-up error, the error that put the instance in `ERROR`, or
    ///   ``StreamsError`` `client` if closing did not finish within its timeout.
    public func run() async throws {
        try await start()
        await withGracefulShutdownHandler {
            _ = await waitForState([.notRunning, .error, .pendingError], timeout: nil)
        } onGracefulShutdown: {
            Task { await self.close() }
        }
        let closed = await close()
        if let failure { throw failure }
        guard closed else {
            throw StreamsError(.client, "the instance did not close within the timeout: some output may not be committed")
        }
    }

    /// Waits until the instance is in one of `states`.
    /// - Returns: whether it got there before the timeout (`nil`: no timeout; cancelling
    ///   the waiting task also ends the wait).
    @discardableResult
    public func waitForState(_ states: Set<State>, timeout: Duration? = .seconds(60)) async -> Bool {
        let waiter = Task {
            await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<State, Never>) in
                    let now: State? = box.withLockedValue { value in
                        if states.contains(value.state) { return value.state }
                        value.stateWaiters.append((states, continuation))
                        return nil
                    }
                    if let now { continuation.resume(returning: now) }
                }
            } onCancel: {
                self.releaseWaiters()
            }
        }
        if let timeout {
            let timer = Task {
                try? await Task.sleep(for: timeout)
                waiter.cancel()
            }
            defer { timer.cancel() }
            return states.contains(await waiter.value)
        }
        return await withTaskCancellationHandler {
            states.contains(await waiter.value)
        } onCancel: {
            waiter.cancel()
        }
    }

    /// Resumes every waiter with the current state (a wait was cancelled).
    private func releaseWaiters() {
        let (waiters, state) = box.withLockedValue { value in
            defer { value.stateWaiters.removeAll() }
            return (value.stateWaiters, value.state)
        }
        for (_, continuation) in waiters { continuation.resume(returning: state) }
    }

    func transition(to new: State, from expected: State? = nil, failure: (any Error)? = nil) {
        let change = box.withLockedValue { value -> (State, [CheckedContinuation<State, Never>])? in
            if let expected, value.state != expected { return nil }
            guard value.state != new else { return nil }
            let old = value.state
            value.state = new
            if let failure, value.failure == nil { value.failure = failure }
            var ready: [CheckedContinuation<State, Never>] = []
            value.stateWaiters.removeAll { states, continuation in
                guard states.contains(new) else { return false }
                ready.append(continuation)
                return true
            }
            return (old, ready)
        }
        guard let (old, ready) = change else { return }
        logger.info("state \(old) -> \(new)")
        notify(new, old: old)
        for continuation in ready { continuation.resume(returning: new) }
    }

    private func notify(_ new: State, old: State) {
        let listener = box.withLockedValue { $0.stateListener }
        listener?(new, old)
    }

    /// What each local stream thread runs.
    public func localThreadsMetadata() async -> [ThreadMetadata] {
        let threads = box.withLockedValue { $0.threads }
        var result: [ThreadMetadata] = []
        for thread in threads { result.append(await thread.metadata()) }
        return result
    }

    /// Adds a stream thread to a running instance (Kafka's `addStreamThread`).
    /// - Returns: the new thread's name.
    /// - Throws: ``StreamsError`` `illegalState` unless `RUNNING` or `REBALANCING`.
    @discardableResult
    public func addStreamThread() async throws -> String {
        guard let (context, admin) = box.withLockedValue({ v in v.context.flatMap { c in v.admin.map { (c, $0) } } }),
            state == .running || state == .rebalancing
        else { throw StreamsError(.illegalState, "addStreamThread() needs a started instance; state is \(state)") }
        return try startThread(context: context, admin: admin).name
    }
}

extension StreamsApplication: Service {}

/// What to do after a stream thread failed (Kafka's `StreamThreadExceptionResponse`).
public enum StreamThreadExceptionResponse: String, Sendable {
    /// Start a new thread in place of the failed one.
    case replaceThread = "REPLACE_THREAD"
    /// Stop this instance (`ERROR`); the others take over its tasks (default).
    case shutdownClient = "SHUTDOWN_CLIENT"
    /// Stop this instance; other instances are not told yet (they rebalance its tasks
    /// onto themselves), which differs from Kafka Streams, where every instance stops.
    case shutdownApplication = "SHUTDOWN_APPLICATION"
}
