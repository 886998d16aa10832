import KafkaProtocol
import NIOCore

/// Kafka's consumer protocol (`protocol_type` "consumer"): the subscription a member sends
/// in JoinGroup and the assignment the leader sends in SyncGroup, each an `int16` version
/// followed by the versioned struct — the bytes Java and librdkafka consumers write.
enum ConsumerProtocol {
    /// The protocol type of consumer groups.
    static let protocolType = "consumer"
    /// The subscription version written (v2: owned partitions and generation).
    static let subscriptionVersion: Int16 = 2
    /// The assignment version written.
    static let assignmentVersion: Int16 = 1

    static func encode(_ subscription: MemberSubscription) throws -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeInteger(subscriptionVersion)
        try ConsumerProtocolSubscription(
            topics: subscription.topics, userData: subscription.userData,
            ownedPartitions: grouped(subscription.ownedPartitions).map {
                ConsumerProtocolSubscription.TopicPartition(topic: $0.topic, partitions: $0.partitions)
            },
            generationId: subscription.generation
        ).encode(into: &buffer, version: subscriptionVersion)
        return buffer
    }

    /// Decodes a member's subscription. A newer version than this client knows is read as
    /// the newest it knows (Kafka's rule: newer versions only append fields).
    /// - Throws: ``KafkaClientError`` `protocolViolation` for bytes that are not a subscription.
    static func decodeSubscription(_ bytes: ByteBuffer, memberID: String, groupInstanceID: String?) throws
        -> MemberSubscription
    {
        var buffer = bytes
        do {
            guard let version: Int16 = buffer.readInteger(), version >= 0 else {
                throw ProtocolError(.invalidValue, "no valid version")
            }
            let decoded = try ConsumerProtocolSubscription(
                from: &buffer, version: min(version, ConsumerProtocolSubscription.versions.upperBound))
            return MemberSubscription(
                memberID: memberID, groupInstanceID: groupInstanceID, topics: decoded.topics, userData: decoded.userData,
                ownedPartitions: decoded.ownedPartitions.flatMap { t in t.partitions.map { TopicPartition(t.topic, $0) } },
                generation: decoded.generationId)
        } catch {
            throw KafkaClientError(
                .protocolViolation, "member \(memberID) sent a subscription that is not Kafka's consumer protocol", cause: error)
        }
    }

    static func encode(_ assignment: MemberAssignment) throws -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeInteger(assignmentVersion)
        try ConsumerProtocolAssignment(
            assignedPartitions: grouped(assignment.partitions).map {
                ConsumerProtocolAssignment.TopicPartition(topic: $0.topic, partitions: $0.partitions)
            },
            userData: assignment.userData
        ).encode(into: &buffer, version: assignmentVersion)
        return buffer
    }

    /// Decodes an assignment; empty bytes are an empty assignment (what a coordinator sends
    /// a member the leader left out).
    /// - Throws: ``KafkaClientError`` `protocolViolation` for bytes that are not an assignment.
    static func decodeAssignment(_ bytes: ByteBuffer) throws -> MemberAssignment {
        var buffer = bytes
        if buffer.readableBytes == 0 { return MemberAssignment(partitions: []) }
        do {
            guard let version: Int16 = buffer.readInteger(), version >= 0 else {
                throw ProtocolError(.invalidValue, "no valid version")
            }
            let decoded = try ConsumerProtocolAssignment(
                from: &buffer, version: min(version, ConsumerProtocolAssignment.versions.upperBound))
            return MemberAssignment(
                partitions: decoded.assignedPartitions.flatMap { t in t.partitions.map { TopicPartition(t.topic, $0) } },
                userData: decoded.userData)
        } catch {
            throw KafkaClientError(
                .protocolViolation, "the group sent an assignment that is not Kafka's consumer protocol", cause: error)
        }
    }

    static func grouped(_ partitions: [TopicPartition]) -> [(topic: String, partitions: [Int32])] {
        Dictionary(grouping: partitions, by: \.topic)
            .map { (topic: $0.key, partitions: $0.value.map(\.partition).sorted()) }
            .sorted { $0.topic < $1.topic }
    }
}
