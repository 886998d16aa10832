/// Kafka's `roundrobin` assignor: every subscribed partition, sorted by topic and
/// partition, goes to the next member (sorted by member id, round-robin) that subscribes
/// to its topic. Eager. The same strategy as Java's `RoundRobinAssignor` and librdkafka's
/// `roundrobin`.
public struct RoundRobinAssignor: PartitionAssignor {
    /// `roundrobin`.
    public let name = "roundrobin"

    /// Creates the assignor.
    public init() {}

    /// Deals partitions to members in turn.
    public func assign(cluster: AssignmentCluster, subscriptions: [String: MemberSubscription]) async throws
        -> [String: MemberAssignment]
    {
        var result = subscriptions.mapValues { _ in MemberAssignment(partitions: []) }
        let members = subscriptions.values.sorted(by: RangeAssignor.memberOrder)
        guard !members.isEmpty else { return result }
        let subscribed = members.map { Set($0.topics) }
        let all = cluster.partitions(of: members.flatMap(\.topics))
        var next = 0
        for partition in all {
            for step in 0..<members.count {
                let index = (next + step) % members.count
                if subscribed[index].contains(partition.topic) {
                    result[members[index].memberID]?.partitions.append(partition)
                    next = index + 1
                    break
                }
            }
        }
        return result
    }
}
