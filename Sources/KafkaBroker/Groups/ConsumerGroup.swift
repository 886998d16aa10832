import KafkaProtocol
import NIOCore

/// A topic and partition, as a dictionary key.
struct TopicPartitionKey: Hashable, Codable, Comparable {
    var topic: String
    var partition: Int32
    static func < (a: Self, b: Self) -> Bool { (a.topic, a.partition) < (b.topic, b.partition) }
}

/// A committed consumer offset.
struct CommittedOffset: Codable, Hashable {
    var offset: Int64
    var leaderEpoch: Int32
    var metadata: String?
    var commitTimestamp: Int64
}

/// The state of a classic consumer group (Kafka's names).
enum GroupPhase: String {
    case empty = "Empty"
    case preparingRebalance = "PreparingRebalance"
    case completingRebalance = "CompletingRebalance"
    case stable = "Stable"
    case dead = "Dead"
}

/// A member of a classic group, with the requests it is waiting on.
final class GroupMember {
    var memberId: String
    var groupInstanceId: String?
    var clientId: String
    var clientHost: String
    var sessionTimeoutMs: Int32
    var rebalanceTimeoutMs: Int32
    var protocolType: String
    var protocols: [(name: String, metadata: ByteBuffer)]
    var assignment = ByteBuffer()
    var lastHeartbeatMs: Int64
    var joinWaiter: CheckedContinuation<JoinGroupResponse, Never>?
    var syncWaiter: CheckedContinuation<SyncGroupResponse, Never>?

    init(memberId: String, groupInstanceId: String?, clientId: String, clientHost: String, request: JoinGroupRequest, now: Int64) {
        self.memberId = memberId
        self.groupInstanceId = groupInstanceId
        self.clientId = clientId
        self.clientHost = clientHost
        sessionTimeoutMs = request.sessionTimeoutMs
        rebalanceTimeoutMs = request.rebalanceTimeoutMs
        protocolType = request.protocolType
        protocols = request.protocols.map { ($0.name, $0.metadata) }
        lastHeartbeatMs = now
    }

    func metadata(for name: String?) -> ByteBuffer {
        protocols.first { $0.name == name }?.metadata ?? ByteBuffer()
    }

    func sameProtocols(as request: JoinGroupRequest) -> Bool {
        protocols.count == request.protocols.count
            && zip(protocols, request.protocols).allSatisfy { $0.name == $1.name && $0.metadata == $1.metadata }
    }
}

/// A classic consumer group: members, generation, chosen protocol, leader, and committed
/// offsets (plus offsets pending in open transactions).
final class ConsumerGroup {
    let groupId: String
    var phase: GroupPhase = .empty
    var generationId: Int32 = 0
    var protocolType: String?
    var protocolName: String?
    var leaderId: String?
    /// Members in join order.
    var members: [GroupMember] = []
    /// Member ids handed out with MEMBER_ID_REQUIRED, not yet joined, with their expiry.
    var pendingMemberIds: [String: Int64] = [:]
    var rebalanceDeadlineMs: Int64 = 0
    var initialDelayUntilMs: Int64 = 0
    var offsets: [TopicPartitionKey: CommittedOffset] = [:]
    /// Offsets written by TxnOffsetCommit, by producer id, applied on commit.
    var pendingTransactionalOffsets: [Int64: [TopicPartitionKey: CommittedOffset]] = [:]

    init(groupId: String) { self.groupId = groupId }

    func member(_ id: String) -> GroupMember? { members.first { $0.memberId == id } }
    func member(instanceId: String) -> GroupMember? { members.first { $0.groupInstanceId == instanceId } }
}
