/// Kafka's `cooperative-sticky` assignor: a balanced assignment that moves as few
/// partitions as possible, with incremental (cooperative) rebalancing (KIP-429).
///
/// 1. Each member keeps the partitions it owns (``MemberSubscription/ownedPartitions``)
///    that still exist and that it still subscribes to; a partition claimed by two members
///    stays with the one of the higher generation.
/// 2. Unowned partitions go, in topic-partition order, to the least loaded member
///    subscribed to their topic.
/// 3. While some member has at least two partitions more than another member that could
///    take one of them, one moves from the most to the least loaded.
/// 4. Cooperative step: a partition whose owner changes is left out of this round's
///    assignment; its old owner revokes it and rejoins, and the next rebalance assigns it.
///
/// Supports ``RebalanceProtocol/cooperative`` (preferred) and ``RebalanceProtocol/eager``.
/// Group members of other clients (Java, librdkafka) running `cooperative-sticky` can
/// share the group: only the consumer protocol's owned partitions and generation are used.
public struct CooperativeStickyAssignor: PartitionAssignor {
    /// `cooperative-sticky`.
    public let name = "cooperative-sticky"
    /// Cooperative first, eager as a fallback (as Java).
    public var supportedProtocols: [RebalanceProtocol] { [.cooperative, .eager] }

    /// Creates the assignor.
    public init() {}

    /// Computes a sticky, balanced assignment; see the type's description.
    public func assign(cluster: AssignmentCluster, subscriptions: [String: MemberSubscription]) async throws
        -> [String: MemberAssignment]
    {
        let members = subscriptions.values.sorted(by: RangeAssignor.memberOrder)
        let subscribed = Dictionary(uniqueKeysWithValues: members.map { ($0.memberID, Set($0.topics)) })
        let all = cluster.partitions(of: members.flatMap(\.topics))
        let exists = Set(all)
        var owner: [TopicPartition: (member: String, generation: Int32)] = [:]
        for member in members {
            for partition in member.ownedPartitions
            where exists.contains(partition) && subscribed[member.memberID]?.contains(partition.topic) == true {
                if let current = owner[partition], current.generation >= member.generation { continue }
                owner[partition] = (member.memberID, member.generation)
            }
        }
        var assigned: [String: [TopicPartition]] = Dictionary(uniqueKeysWithValues: members.map { ($0.memberID, []) })
        for partition in all {
            if let current = owner[partition] { assigned[current.member, default: []].append(partition) }
        }
        func leastLoaded(for topic: String, excluding: String? = nil) -> String? {
            members.filter { $0.memberID != excluding && subscribed[$0.memberID]?.contains(topic) == true }
                .min { (assigned[$0.memberID]?.count ?? 0) < (assigned[$1.memberID]?.count ?? 0) }?.memberID
        }
        for partition in all where owner[partition] == nil {
            if let member = leastLoaded(for: partition.topic) { assigned[member, default: []].append(partition) }
        }
        // Balance: move partitions from the most loaded member to a less loaded one that
        // subscribes to their topic, while that narrows a gap of two or more.
        var moved = true
        var rounds = 0
        while moved && rounds < all.count * max(members.count, 1) {
            moved = false
            rounds += 1
            for member in members.sorted(by: { (assigned[$0.memberID]?.count ?? 0) > (assigned[$1.memberID]?.count ?? 0) }) {
                let load = assigned[member.memberID]?.count ?? 0
                // Prefer moving partitions the member did not own before (they are not
                // consumed yet), then the highest ones.
                let candidates = (assigned[member.memberID] ?? []).sorted { a, b in
                    let aOwned = owner[a]?.member == member.memberID
                    let bOwned = owner[b]?.member == member.memberID
                    return aOwned != bOwned ? !aOwned : a > b
                }
                for partition in candidates {
                    guard let target = leastLoaded(for: partition.topic, excluding: member.memberID),
                        (assigned[target]?.count ?? 0) + 1 < load
                    else { continue }
                    assigned[member.memberID]?.removeAll { $0 == partition }
                    assigned[target, default: []].append(partition)
                    moved = true
                    break
                }
                if moved { break }
            }
        }
        // Cooperative: a partition still owned by another member is not handed over yet.
        var result: [String: MemberAssignment] = [:]
        for member in members {
            let partitions = (assigned[member.memberID] ?? []).filter { partition in
                guard let current = owner[partition] else { return true }
                return current.member == member.memberID
            }
            result[member.memberID] = MemberAssignment(partitions: partitions.sorted())
        }
        return result
    }
}
