import KafkaClient
import NIOCore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

// The leader's side of ``StreamsAssignor``: from subscriptions to member assignments.
extension StreamsAssignor {
    /// Splits the tasks among the members; see ``StreamsAssignor``. Never throws: problems
    /// (an undecodable member, a missing source topic) become error codes in the assignments.
    package func assign(cluster: AssignmentCluster, subscriptions: [String: MemberSubscription]) async throws
        -> [String: MemberAssignment]
    {
        var result: [String: MemberAssignment] = [:]
        var infos: [String: SubscriptionInfo] = [:]
        for (memberID, subscription) in subscriptions {
            do throws(AssignmentDecodingError) {
                guard let data = subscription.userData else {
                    throw AssignmentDecodingError(message: "SubscriptionInfo", field: "userData", reason: .missing)
                }
                infos[memberID] = try SubscriptionInfo(decoding: data)
            } catch {
                logger.warning(
                    "member's subscription is unreadable; it gets no tasks",
                    metadata: ["member": "\(memberID)", "error": "\(error)"])
                result[memberID] = Self.failed(AssignmentInfo.ErrorCode.unreadableSubscription)
            }
        }
        func failAll(_ code: Int32) -> [String: MemberAssignment] { subscriptions.mapValues { _ in Self.failed(code) } }
        if let member = infos.first(where: { $0.value.errorCode == AssignmentInfo.ErrorCode.shutdownRequested })?.key {
            logger.warning("a member requested shutdown; telling every member", metadata: ["member": "\(member)"])
            return failAll(AssignmentInfo.ErrorCode.shutdownRequested)
        }
        let counts = cluster.partitionCounts
        let missing = layout.missingSourceTopics(partitionCounts: counts)
        guard missing.isEmpty else {
            logger.error("source topics do not exist; the application cannot run", metadata: ["topics": "\(missing)"])
            return failAll(AssignmentInfo.ErrorCode.incompleteSourceTopicMetadata)
        }

        let tasks = layout.tasks(partitionCounts: counts)
        let stateful = Set(tasks.filter(layout.isStateful))
        var membersByProcess: [UUID: [String]] = [:]
        for (memberID, info) in infos { membersByProcess[info.processID, default: []].append(memberID) }
        let offsetSums = membersByProcess.mapValues { members in
            Self.mergedOffsetSums(members.map { infos[$0]!.taskOffsetSums })
        }
        let (lags, lagsKnown) = await computeLags(offsetSums: offsetSums, stateful: stateful)
        let clients = membersByProcess.map { processID, members in
            ClientState(
                processID: processID, capacity: members.count,
                previousActive: Set(members.flatMap { infos[$0]!.activeTasks }),
                previousStandby: Set(members.flatMap { infos[$0]!.standbyTasks }), lags: lags[processID] ?? [:])
        }
        let placement = taskAssignor.assign(tasks: tasks, stateful: stateful, clients: clients)
        let followup = placement.probingRebalanceNeeded || !lagsKnown ? Int64(probingRebalanceInterval / .milliseconds(1)) : -1

        let (partitionsByHost, standbyPartitionsByHost) = hostPartitions(
            placement, membersByProcess: membersByProcess, infos: infos, counts: counts)
        for (processID, unsorted) in membersByProcess {
            let members = unsorted.sorted()
            let active = MemberTaskDistributor.distribute(
                placement.active[processID] ?? [], over: members, previous: infos.mapValues(\.activeTasks))
            let standby = MemberTaskDistributor.distribute(
                placement.allStandby(of: processID), over: members, previous: infos.mapValues(\.standbyTasks))
            for member in members {
                let activeTasks = Dictionary(
                    uniqueKeysWithValues: active[member]!.map {
                        ($0, layout.inputPartitions(of: $0, partitionCounts: counts))
                    })
                let info = AssignmentInfo(
                    activeTasks: activeTasks,
                    standbyTasks: Dictionary(
                        uniqueKeysWithValues: standby[member]!.map { ($0, layout.changelogPartitions(of: $0)) }),
                    partitionsByHost: partitionsByHost, standbyPartitionsByHost: standbyPartitionsByHost,
                    followupRebalanceDelayMs: followup)
                result[member] = MemberAssignment(partitions: activeTasks.values.joined().sorted(), userData: info.encoded())
            }
        }
        return result
    }

    /// Each instance's `application.server` → the input partitions of its active tasks, and
    /// of its standby tasks (warm-ups included), for interactive-query routing.
    func hostPartitions(
        _ placement: TaskPlacement, membersByProcess: [UUID: [String]], infos: [String: SubscriptionInfo],
        counts: [String: Int32]
    ) -> (active: [String: [KafkaClient.TopicPartition]], standby: [String: [KafkaClient.TopicPartition]]) {
        var active: [String: [KafkaClient.TopicPartition]] = [:]
        var standby: [String: [KafkaClient.TopicPartition]] = [:]
        for (processID, members) in membersByProcess {
            guard let host = members.sorted().compactMap({ infos[$0]!.applicationServer }).first else { continue }
            let inputs = { (tasks: Set<TaskId>) in
                tasks.flatMap { self.layout.inputPartitions(of: $0, partitionCounts: counts) }.sorted()
            }
            active[host] = inputs(placement.active[processID] ?? [])
            standby[host] = inputs(placement.allStandby(of: processID))
        }
        return (active, standby)
    }

    /// Each instance's lag per task (see ``ClientState/lags``), and whether the end offsets
    /// could be read (if not, only running actives have a lag: 0).
    func computeLags(offsetSums: [UUID: [TaskId: Int64]], stateful: Set<TaskId>) async -> ([UUID: [TaskId: Int64]], Bool) {
        let restoring = Set(offsetSums.values.flatMap { sums in sums.filter { $0.value != SubscriptionInfo.runningActive }.keys })
            .intersection(stateful)
        var ends: [KafkaClient.TopicPartition: Int64] = [:]
        var known = true
        let partitions = restoring.sorted().flatMap { layout.changelogPartitions(of: $0) }
        if !partitions.isEmpty {
            do {
                ends = try await endOffsets(partitions)
            } catch {
                logger.warning(
                    "cannot read changelog end offsets; scheduling a probing rebalance", metadata: ["error": "\(error)"])
                known = false
            }
        }
        let lags = offsetSums.mapValues { sums in
            var lags: [TaskId: Int64] = [:]
            for (task, sum) in sums where stateful.contains(task) {
                if sum == SubscriptionInfo.runningActive {
                    lags[task] = 0
                } else if known {
                    let end = layout.changelogPartitions(of: task).reduce(Int64(0)) { $0 + max(ends[$1] ?? 0, 0) }
                    lags[task] = sum > end ? end : end - sum
                }
            }
            return lags
        }
        return (lags, known)
    }

    /// One instance's offset sums from its members' reports: a running active wins, else the largest sum.
    static func mergedOffsetSums(_ reports: [[TaskId: Int64]]) -> [TaskId: Int64] {
        var merged: [TaskId: Int64] = [:]
        for report in reports {
            for (task, sum) in report {
                guard let current = merged[task] else {
                    merged[task] = sum
                    continue
                }
                if current == SubscriptionInfo.runningActive || sum == SubscriptionInfo.runningActive {
                    merged[task] = SubscriptionInfo.runningActive
                } else {
                    merged[task] = max(current, sum)
                }
            }
        }
        return merged
    }

    /// An assignment of nothing, with `errorCode`.
    static func failed(_ errorCode: Int32) -> MemberAssignment {
        MemberAssignment(partitions: [], userData: AssignmentInfo(errorCode: errorCode).encoded())
    }
}
