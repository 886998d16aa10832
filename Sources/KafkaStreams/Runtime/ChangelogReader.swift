import KafkaClient
import Logging
import Metrics
import NIOCore

/// Reads changelog partitions into stores with a stream thread's restore consumer
/// (assigned partitions, no group): active tasks restore from their checkpoint to the
/// changelog's end before they process; standby tasks follow their changelogs
/// continuously (Kafka Streams' `StoreChangelogReader`).
final class ChangelogReader {
    private let consumer: KafkaConsumer
    private let admin: KafkaAdmin
    private let isolation: IsolationLevel
    private let logger: Logger
    var listener: StateRestoreListener = .none
    /// Every changelog partition read, with the state manager that owns it: those of active
    /// tasks until they reach the end offset taken at registration (from then on the task
    /// writes its changelog itself), those of standby tasks until they close or move.
    private var owners: [TopicPartition: ProcessorStateManager] = [:]
    /// Partitions of active tasks still restoring, with the end offset to reach.
    private var restoring: [TopicPartition: Int64] = [:]
    private var restoredCounts: [TopicPartition: Int] = [:]
    private let restoredRecords: Counter
    private let remainingRecords: Gauge

    init(consumer: KafkaConsumer, admin: KafkaAdmin, isolation: IsolationLevel, logger: Logger, dimensions: [(String, String)]) {
        self.consumer = consumer
        self.admin = admin
        self.isolation = isolation
        self.logger = logger
        restoredRecords = Counter(label: "kafka_streams_restored_records_total", dimensions: dimensions)
        remainingRecords = Gauge(label: "kafka_streams_restore_remaining_records", dimensions: dimensions)
    }

    /// Whether any active task's changelog is still being read.
    var isRestoring: Bool { !restoring.isEmpty }

    /// Whether any partition is read at all (restoring or standby).
    var hasPartitions: Bool { !owners.isEmpty }

    /// Starts reading a task's changelogs: to their end for an active task (`restore`),
    /// continuously for a standby.
    nonisolated(nonsending) func register(_ stateManager: ProcessorStateManager, restore: Bool) async throws {
        let partitions = stateManager.changelogPartitions
        guard !partitions.isEmpty else { return }
        let ends: [TopicPartition: Int64]
        do {
            ends = try await admin.listOffsets(
                Dictionary(uniqueKeysWithValues: partitions.keys.map { ($0, OffsetSpec.latest) }), isolation: isolation
            ).mapValues(\.offset)
        } catch {
            throw StreamsError(.client, "could not read the end offsets of task \(stateManager.taskId)'s changelogs: \(error)", cause: error)
        }
        var read: [TopicPartition] = []
        for (tp, store) in partitions.sorted(by: { $0.value < $1.value }) {
            let start = stateManager.restoreStartOffset(tp)
            let end = ends[tp] ?? 0
            if restore {
                guard start < end else {
                    listener.onRestoreEnd(store, tp, 0)
                    continue
                }
                restoring[tp] = end
                restoredCounts[tp] = 0
                listener.onRestoreStart(store, tp, start, end)
                logger.info("restoring store \(store) of task \(stateManager.taskId) from \(tp): offsets \(start) to \(end)")
            }
            owners[tp] = stateManager
            read.append(tp)
        }
        guard !read.isEmpty else { return }
        try await reassign()
        for tp in read {
            try await consumer.seek(tp, to: stateManager.restoreStartOffset(tp))
        }
    }

    /// Stops reading a task's changelogs (it closed or moved).
    nonisolated(nonsending) func unregister(_ stateManager: ProcessorStateManager) async throws {
        let partitions = Set(stateManager.changelogPartitions.keys)
        guard !partitions.isEmpty else { return }
        for tp in partitions {
            owners[tp] = nil
            restoring[tp] = nil
            restoredCounts[tp] = nil
        }
        try await reassign()
    }

    nonisolated(nonsending) private func reassign() async throws {
        do { try await consumer.assign(Array(owners.keys)) } catch {
            throw StreamsError(.client, "the restore consumer could not be assigned: \(error)", cause: error)
        }
    }

    /// Reads what is available (waiting up to `timeout`) and writes it into the stores.
    /// - Returns: the number of records applied.
    @discardableResult
    nonisolated(nonsending) func poll(timeout: Duration) async throws -> Int {
        guard !owners.isEmpty else { return 0 }
        let records: [ConsumerRecord]
        do { records = try await consumer.poll(timeout: timeout) } catch {
            throw StreamsError(.client, "reading changelogs failed: \(error)", cause: error)
        }
        var batches: [TopicPartition: [ChangelogRecord]] = [:]
        for record in records {
            batches[record.topicPartition, default: []].append(
                ChangelogRecord(
                    offset: record.offset, key: record.key.map { Array($0.readableBytesView) } ?? [],
                    value: record.value.map { Array($0.readableBytesView) }, timestamp: record.timestamp))
        }
        var applied = 0
        for (tp, batch) in batches {
            guard let owner = owners[tp] else { continue }
            applied += try owner.restore(tp, records: batch)
            if let store = owner.changelogPartitions[tp], restoring[tp] != nil {
                restoredCounts[tp, default: 0] += batch.count
                listener.onBatchRestored(store, tp, batch.last?.offset ?? -1, batch.count)
            }
        }
        restoredRecords.increment(by: applied)
        try await checkRestored()
        return applied
    }

    /// Moves partitions whose position reached the end out of `restoring` and stops reading
    /// them: the active task appends to its changelog itself from now on, and reading its
    /// own writes back would apply them twice.
    nonisolated(nonsending) private func checkRestored() async throws {
        var remaining: Int64 = 0
        var finished = false
        for (tp, end) in restoring {
            let position = (try? await consumer.position(tp)) ?? 0
            if position >= end {
                restoring[tp] = nil
                let total = restoredCounts.removeValue(forKey: tp) ?? 0
                if let owner = owners.removeValue(forKey: tp), let store = owner.changelogPartitions[tp] {
                    listener.onRestoreEnd(store, tp, total)
                    logger.info("restored \(total) records into store \(store) of task \(owner.taskId) from \(tp)")
                }
                finished = true
            } else {
                remaining += end - position
            }
        }
        remainingRecords.record(remaining)
        if finished { try await reassign() }
    }

    /// Whether every changelog partition of a task has caught up.
    func isRestored(_ stateManager: ProcessorStateManager) -> Bool {
        stateManager.changelogPartitions.keys.allSatisfy { restoring[$0] == nil }
    }

    /// Closes the restore consumer.
    nonisolated(nonsending) func close() async { await consumer.close() }
}
