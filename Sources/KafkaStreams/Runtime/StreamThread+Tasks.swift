import KafkaClient
import Logging

extension StreamThread {
    // MARK: - Rebalance callbacks (run inside poll, on this actor)

    /// Eager protocol: every partition was revoked before this; create the tasks of the
    /// new assignment, reuse suspended ones still assigned, close the others.
    func partitionsAssigned(_ partitions: Set<TopicPartition>) async throws {
        var wanted: [TaskId: Set<TopicPartition>] = [:]
        if let assignedActives {
            wanted = assignedActives
        } else {
            for tp in partitions {
                for id in context.tasks(reading: tp) { wanted[id, default: []].insert(tp) }
            }
        }
        for (id, task) in active where wanted[id] == nil || wanted[id] != task.partitions {
            try await closeTask(task, clean: true)
        }
        for id in Array(pendingTasks.keys) where wanted[id] == nil { pendingTasks[id] = nil }
        for (id, tps) in wanted where active[id] == nil {
            if let standby = standbys.removeValue(forKey: id) {
                // Promoted: the active task restores from where the standby got to.
                try await changelogs.unregister(standby.stateManager)
                standby.close(clean: true)
            }
            pendingTasks[id] = tps
        }
        // Standbys: keep those still assigned, close the rest, create new ones.
        for (id, standby) in standbys where !assignedStandbys.contains(id) {
            try await changelogs.unregister(standby.stateManager)
            standby.close(clean: true)
            standbys[id] = nil
        }
        pendingStandbys = assignedStandbys.subtracting(standbys.keys).subtracting(wanted.keys)
        logger.info(
            "assigned \(wanted.count) active task(s) \(wanted.keys.sorted().map(\.description)) and \(assignedStandbys.count) standby task(s)")
        setState(.partitionsAssigned)
        try await createPendingTasks()
    }

    /// Commits what was processed, then suspends: buffered records are dropped (the
    /// consumer refetches from the committed offsets) but tasks stay open in case they
    /// come back.
    func partitionsRevoked(_ partitions: Set<TopicPartition>) async throws {
        setState(.partitionsRevoked)
        guard !active.isEmpty, !failed else { return }
        try await commit()
        for task in active.values { task.clearBuffers() }
    }

    /// The membership was lost: another member may own the tasks now, so nothing is
    /// committed; tasks close dirty (under exactly-once the transaction is aborted).
    func partitionsLost(_ partitions: Set<TopicPartition>) async {
        logger.warning("lost partitions \(partitions.count); closing \(active.count) task(s) without committing")
        if exactlyOnce && transactionOpen {
            try? await producer.abortTransaction()
            transactionOpen = false
        }
        _ = collector.drain()
        for task in active.values {
            try? await changelogs.unregister(task.stateManager)
            task.task.close(clean: false)
        }
        active.removeAll()
        restoringTasks.removeAll()
        setState(.partitionsRevoked)
    }

    // MARK: - Creating and closing tasks

    /// Creates the tasks waiting for creation; a task whose directory is still locked by
    /// another thread of this instance stays pending and is retried on the next loop.
    func createPendingTasks() async throws {
        for (id, partitions) in pendingTasks.sorted(by: { $0.key < $1.key }) {
            do {
                let task = try makeActiveTask(id, partitions: partitions)
                pendingTasks[id] = nil
                active[id] = task
                if !task.stateManager.changelogPartitions.isEmpty {
                    restoringTasks.insert(id)
                    try await changelogs.register(task.stateManager, restore: true)
                }
            } catch let error as StreamsError where error.code == .stateDirectoryLocked {
                logger.debug("task \(id): state directory still locked; retrying")
            }
        }
        for id in pendingStandbys.sorted() {
            do {
                let standby = try makeStandbyTask(id)
                pendingStandbys.remove(id)
                standbys[id] = standby
                try await changelogs.register(standby.stateManager, restore: false)
            } catch let error as StreamsError where error.code == .stateDirectoryLocked {
                logger.debug("standby task \(id): state directory still locked; retrying")
            }
        }
        finishRestoration()
    }

    /// Moves restored tasks to processing.
    func finishRestoration() {
        for id in restoringTasks {
            guard let task = active[id], changelogs.isRestored(task.stateManager) else { continue }
            restoringTasks.remove(id)
            logger.info("task \(id) restored; processing")
        }
    }

    private func makeActiveTask(_ id: TaskId, partitions: Set<TopicPartition>) throws -> ActiveTask {
        let task = try StreamTask(
            id: id, topology: context.topology, subtopologies: [id.subtopology], config: context.config, collector: collector,
            clock: clock, logger: logger, sharedStores: global?.stores ?? [:])
        let stateManager: ProcessorStateManager
        do {
            stateManager = try ProcessorStateManager(
                taskId: id, config: context.config, stateDirectory: context.stateDirectory, collector: collector,
                rocksDB: context.rocksDB)
        } catch {
            task.close(clean: false)
            throw error
        }
        do {
            try task.initialize(stateManager: stateManager)
            collector.partitionCounts.merge(context.layout.partitionCounts) { a, _ in a }
            return try ActiveTask(task: task, stateManager: stateManager, partitions: partitions, maxTaskIdle: context.config.maxTaskIdle)
        } catch {
            task.close(clean: false)
            throw error
        }
    }

    private func makeStandbyTask(_ id: TaskId) throws -> StandbyTask {
        try StandbyTask(id: id, context: context, collector: collector, clock: clock, logger: logger)
    }

    /// Commits (clean) or not, unregisters the changelogs and closes the task.
    func closeTask(_ task: ActiveTask, clean: Bool) async throws {
        try? await changelogs.unregister(task.stateManager)
        restoringTasks.remove(task.id)
        task.task.close(clean: clean)
        active[task.id] = nil
        logger.info("closed task \(task.id)\(clean ? "" : " (dirty)")")
    }
}

extension StreamThread {
    /// Creates the thread's copy of the global stores and bootstraps it.
    func startGlobalTask() async throws {
        let topics = context.globalSourceTopics
        guard !topics.isEmpty else { return }
        let task = try GlobalTask(threadIndex: index, context: context, collector: collector, clock: clock, logger: logger)
        global = task
        let partitions = topics.flatMap { topic in
            (0..<(context.layout.partitionCounts[topic] ?? 0)).map { TopicPartition(topic, $0) }
        }
        try await task.bootstrap(partitions: partitions, admin: admin)
    }
}
