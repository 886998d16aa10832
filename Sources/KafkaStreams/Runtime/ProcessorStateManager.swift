/// The state of one task: its locked directory, its stores with their changelog
/// partitions, restoration and the checkpoint file (Kafka's `ProcessorStateManager`).
///
/// The runtime (and the test driver) creates one per task, passes it to
/// ``StreamTask/initialize(stateManager:)`` (which registers every store before opening
/// it), then:
/// 1. restores: for each of ``changelogPartitions``, reads the changelog from
///    ``restoreStartOffset(_:)`` to its end and hands the records to
///    ``restore(_:records:)`` in batches (each batch is one RocksDB write batch);
/// 2. processes; every change of a logged store goes to its changelog through the task's
///    record collector, and offsets the producer acknowledges are reported with
///    ``changelogOffsetsWritten(_:)``;
/// 3. on each commit, after ``StreamTask/flush()``, calls ``checkpoint()``: persistent stores
///    are synced to disk, then the `.checkpoint` file records each changelog partition's
///    last offset contained in the store, so a restart restores only what follows;
/// 4. closes through ``StreamTask/close(clean:)``, which checkpoints only when clean.
///
/// A crash between a store write and a checkpoint leaves the older checkpoint, so the next
/// start replays changelog records the store may already hold (writes are idempotent per
/// key), never loses any. Under exactly-once the checkpoint file is deleted once read, so
/// after a crash persistent stores are wiped and fully restored, as in Kafka Streams.
package final class ProcessorStateManager {
    /// The task.
    package let taskId: TaskId
    /// The application id (prefix of changelog topics).
    package let applicationID: String
    /// The task's directory, if it has one (`nil`: in-memory stores only).
    package let taskDirectory: String?
    /// The RocksDB resources shared by the instance.
    package let rocksDB: RocksDBSharedResources
    let collector: any RecordCollector
    /// The timestamp of the record being processed (set by the task).
    var currentTimestamp: () -> Int64 = { -1 }
    private var lock: TaskDirectoryLock?
    private let checkpointFile: OffsetCheckpoint?
    private let exactlyOnce: Bool
    /// Offsets read from the checkpoint file at start.
    package private(set) var checkpointedOffsets: [TopicPartition: Int64] = [:]
    private var registrations: [String: Registration] = [:]
    private var order: [String] = []

    struct Registration {
        let store: any StateStore
        let changelog: TopicPartition?
        /// Whether writes are logged by the store (false when a source topic is the changelog).
        let logged: Bool
        /// The last changelog offset the store contains (restored or written).
        var offset: Int64?
    }

    /// Creates the state manager of a task, locking its directory and reading its
    /// checkpoint.
    /// - Parameters:
    ///   - stateDirectory: the application's state directory; `nil` for a task without one
    ///     (RocksDB stores then fail to open).
    ///   - rocksDB: the instance's shared RocksDB resources.
    /// - Throws: ``StreamsError`` (`stateDirectoryLocked`) if the directory is locked,
    ///   (`stateIO`) if it or the checkpoint file cannot be read.
    package init(
        taskId: TaskId, config: StreamsConfig, stateDirectory: StateDirectory?, collector: any RecordCollector,
        rocksDB: RocksDBSharedResources
    ) throws {
        self.taskId = taskId
        self.applicationID = config.applicationID
        self.collector = collector
        self.rocksDB = rocksDB
        exactlyOnce = config.processingGuarantee == .exactlyOnceV2
        if let stateDirectory {
            let lock = try stateDirectory.lock(taskId)
            self.lock = lock
            taskDirectory = lock.directory
            let file = OffsetCheckpoint(path: lock.directory + "/.checkpoint")
            checkpointFile = file
            do {
                checkpointedOffsets = try file.read()
                if exactlyOnce { try file.delete() }
            } catch {
                lock.release()
                throw error
            }
        } else {
            taskDirectory = nil
            checkpointFile = nil
        }
    }

    /// The directory of a persistent store: `<task>/rocksdb/<store>`.
    package func storeDirectory(_ name: String) -> String? { taskDirectory.map { "\($0)/rocksdb/\(name)" } }

    /// Registers a store before it is opened.
    /// - Parameters:
    ///   - changelogTopic: the changelog topic with its prefix, `nil` if not logged.
    ///   - logged: whether the store writes the changelog itself (false when a table's
    ///     source topic serves as changelog).
    package func register(_ store: any StateStore, changelogTopic: String?, logged: Bool) {
        let tp = changelogTopic.map { TopicPartition($0, taskId.partition) }
        if registrations[store.name] == nil { order.append(store.name) }
        var registration = Registration(store: store, changelog: tp, logged: logged && tp != nil, offset: nil)
        if let tp, store.persistent {
            registration.offset = checkpointedOffsets[tp]
            // A persistent store without a checkpoint under exactly-once may hold writes
            // of an aborted transaction: wipe it and restore everything.
            if exactlyOnce, checkpointedOffsets[tp] == nil, let directory = storeDirectory(store.name) {
                StateDirectory.removeTree(directory)
            }
        }
        registrations[store.name] = registration
    }

    /// The changelog writer of a registered, logged store.
    package func changelogger(forStore name: String) -> StoreChangelogger? {
        guard let registration = registrations[name], registration.logged, let tp = registration.changelog else { return nil }
        return StoreChangelogger(
            topic: tp.topic, partition: tp.partition, collector: collector,
            currentTimestamp: { [unowned self] in currentTimestamp() },
            written: { [unowned self] offset in registrations[name]?.offset = offset })
    }

    /// Every changelog partition of the task's stores, with its store name.
    package var changelogPartitions: [TopicPartition: String] {
        var result: [TopicPartition: String] = [:]
        for name in order { if let tp = registrations[name]?.changelog { result[tp] = name } }
        return result
    }

    /// The offset restoration of a changelog partition starts at: after the checkpointed
    /// offset for a persistent store that has one, else 0 (in-memory stores start empty).
    package func restoreStartOffset(_ tp: TopicPartition) -> Int64 {
        guard let name = changelogPartitions[tp], let registration = registrations[name] else { return 0 }
        guard registration.store.persistent, let offset = checkpointedOffsets[tp] else { return 0 }
        return offset + 1
    }

    /// Writes a batch of changelog records into their store (not back to the changelog).
    /// - Returns: the number of records applied.
    /// - Throws: ``StreamsError`` if the partition is unknown or the store fails.
    @discardableResult
    package func restore(_ tp: TopicPartition, records: [ChangelogRecord]) throws -> Int {
        guard let name = changelogPartitions[tp], let registration = registrations[name] else {
            throw StreamsError(.illegalState, "no store of task \(taskId) is logged to \(tp)", context: .init(taskId: taskId))
        }
        guard !records.isEmpty else { return 0 }
        guard let restorer = registration.store.layers.first(where: { $0 is any ChangelogRestorable }) as? any ChangelogRestorable
        else {
            throw StreamsError(
                .stateStore, "store \(name) has no change-logging layer to restore through",
                context: .init(store: name, taskId: taskId))
        }
        do { try restorer.restore(records) } catch {
            throw StreamsError(
                .stateStore, "could not restore store \(name) from \(tp)", context: .init(store: name, taskId: taskId),
                cause: error)
        }
        registrations[name]?.offset = records.last?.offset
        return records.count
    }

    /// Reports changelog offsets the producer acknowledged (the runtime's collector).
    package func changelogOffsetsWritten(_ offsets: [TopicPartition: Int64]) {
        for (tp, offset) in offsets {
            guard let name = changelogPartitions[tp] else { continue }
            let current = registrations[name]?.offset ?? -1
            registrations[name]?.offset = max(current, offset)
        }
    }

    /// The last changelog offset each store contains, as the next checkpoint will record.
    package var currentOffsets: [TopicPartition: Int64] {
        var result: [TopicPartition: Int64] = [:]
        for name in order {
            guard let registration = registrations[name], registration.store.persistent,
                let tp = registration.changelog, let offset = registration.offset
            else { continue }
            result[tp] = offset
        }
        return result
    }

    /// Syncs persistent stores to disk, then writes the checkpoint file (call after
    /// ``StreamTask/flush()``). Does nothing for a task without a directory.
    /// - Throws: ``StreamsError`` if a store cannot sync or the file cannot be written.
    package func checkpoint() throws {
        guard let checkpointFile else { return }
        for name in order {
            guard let store = registrations[name]?.store, store.isOpen else { continue }
            for case let syncable as any SyncableStore in store.layers {
                try syncable.sync()
            }
        }
        try checkpointFile.write(currentOffsets)
    }

    /// Releases the task directory's lock (after the stores are closed).
    package func releaseLock() {
        lock?.release()
        lock = nil
    }

    deinit { lock?.release() }
}
