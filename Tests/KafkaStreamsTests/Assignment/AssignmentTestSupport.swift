import KafkaClient
import NIOCore

@testable import KafkaStreams

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Process id number `n` (sorts by `n` for n < 10).
func process(_ n: Int) -> UUID { UUID(uuidString: "00000000-0000-0000-0000-00000000000\(n)")! }

/// Task `s_p`.
func task(_ subtopology: Int, _ partition: Int32) -> TaskId { TaskId(subtopology: subtopology, partition: partition) }

/// Tasks `0_p` for each p.
func tasks(_ partitions: Int32...) -> Set<TaskId> { Set(partitions.map { task(0, $0) }) }

/// One simulated stream thread: its member id and what it reports.
struct TestMember {
    var id: String
    var info: SubscriptionInfo

    init(
        _ id: String, process n: Int, host: String? = nil, active: Set<TaskId> = [], standby: Set<TaskId> = [],
        offsetSums: [TaskId: Int64] = [:]
    ) {
        self.id = id
        self.info = SubscriptionInfo(
            processID: process(n), applicationServer: host, activeTasks: active, standbyTasks: standby,
            taskOffsetSums: offsetSums)
    }
}

/// The outcome of one rebalance: every member's partitions and decoded info.
struct TestRebalance {
    var partitions: [String: [KafkaClient.TopicPartition]]
    var infos: [String: AssignmentInfo]

    /// The active tasks of the members whose id starts with `prefix` (one instance's threads).
    func active(_ prefix: String) -> Set<TaskId> {
        Set(infos.filter { $0.key.hasPrefix(prefix) }.flatMap { $0.value.activeTasks.keys })
    }

    /// The standby tasks (warm-ups included) of the members whose id starts with `prefix`.
    func standby(_ prefix: String) -> Set<TaskId> {
        Set(infos.filter { $0.key.hasPrefix(prefix) }.flatMap { $0.value.standbyTasks.keys })
    }

    /// The follow-up delays sent, deduplicated.
    var followups: Set<Int64> { Set(infos.values.map(\.followupRebalanceDelayMs)) }
}

/// A stateless sub-topology 0 reading `in` (8 partitions unless told).
func statelessLayout() -> TaskLayout { TaskLayout(sourceTopics: [0: ["in"]]) }

/// A stateful sub-topology 0 reading `in`, with changelog `app-store-changelog`.
func statefulLayout() -> TaskLayout {
    TaskLayout(sourceTopics: [0: ["in"]], changelogTopics: [0: ["app-store-changelog"]])
}

/// Runs the leader's assignment for `members` and decodes every member's info.
func rebalance(
    _ members: [TestMember], layout: TaskLayout, partitions: Int32 = 8, numStandbyReplicas: Int = 0, maxWarmupReplicas: Int = 2,
    endOffset: Int64 = 1000, extraCounts: [String: Int32] = [:]
) async throws -> TestRebalance {
    let assignor = StreamsAssignor(
        processID: process(9), layout: layout, numStandbyReplicas: numStandbyReplicas, maxWarmupReplicas: maxWarmupReplicas,
        endOffsets: { partitions in Dictionary(uniqueKeysWithValues: partitions.map { ($0, endOffset) }) },
        localState: { LocalTaskState() }, onAssignment: { _ in })
    var counts = Dictionary(uniqueKeysWithValues: layout.allSourceTopics.map { ($0, partitions) })
    counts.merge(extraCounts) { $1 }
    let subscriptions = Dictionary(
        uniqueKeysWithValues: members.map { member in
            (member.id, MemberSubscription(memberID: member.id, topics: layout.allSourceTopics, userData: member.info.encoded()))
        })
    let result = try await assignor.assign(cluster: AssignmentCluster(partitionCounts: counts), subscriptions: subscriptions)
    return TestRebalance(
        partitions: result.mapValues(\.partitions), infos: try result.mapValues { try AssignmentInfo(decoding: $0.userData!) })
}
