import KafkaClient
import NIOConcurrencyHelpers
import NIOCore
import Testing

@testable import KafkaStreams

/// Bad input on both sides of the assignor never crashes or throws.
@Suite("Assignment: errors and the member side")
struct AssignmentErrorTests {
    struct Unavailable: Error {}

    func assignor(
        endOffsets: @escaping @Sendable ([KafkaClient.TopicPartition]) async throws -> [KafkaClient.TopicPartition: Int64] = {
            _ in [:]
        },
        received: NIOLockedValueBox<[StreamsAssignment]> = NIOLockedValueBox([])
    ) -> StreamsAssignor {
        StreamsAssignor(
            processID: process(1), applicationServer: "me:1", layout: statefulLayout(), endOffsets: endOffsets,
            localState: { LocalTaskState(activeTasks: tasks(1), standbyTasks: tasks(2), taskOffsetSums: [task(0, 2): 40]) },
            onAssignment: { assignment in received.withLockedValue { $0.append(assignment) } })
    }

    func subscription(_ id: String, _ userData: ByteBuffer?) -> MemberSubscription {
        MemberSubscription(memberID: id, topics: ["in"], userData: userData)
    }

    @Test("a member with unreadable user data gets nothing and an error code; the others share the tasks")
    func unreadableMember() async throws {
        let good = SubscriptionInfo(processID: process(2)).encoded()
        let result = try await assignor().assign(
            cluster: AssignmentCluster(partitionCounts: ["in": 4]),
            subscriptions: [
                "bad": subscription("bad", ByteBuffer(bytes: [0, 0, 0, 1, 2])), "none": subscription("none", nil),
                "good": subscription("good", good),
            ])
        #expect(result["bad"]!.partitions.isEmpty)
        #expect(
            try AssignmentInfo(decoding: result["bad"]!.userData!).errorCode == AssignmentInfo.ErrorCode.unreadableSubscription)
        #expect(
            try AssignmentInfo(decoding: result["none"]!.userData!).errorCode == AssignmentInfo.ErrorCode.unreadableSubscription)
        #expect(try AssignmentInfo(decoding: result["good"]!.userData!).activeTasks.keys.sorted() == tasks(0, 1, 2, 3).sorted())
    }

    @Test("a missing source topic gives every member incompleteSourceTopicMetadata")
    func missingSourceTopic() async throws {
        let result = try await assignor().assign(
            cluster: AssignmentCluster(partitionCounts: [:]),
            subscriptions: ["a": subscription("a", SubscriptionInfo(processID: process(2)).encoded())])
        #expect(
            try AssignmentInfo(decoding: result["a"]!.userData!).errorCode
                == AssignmentInfo.ErrorCode.incompleteSourceTopicMetadata)
        #expect(result["a"]!.partitions.isEmpty)
    }

    @Test("a member requesting shutdown: every member gets shutdownRequested")
    func shutdownRequested() async throws {
        let stop = SubscriptionInfo(processID: process(2), errorCode: AssignmentInfo.ErrorCode.shutdownRequested).encoded()
        let result = try await assignor().assign(
            cluster: AssignmentCluster(partitionCounts: ["in": 2]),
            subscriptions: [
                "a": subscription("a", stop), "b": subscription("b", SubscriptionInfo(processID: process(3)).encoded()),
            ])
        #expect(try AssignmentInfo(decoding: result["b"]!.userData!).errorCode == AssignmentInfo.ErrorCode.shutdownRequested)
    }

    @Test("end offsets that cannot be read: running actives stay, a probing rebalance is scheduled")
    func endOffsetsFail() async throws {
        let running = SubscriptionInfo(
            processID: process(2), activeTasks: tasks(0, 1), taskOffsetSums: [task(0, 0): -2, task(0, 1): -2])
        let restored = SubscriptionInfo(processID: process(3), taskOffsetSums: [task(0, 0): 990])
        let result = try await assignor(endOffsets: { _ in throw Unavailable() }).assign(
            cluster: AssignmentCluster(partitionCounts: ["in": 2]),
            subscriptions: ["a": subscription("a", running.encoded()), "b": subscription("b", restored.encoded())])
        let a = try AssignmentInfo(decoding: result["a"]!.userData!)
        #expect(a.activeTasks.keys.sorted() == [task(0, 0), task(0, 1)])
        #expect(a.followupRebalanceDelayMs == 600_000)
    }

    @Test("subscription user data: this thread's local state and the instance's identity")
    func subscriptionUserData() async throws {
        let bytes = await assignor().subscriptionUserData(topics: ["in"])
        let info = try SubscriptionInfo(decoding: bytes!)
        #expect(
            info
                == SubscriptionInfo(
                    processID: process(1), applicationServer: "me:1", activeTasks: tasks(1), standbyTasks: tasks(2),
                    taskOffsetSums: [task(0, 2): 40]))
        #expect(assignor().name == "stream")
        #expect(assignor().supportedProtocols == [.eager])
    }

    @Test("onAssignment passes the decoded info, or the decoding error, to the runtime")
    func onAssignment() async throws {
        let received = NIOLockedValueBox<[StreamsAssignment]>([])
        let assignor = assignor(received: received)
        let info = AssignmentInfo(activeTasks: [task(0, 1): [KafkaClient.TopicPartition("in", 1)]])
        await assignor.onAssignment(
            MemberAssignment(partitions: [KafkaClient.TopicPartition("in", 1)], userData: info.encoded()), generation: 3)
        await assignor.onAssignment(MemberAssignment(partitions: [], userData: ByteBuffer(bytes: [0, 0, 0, 9])), generation: 4)
        await assignor.onAssignment(MemberAssignment(partitions: []), generation: 5)
        let got = received.withLockedValue { $0 }
        #expect(got.count == 3)
        #expect(got[0].generation == 3 && got[0].partitions == [KafkaClient.TopicPartition("in", 1)])
        #expect(try got[0].info.get() == info)
        #expect(throws: AssignmentDecodingError(message: "AssignmentInfo", field: "version", reason: .unsupportedVersion(9))) {
            try got[1].info.get()
        }
        #expect(throws: AssignmentDecodingError(message: "AssignmentInfo", field: "userData", reason: .missing)) {
            try got[2].info.get()
        }
    }
}
