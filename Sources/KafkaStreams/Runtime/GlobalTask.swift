import KafkaClient
import Logging

/// A thread's copy of the global stores (global tables): the global sub-topologies run
/// over every partition of their source topics, read from the beginning to the end
/// before the thread processes anything (bootstrap), then kept up to date on each loop.
///
/// Each stream thread keeps its own copy, so tasks read global stores without locks.
/// Global stores are not logged: their source topic is their changelog.
final class GlobalTask {
    let task: StreamTask
    private let stateManager: ProcessorStateManager
    private let consumer: KafkaConsumer
    private var inputs: [TopicPartition: PartitionInput] = [:]
    private let logger: Logger

    /// The global stores, by name, for the thread's tasks to read.
    var stores: [String: any StateStore] { task.ownedStores }

    /// Creates the global stores and the consumer of the global topics.
    init(threadIndex: Int, context: RuntimeContext, collector: any RecordCollector, clock: StreamsClock, logger: Logger) throws {
        let ids = context.topology.globalSubtopologyIDs
        let id = TaskId(subtopology: ids.min() ?? 0, partition: -Int32(threadIndex + 1))
        self.logger = logger
        task = try StreamTask(
            id: id, topology: context.topology, subtopologies: ids, config: context.config, collector: collector, clock: clock,
            logger: logger)
        do {
            stateManager = try ProcessorStateManager(
                taskId: id, config: context.config, stateDirectory: context.stateDirectory, collector: collector,
                rocksDB: context.rocksDB)
            try task.initialize(stateManager: stateManager)
            var config = ConsumerConfig(client: context.client, groupID: nil)
            config.client.clientID = "\(context.config.applicationID)-global-consumer-\(threadIndex + 1)"
            config.enableAutoCommit = false
            config.autoOffsetReset = .earliest
            config.isolationLevel = context.config.processingGuarantee == .exactlyOnceV2 ? .readCommitted : .readUncommitted
            consumer = try KafkaConsumer(config: config, logger: logger)
        } catch {
            task.close(clean: false)
            throw error
        }
    }

    /// Reads every partition of the global topics from the beginning to its current end.
    nonisolated(nonsending) func bootstrap(partitions: [TopicPartition], admin: KafkaAdmin) async throws {
        for tp in partitions {
            guard let input = task.input(topic: tp.topic, partition: tp.partition) else { continue }
            inputs[tp] = input
        }
        do {
            try await consumer.assign(Array(inputs.keys))
            try await consumer.seekToBeginning(Array(inputs.keys))
            let ends = try await admin.listOffsets(
                Dictionary(uniqueKeysWithValues: inputs.keys.map { ($0, OffsetSpec.latest) }),
                isolation: consumer.config.isolationLevel
            ).mapValues(\.offset)
            var total = 0
            while true {
                var behind = false
                for (tp, end) in ends where try await consumer.position(tp) < end { behind = true }
                if !behind { break }
                total += try await poll(timeout: .milliseconds(100))
            }
            logger.info("global stores bootstrapped from \(inputs.count) partition(s), \(total) records")
        } catch let error as StreamsError {
            throw error
        } catch {
            throw StreamsError(.client, "bootstrapping the global stores failed: \(error)", cause: error)
        }
    }

    /// Applies what the global topics received since the last call.
    /// - Returns: the number of records processed.
    @discardableResult
    nonisolated(nonsending) func poll(timeout: Duration = .zero) async throws -> Int {
        let records = try await consumer.poll(timeout: timeout)
        for record in records {
            guard let input = inputs[record.topicPartition] else { continue }
            try task.process(
                input, offset: record.offset, timestamp: record.timestamp, key: record.key, value: record.value,
                headers: ActiveTask.headers(record.headers))
        }
        if !records.isEmpty { try task.flush() }
        return records.count
    }

    /// Closes the stores and the consumer.
    func close() {
        task.close(clean: true)
        let consumer = consumer
        Task { await consumer.close() }
    }
}
