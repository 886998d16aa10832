import KafkaClient
import NIOConcurrencyHelpers

/// Connects a thread's ``StreamsAssignor`` (created before the thread, as part of its
/// consumer's configuration) to the thread once it exists.
final class ThreadAssignmentBridge: Sendable {
    let thread = NIOLockedValueBox<StreamThread?>(nil)
}

extension StreamThread {
    /// The Streams assignor for a thread: task-aware, sticky, with standbys and warm-ups.
    static func makeAssignor(context: RuntimeContext, admin: KafkaAdmin, bridge: ThreadAssignmentBridge) -> StreamsAssignor {
        var sources: [Int: [String]] = [:]
        var changelogs: [Int: [String]] = [:]
        for sub in context.layout.subtopologies where !sub.isGlobal {
            sources[sub.id] = sub.sourceTopics
            changelogs[sub.id] = sub.changelogTopics.values.sorted()
        }
        let config = context.config
        let isolation: IsolationLevel = config.processingGuarantee == .exactlyOnceV2 ? .readCommitted : .readUncommitted
        return StreamsAssignor(
            processID: context.processID, applicationServer: config.applicationServer,
            layout: TaskLayout(sourceTopics: sources, changelogTopics: changelogs),
            numStandbyReplicas: config.numStandbyReplicas, acceptableRecoveryLag: config.acceptableRecoveryLag,
            maxWarmupReplicas: config.maxWarmupReplicas, probingRebalanceInterval: config.probingRebalanceInterval,
            endOffsets: { partitions in
                guard !partitions.isEmpty else { return [:] }
                return try await admin.listOffsets(
                    Dictionary(uniqueKeysWithValues: partitions.map { ($0, OffsetSpec.latest) }), isolation: isolation
                ).mapValues(\.offset)
            },
            localState: { await bridge.thread.withLockedValue { $0 }?.localTaskState() ?? LocalTaskState() },
            onAssignment: { assignment in await bridge.thread.withLockedValue { $0 }?.received(assignment) })
    }

    /// What this thread reports in its subscription: its tasks, and the checkpointed
    /// changelog offsets of every task whose state is in the state directory (running
    /// active tasks count as caught up).
    func localTaskState() -> LocalTaskState {
        var sums: [TaskId: Int64] = [:]
        for (id, directory) in context.stateDirectory.taskDirectories() where id.partition >= 0 {
            guard let offsets = try? OffsetCheckpoint(path: directory + "/.checkpoint").read(), !offsets.isEmpty else { continue }
            sums[id] = offsets.values.reduce(0, +)
        }
        for (id, standby) in standbys {
            let offsets = standby.stateManager.currentOffsets
            if !offsets.isEmpty { sums[id] = offsets.values.reduce(0, +) }
        }
        for id in active.keys where !restoringTasks.contains(id) { sums[id] = SubscriptionInfo.runningActive }
        return LocalTaskState(activeTasks: Set(active.keys), standbyTasks: Set(standbys.keys), taskOffsetSums: sums)
    }

    /// Takes the assignment the leader sent (before the rebalance callbacks run).
    func received(_ assignment: StreamsAssignment) async {
        switch assignment.info {
        case .failure(let error):
            assignmentError = StreamsError(.illegalState, "the group leader's assignment could not be read: \(error)")
        case .success(let info):
            switch info.errorCode {
            case 0:
                assignedActives = info.activeTasks.mapValues { Set($0) }
                assignedStandbys = Set(info.standbyTasks.keys)
                partitionsByHost = info.partitionsByHost.mapValues { Set($0) }
                standbyPartitionsByHost = info.standbyPartitionsByHost.mapValues { Set($0) }
                if info.followupRebalanceDelayMs >= 0 {
                    followupRebalanceAt = ContinuousClock.now + .milliseconds(info.followupRebalanceDelayMs)
                }
            case AssignmentInfo.ErrorCode.incompleteSourceTopicMetadata:
                assignmentError = StreamsError(
                    .missingSourceTopic, "the group leader found a source topic missing; create the topology's input topics")
            default:
                assignmentError = StreamsError(.illegalState, "the group leader's assignment carries error code \(info.errorCode)")
            }
        }
    }

    /// Starts the probing rebalance the assignor asked for, once due.
    func maybeProbe() async {
        guard let due = followupRebalanceAt, ContinuousClock.now >= due else { return }
        followupRebalanceAt = nil
        await consumer.enforceRebalance(reason: "probing rebalance: checking whether warm-up replicas caught up")
    }
}
