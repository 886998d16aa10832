import NIOCore

/// How a group member gives up partitions in a rebalance.
public enum RebalanceProtocol: Sendable, Hashable {
    /// Every member revokes all its partitions before rejoining (Java's `EAGER`).
    case eager
    /// Members keep their partitions while rejoining and revoke only those the new
    /// assignment moves elsewhere; a second rebalance hands those out (KIP-429,
    /// incremental rebalancing).
    case cooperative
}

/// One member's subscription as the group leader's assignor sees it (Kafka's
/// `ConsumerPartitionAssignor.Subscription`).
public struct MemberSubscription: Sendable, Hashable {
    /// The member id the coordinator gave the member.
    public var memberID: String
    /// The member's `group.instance.id`, if it is a static member.
    public var groupInstanceID: String?
    /// The topics the member subscribes to.
    public var topics: [String]
    /// What the member's assignor put in ``PartitionAssignor/subscriptionUserData(topics:)``.
    public var userData: ByteBuffer?
    /// The partitions the member owns now (sent from subscription version 1 on; empty for
    /// eager members, which revoke everything before joining).
    public var ownedPartitions: [TopicPartition]
    /// The generation of ``ownedPartitions`` (subscription version 2; -1 if unknown).
    public var generation: Int32

    /// Creates a subscription.
    public init(
        memberID: String, groupInstanceID: String? = nil, topics: [String], userData: ByteBuffer? = nil,
        ownedPartitions: [TopicPartition] = [], generation: Int32 = -1
    ) {
        self.memberID = memberID
        self.groupInstanceID = groupInstanceID
        self.topics = topics
        self.userData = userData
        self.ownedPartitions = ownedPartitions
        self.generation = generation
    }
}

/// One member's share of an assignment (Kafka's `ConsumerPartitionAssignor.Assignment`).
public struct MemberAssignment: Sendable, Hashable {
    /// The partitions the member consumes.
    public var partitions: [TopicPartition]
    /// Assignor data for the member (the Streams runtime sends task ids and host info here).
    public var userData: ByteBuffer?

    /// Creates an assignment.
    public init(partitions: [TopicPartition], userData: ByteBuffer? = nil) {
        self.partitions = partitions
        self.userData = userData
    }
}

/// What the leader knows when it assigns: the partition count of every subscribed topic
/// (topics that do not exist are left out) and the whole cluster metadata.
public struct AssignmentCluster: Sendable {
    /// Partition counts by topic, for the topics the members subscribe to.
    public var partitionCounts: [String: Int32]
    /// The metadata the counts come from (brokers, leaders, replicas).
    public var metadata: ClusterMetadata

    /// Creates the input of an assignment.
    public init(partitionCounts: [String: Int32], metadata: ClusterMetadata = ClusterMetadata()) {
        self.partitionCounts = partitionCounts
        self.metadata = metadata
    }

    /// Every partition of `topics` that exists, sorted by topic then partition.
    public func partitions(of topics: some Sequence<String>) -> [TopicPartition] {
        Set(topics).sorted().flatMap { topic in
            (0..<(partitionCounts[topic] ?? 0)).map { TopicPartition(topic, $0) }
        }
    }
}

/// A consumer-group partition assignor (Kafka's `ConsumerPartitionAssignor`), run by the
/// group leader to split the subscribed topics' partitions among the members.
///
/// Every member offers its assignors (``ConsumerConfig/assignors``) by ``name``; the
/// coordinator picks one that all members support, and the leader runs its ``assign(cluster:subscriptions:)``.
/// The wire formats are Kafka's consumer protocol, byte-compatible with Java and librdkafka
/// consumers: an assignor named `range` here and in librdkafka is the same strategy.
///
/// **Life cycle in one rebalance**, as in Java:
/// 1. Each member calls ``subscriptionUserData(topics:)`` and sends the bytes, with its
///    topics and owned partitions, in JoinGroup.
/// 2. The leader calls ``assign(cluster:subscriptions:)`` with every member's
///    ``MemberSubscription`` (user data included) and sends the result in SyncGroup.
/// 3. Each member calls ``onAssignment(_:generation:)`` with its ``MemberAssignment``
///    (user data included) before its rebalance callbacks run.
///
/// **Cooperative assignors** (``supportedProtocols`` contains ``RebalanceProtocol/cooperative``)
/// must not give a partition to a new owner in the same rebalance in which its previous
/// owner (``MemberSubscription/ownedPartitions``) still holds it: leave it unassigned, the
/// previous owner revokes it and rejoins, and the next rebalance hands it out. The consumer
/// checks this and fails the rebalance otherwise.
///
/// A Streams-style assignor keeps state (what it sent, what it got) in an actor or a
/// lock-protected class; the methods are `async` for that reason. Assignments for members
/// not in `subscriptions` are ignored; members left out get nothing.
///
/// ```swift
/// struct EverythingToTheLeader: PartitionAssignor {
///     let name = "everything-to-leader"
///     func assign(cluster: AssignmentCluster, subscriptions: [String: MemberSubscription]) async throws
///         -> [String: MemberAssignment]
///     {
///         let first = subscriptions.keys.sorted().first
///         return subscriptions.mapValues { subscription in
///             MemberAssignment(partitions: subscription.memberID == first ? cluster.partitions(of: subscription.topics) : [])
///         }
///     }
/// }
/// ```
public protocol PartitionAssignor: Sendable {
    /// The protocol name in JoinGroup (`range`, `roundrobin`, `cooperative-sticky`, ...):
    /// unique among a member's assignors, and equal for assignors that must interoperate.
    var name: String { get }
    /// The rebalance protocols the assignor supports, preferred first. The consumer uses
    /// the first protocol that every assignor it offers supports (Java's rule).
    var supportedProtocols: [RebalanceProtocol] { get }
    /// The assignor's metadata version (Kafka's `version()`), for assignors that evolve
    /// their user data format; informational.
    var version: Int16 { get }
    /// Bytes this member sends to the leader with its subscription (default: none).
    func subscriptionUserData(topics: Set<String>) async -> ByteBuffer?
    /// Splits partitions among members; runs on the leader only.
    /// - Parameters:
    ///   - cluster: the partition counts of the subscribed topics.
    ///   - subscriptions: every member's subscription, by member id.
    /// - Returns: each member's assignment, by member id.
    /// - Throws: any error; the rebalance fails and the leader rejoins.
    func assign(cluster: AssignmentCluster, subscriptions: [String: MemberSubscription]) async throws
        -> [String: MemberAssignment]
    /// Tells the assignor what this member got (default: nothing).
    func onAssignment(_ assignment: MemberAssignment, generation: Int32) async
}

extension PartitionAssignor {
    /// Eager only.
    public var supportedProtocols: [RebalanceProtocol] { [.eager] }
    /// Version 0.
    public var version: Int16 { 0 }
    /// No user data.
    public func subscriptionUserData(topics: Set<String>) async -> ByteBuffer? { nil }
    /// Does nothing.
    public func onAssignment(_ assignment: MemberAssignment, generation: Int32) async {}
}
