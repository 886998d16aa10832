import KafkaClient
import NIOCore
import Testing

@testable import KafkaStreams

/// The wire format of ``SubscriptionInfo`` and ``AssignmentInfo``.
@Suite("Assignment: encoding")
struct AssignmentCodingTests {
    let subscription = SubscriptionInfo(
        processID: process(7), applicationServer: "host-ü:8080", activeTasks: [task(0, 1), task(2, 0)],
        standbyTasks: [task(1, 3)], taskOffsetSums: [task(0, 1): SubscriptionInfo.runningActive, task(1, 3): 12_345],
        errorCode: 0)
    let assignment = AssignmentInfo(
        activeTasks: [task(0, 1): [KafkaClient.TopicPartition("left", 1), KafkaClient.TopicPartition("right", 1)]],
        standbyTasks: [task(1, 3): [KafkaClient.TopicPartition("app-store-changelog", 3)]],
        partitionsByHost: ["a:1": [KafkaClient.TopicPartition("left", 1)], "b:1": []],
        standbyPartitionsByHost: ["b:1": [KafkaClient.TopicPartition("in", 3)]], followupRebalanceDelayMs: 600_000,
        errorCode: 0)

    @Test("SubscriptionInfo round trip, and equal values encode to equal bytes")
    func subscriptionRoundTrip() throws {
        #expect(try SubscriptionInfo(decoding: subscription.encoded()) == subscription)
        #expect(subscription.encoded() == subscription.encoded())
        let empty = SubscriptionInfo(processID: process(1))
        #expect(try SubscriptionInfo(decoding: empty.encoded()) == empty)
    }

    @Test("AssignmentInfo round trip")
    func assignmentRoundTrip() throws {
        #expect(try AssignmentInfo(decoding: assignment.encoded()) == assignment)
        let empty = AssignmentInfo(errorCode: AssignmentInfo.ErrorCode.unreadableSubscription)
        #expect(try AssignmentInfo(decoding: empty.encoded()) == empty)
    }

    @Test("the encoding starts with version 1")
    func version() {
        #expect(subscription.encoded().getInteger(at: 0, as: Int32.self) == 1)
        #expect(assignment.encoded().getInteger(at: 0, as: Int32.self) == 1)
    }

    @Test("an unknown version is rejected by name")
    func unknownVersion() {
        var bytes = subscription.encoded()
        bytes.setInteger(Int32(99), at: 0)
        #expect(throws: AssignmentDecodingError(message: "SubscriptionInfo", field: "version", reason: .unsupportedVersion(99))) {
            try SubscriptionInfo(decoding: bytes)
        }
    }

    @Test("truncated bytes name the field; every prefix of a valid encoding throws")
    func truncated() {
        let bytes = assignment.encoded()
        #expect(throws: AssignmentDecodingError(message: "AssignmentInfo", field: "errorCode", reason: .truncated)) {
            try AssignmentInfo(decoding: bytes.getSlice(at: 0, length: bytes.readableBytes - 2)!)
        }
        for length in 0..<bytes.readableBytes {
            #expect(throws: AssignmentDecodingError.self) { try AssignmentInfo(decoding: bytes.getSlice(at: 0, length: length)!) }
        }
        let subscriptionBytes = subscription.encoded()
        for length in 0..<subscriptionBytes.readableBytes {
            #expect(throws: AssignmentDecodingError.self) {
                try SubscriptionInfo(decoding: subscriptionBytes.getSlice(at: 0, length: length)!)
            }
        }
    }

    @Test("trailing bytes, negative counts and bad offset sums are rejected")
    func garbled() {
        var trailing = subscription.encoded()
        trailing.writeInteger(UInt8(0))
        #expect(throws: AssignmentDecodingError(message: "SubscriptionInfo", field: "end", reason: .trailingBytes(1))) {
            try SubscriptionInfo(decoding: trailing)
        }
        var negative = ByteBuffer()
        negative.writeInteger(Int32(1))
        negative.writeInteger(Int32(-5))
        #expect(
            throws: AssignmentDecodingError(
                message: "AssignmentInfo", field: "activeTasks", reason: .invalid("negative count -5"))
        ) {
            try AssignmentInfo(decoding: negative)
        }
        let badSum = SubscriptionInfo(processID: process(1), taskOffsetSums: [task(0, 0): -7])
        #expect(throws: AssignmentDecodingError.self) { try SubscriptionInfo(decoding: badSum.encoded()) }
        var huge = ByteBuffer()
        huge.writeInteger(Int32(1))
        huge.writeInteger(Int32.max)
        #expect(throws: AssignmentDecodingError(message: "AssignmentInfo", field: "activeTasks", reason: .truncated)) {
            try AssignmentInfo(decoding: huge)
        }
    }

    @Test("random bytes never crash the decoders")
    func randomBytes() {
        var generator = SystemRandomNumberGenerator()
        let valid = [subscription.encoded(), assignment.encoded()]
        for round in 0..<2_000 {
            var bytes = valid[round % 2]
            // Flip a few bytes of a valid encoding, or use pure noise.
            if round % 3 == 0 {
                bytes = ByteBuffer(
                    bytes: (0..<Int.random(in: 0..<64, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator)
                    })
            } else {
                for _ in 0..<3 {
                    bytes.setInteger(
                        UInt8.random(in: 0...255, using: &generator),
                        at: Int.random(in: 0..<bytes.readableBytes, using: &generator))
                }
            }
            _ = try? SubscriptionInfo(decoding: bytes)
            _ = try? AssignmentInfo(decoding: bytes)
        }
    }

    @Test("the error says what was wrong")
    func errorDescription() {
        let error = AssignmentDecodingError(message: "AssignmentInfo", field: "standbyTasks", reason: .truncated)
        #expect(error.description == "cannot decode AssignmentInfo: standbyTasks: truncated")
    }
}
