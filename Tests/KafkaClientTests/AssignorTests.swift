import KafkaProtocol
import NIOCore
import Testing

@testable import KafkaClient

@Suite("Assignors and the consumer protocol")
struct AssignorTests {
    func subscriptions(_ members: [String: [String]]) -> [String: MemberSubscription] {
        Dictionary(uniqueKeysWithValues: members.map { ($0.key, MemberSubscription(memberID: $0.key, topics: $0.value)) })
    }

    func partitions(_ text: String) -> [TopicPartition] {
        text.split(separator: " ").map { item in
            let parts = item.split(separator: "-")
            return TopicPartition(String(parts[0]), Int32(parts[1])!)
        }
    }

    @Test("range: contiguous ranges per topic, the first members get the remainder")
    func range() async throws {
        let result = try await RangeAssignor().assign(
            cluster: AssignmentCluster(partitionCounts: ["a": 3, "b": 3]),
            subscriptions: subscriptions(["m1": ["a", "b"], "m2": ["a", "b"]]))
        #expect(result["m1"]?.partitions == partitions("a-0 a-1 b-0 b-1"))
        #expect(result["m2"]?.partitions == partitions("a-2 b-2"))
    }

    @Test("range: static members sort first, by instance id")
    func rangeStatic() async throws {
        var subs = subscriptions(["m1": ["a"], "m2": ["a"]])
        subs["m2"]?.groupInstanceID = "instance-a"
        let result = try await RangeAssignor().assign(
            cluster: AssignmentCluster(partitionCounts: ["a": 3]), subscriptions: subs)
        #expect(result["m2"]?.partitions == partitions("a-0 a-1"))
        #expect(result["m1"]?.partitions == partitions("a-2"))
    }

    @Test("roundrobin: partitions dealt in turn, skipping members not subscribed")
    func roundRobin() async throws {
        let result = try await RoundRobinAssignor().assign(
            cluster: AssignmentCluster(partitionCounts: ["a": 3, "b": 2]),
            subscriptions: subscriptions(["m1": ["a", "b"], "m2": ["a"], "m3": ["b"]]))
        // Java: a-0→m1, a-1→m2, a-2→m1 (m3 skipped), b-0→m3, b-1→m1.
        #expect(result["m1"]?.partitions == partitions("a-0 a-2 b-1"))
        #expect(result["m2"]?.partitions == partitions("a-1"))
        #expect(result["m3"]?.partitions == partitions("b-0"))
    }

    @Test("roundrobin and range ignore topics that do not exist")
    func missingTopic() async throws {
        let result = try await RoundRobinAssignor().assign(
            cluster: AssignmentCluster(partitionCounts: ["a": 2]), subscriptions: subscriptions(["m1": ["a", "nope"]]))
        #expect(result["m1"]?.partitions == partitions("a-0 a-1"))
        let range = try await RangeAssignor().assign(
            cluster: AssignmentCluster(partitionCounts: [:]), subscriptions: subscriptions(["m1": ["nope"]]))
        #expect(range["m1"]?.partitions == [])
    }

    @Test("cooperative-sticky: a new member gets partitions only after their owner revoked them")
    func cooperativeSticky() async throws {
        let assignor = CooperativeStickyAssignor()
        let cluster = AssignmentCluster(partitionCounts: ["a": 4])
        // Generation 1: m1 alone gets everything.
        let first = try await assignor.assign(cluster: cluster, subscriptions: subscriptions(["m1": ["a"]]))
        #expect(first["m1"]?.partitions == partitions("a-0 a-1 a-2 a-3"))
        // m2 joins; m1 still owns all four: m1 keeps two, the other two are held back.
        var subs = subscriptions(["m1": ["a"], "m2": ["a"]])
        subs["m1"]?.ownedPartitions = partitions("a-0 a-1 a-2 a-3")
        subs["m1"]?.generation = 1
        let second = try await assignor.assign(cluster: cluster, subscriptions: subs)
        let kept = try #require(second["m1"]?.partitions)
        #expect(kept.count == 2)
        #expect(second["m2"]?.partitions == [])
        // m1 revoked the other two and rejoined: m2 gets them, m1 keeps its two.
        subs["m1"]?.ownedPartitions = kept
        subs["m1"]?.generation = 2
        let third = try await assignor.assign(cluster: cluster, subscriptions: subs)
        #expect(third["m1"]?.partitions == kept)
        #expect(Set(third["m2"]?.partitions ?? []) == Set(partitions("a-0 a-1 a-2 a-3")).subtracting(kept))
    }

    @Test("cooperative-sticky: a member that leaves frees its partitions at once; stickiness keeps the rest")
    func cooperativeStickyLeave() async throws {
        var subs = subscriptions(["m1": ["a"], "m2": ["a"], "m3": ["a"]])
        subs["m1"]?.ownedPartitions = partitions("a-0 a-1")
        subs["m2"]?.ownedPartitions = partitions("a-2 a-3")
        subs["m3"]?.ownedPartitions = partitions("a-4 a-5")
        subs["m3"] = nil
        let result = try await CooperativeStickyAssignor().assign(
            cluster: AssignmentCluster(partitionCounts: ["a": 6]), subscriptions: subs)
        let m1 = Set(result["m1"]?.partitions ?? [])
        let m2 = Set(result["m2"]?.partitions ?? [])
        #expect(m1.isSuperset(of: partitions("a-0 a-1")))
        #expect(m2.isSuperset(of: partitions("a-2 a-3")))
        #expect(m1.count == 3 && m2.count == 3)
        #expect(m1.union(m2) == Set(partitions("a-0 a-1 a-2 a-3 a-4 a-5")))
    }

    @Test("subscription bytes are Kafka's consumer protocol v2 (as Java writes them)")
    func subscriptionBytes() throws {
        let bytes = try ConsumerProtocol.encode(
            MemberSubscription(
                memberID: "m", topics: ["ab"], userData: ByteBuffer(bytes: [7]), ownedPartitions: [TopicPartition("ab", 1)],
                generation: 5))
        let expected: [UInt8] =
            [0, 2]  // version
            + [0, 0, 0, 1, 0, 2, 0x61, 0x62]  // topics ["ab"]
            + [0, 0, 0, 1, 7]  // user data
            + [0, 0, 0, 1, 0, 2, 0x61, 0x62, 0, 0, 0, 1, 0, 0, 0, 1]  // owned [ab: [1]]
            + [0, 0, 0, 5]  // generation
        #expect(Array(bytes.readableBytesView) == expected)
        let decoded = try ConsumerProtocol.decodeSubscription(bytes, memberID: "m", groupInstanceID: nil)
        #expect(decoded.topics == ["ab"] && decoded.ownedPartitions == [TopicPartition("ab", 1)] && decoded.generation == 5)
    }

    @Test("a v3 subscription (with a rack id, from newer clients) decodes as v2")
    func newerSubscription() throws {
        var buffer = ByteBuffer(bytes: [0, 3, 0, 0, 0, 1, 0, 1, 0x74, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF])
        buffer.writeBytes([0, 5] + Array("rack1".utf8))
        let decoded = try ConsumerProtocol.decodeSubscription(buffer, memberID: "x", groupInstanceID: "i")
        #expect(decoded.topics == ["t"] && decoded.userData == nil && decoded.generation == -1 && decoded.groupInstanceID == "i")
    }

    @Test("assignment bytes round-trip; empty bytes are an empty assignment; garbage is a typed error")
    func assignmentBytes() throws {
        let bytes = try ConsumerProtocol.encode(MemberAssignment(partitions: [TopicPartition("t", 0), TopicPartition("t", 2)]))
        #expect(
            Array(bytes.readableBytesView) == [
                0, 1, 0, 0, 0, 1, 0, 1, 0x74, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 2, 0xFF, 0xFF, 0xFF, 0xFF,
            ])
        #expect(try ConsumerProtocol.decodeAssignment(bytes).partitions == [TopicPartition("t", 0), TopicPartition("t", 2)])
        #expect(try ConsumerProtocol.decodeAssignment(ByteBuffer()).partitions == [])
        #expect(throws: KafkaClientError.self) {
            try ConsumerProtocol.decodeAssignment(ByteBuffer(bytes: [0, 0, 0x7F, 0, 0, 0]))
        }
    }
}
