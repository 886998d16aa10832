/// Kafka's `range` assignor: for each topic, its partitions are split into contiguous
/// ranges over the members subscribed to it, sorted by member id (static members by
/// `group.instance.id`); the first `partitions % members` members get one extra.
///
/// Members with the same subscriptions get the same partition numbers of co-partitioned
/// topics (what joins need). Eager. The same strategy as Java's `RangeAssignor` and
/// librdkafka's `range`.
public struct RangeAssignor: PartitionAssignor {
    /// `range`.
    public let name = "range"

    /// Creates the assignor.
    public init() {}

    /// Assigns each topic's partitions in ranges.
    public func assign(cluster: AssignmentCluster, subscriptions: [String: MemberSubscription]) async throws
        -> [String: MemberAssignment]
    {
        var result = subscriptions.mapValues { _ in MemberAssignment(partitions: []) }
        var byTopic: [String: [MemberSubscription]] = [:]
        for subscription in subscriptions.values {
            for topic in Set(subscription.topics) { byTopic[topic, default: []].append(subscription) }
        }
        for (topic, members) in byTopic {
            guard let count = cluster.partitionCounts[topic], count > 0 else { continue }
            let sorted = members.sorted(by: Self.memberOrder)
            let perMember = Int(count) / sorted.count
            let extra = Int(count) % sorted.count
            var next = 0
            for (index, member) in sorted.enumerated() {
                let length = perMember + (index < extra ? 1 : 0)
                for partition in next..<(next + length) {
                    result[member.memberID]?.partitions.append(TopicPartition(topic, Int32(partition)))
                }
                next += length
            }
        }
        for key in result.keys { result[key]?.partitions.sort() }
        return result
    }

    /// Java's member order (`MemberInfo.compareTo`): static members first, by
    /// `group.instance.id`, then dynamic members by member id.
    static func memberOrder(_ a: MemberSubscription, _ b: MemberSubscription) -> Bool {
        switch (a.groupInstanceID, b.groupInstanceID) {
        case let (x?, y?): return x != y ? x < y : a.memberID < b.memberID
        case (.some, nil): return true
        case (nil, .some): return false
        case (nil, nil): return a.memberID < b.memberID
        }
    }
}
