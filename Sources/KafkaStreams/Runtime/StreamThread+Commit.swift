import KafkaClient

extension StreamThread {
    /// Commits every active task: flushes stores and caches (which may produce records),
    /// sends what is pending, then
    /// - at-least-once: waits for the producer's acknowledgements, records the changelog
    ///   offsets, writes each task's checkpoint and commits the consumed offsets;
    /// - exactly-once: sends the consumed offsets to the transaction, commits it and
    ///   begins the next one.
    /// - Throws: ``StreamsError`` if a store fails or the client does (a fenced producer
    ///   under exactly-once surfaces here).
    func commit() async throws {
        let start = ContinuousClock.now
        defer { lastCommit = ContinuousClock.now }
        for task in active.values where !restoringTasks.contains(task.id) {
            try task.task.flush()
            task.task.commitRequested = false
        }
        try await sendPending()
        var offsets: [TopicPartition: OffsetAndMetadata] = [:]
        for task in active.values where task.hasUncommitted {
            for (tp, offset) in task.consumedOffsets { offsets[tp] = OffsetAndMetadata(offset) }
        }
        do {
            if exactlyOnce {
                if !offsets.isEmpty {
                    if !transactionOpen { try await beginTransaction() }
                    try await producer.sendOffsetsToTransaction(offsets, group: try await consumer.groupMetadata())
                }
                if transactionOpen {
                    try await producer.commitTransaction()
                    transactionOpen = false
                }
                recordChangelogOffsets(await producer.lastAcknowledgedOffsets(collector.changelogPartitionsWritten))
            } else {
                try await producer.flush()
                recordChangelogOffsets(await producer.lastAcknowledgedOffsets(collector.changelogPartitionsWritten))
                for task in active.values where !restoringTasks.contains(task.id) { try task.stateManager.checkpoint() }
                if !offsets.isEmpty { try await consumer.commitSync(offsets) }
            }
        } catch let error as StreamsError {
            throw error
        } catch {
            throw StreamsError(.client, "commit failed: \(error)", cause: error)
        }
        for task in active.values { task.committed() }
        await recordLag()
        if !offsets.isEmpty || exactlyOnce { metrics.commit.recordInterval(since: start) }
    }

    /// Updates the lag gauge from the consumer's latest high watermarks.
    private func recordLag() async {
        var lag: Int64 = 0
        for task in active.values {
            for tp in task.partitions {
                guard let marks = await consumer.watermarks(tp), let position = task.consumedOffsets[tp] else { continue }
                lag += max(0, marks.highWatermark - position)
            }
        }
        metrics.lag.record(lag)
    }

    /// Opens a transaction before the first record of a commit interval (exactly-once).
    func beginTransaction() async throws {
        do { try await producer.beginTransaction() } catch {
            throw StreamsError(.client, "could not begin a transaction: \(error)", cause: error)
        }
        transactionOpen = true
    }

    private func recordChangelogOffsets(_ offsets: [TopicPartition: Int64]) {
        guard !offsets.isEmpty else { return }
        for task in active.values { task.stateManager.changelogOffsetsWritten(offsets) }
        collector.resetChangelogPartitions()
    }
}
