import Testing

@testable import KafkaProtocol

@Suite("Kafka error codes")
struct ErrorCodeTests {
    @Test("the table covers every code from -1 to 133 once, with unique UPPER_SNAKE names")
    func table() {
        let all = KafkaErrorCode.allKnown
        #expect(all.map(\.code) == Array(-1...133))
        #expect(Set(all.map(\.name)).count == all.count)
        #expect(all.allSatisfy { $0.name.allSatisfy { $0.isUppercase || $0 == "_" } })
        #expect(all.allSatisfy { $0.code == 0 ? $0.message.isEmpty : !$0.message.isEmpty })
        #expect(all.allSatisfy { KafkaErrorCode(code: $0.code).name == $0.name && $0.isKnown })
    }

    @Test("lookup by code gives Kafka's name, message and retriability")
    func lookup() {
        let notLeader = KafkaErrorCode(code: 6)
        #expect(notLeader == .notLeaderOrFollower)
        #expect(notLeader.name == "NOT_LEADER_OR_FOLLOWER")
        #expect(notLeader.isRetriable)
        #expect(notLeader.message.hasPrefix("For requests intended only for the leader"))
        #expect(KafkaErrorCode(code: -1) == .unknownServerError)
        #expect(KafkaErrorCode(code: -1).name == "UNKNOWN_SERVER_ERROR")
        #expect(KafkaErrorCode(code: 0) == .none)
        #expect(!KafkaErrorCode.none.isError)
        #expect(KafkaErrorCode(code: 1).name == "OFFSET_OUT_OF_RANGE")
        #expect(KafkaErrorCode(code: 22) == .illegalGeneration)
        #expect(KafkaErrorCode(code: 36).message == "Topic with this name already exists.")
        #expect(KafkaErrorCode(code: 90) == .producerFenced)
        #expect(KafkaErrorCode(code: 133).name == "SHARE_SESSION_LIMIT_REACHED")
        #expect(KafkaErrorCode.invalidTopicException.code == 17)
        #expect(KafkaErrorCode.kafkaStorageError.code == 56)
        #expect(KafkaErrorCode.notLeaderOrFollower.description == "NOT_LEADER_OR_FOLLOWER (6)")
    }

    @Test("unknown codes produce UNKNOWN_<code>, not retriable")
    func unknownCodes() {
        for code: Int16 in [134, 999, -2, Int16.max, Int16.min] {
            let error = KafkaErrorCode(code: code)
            #expect(error.name == "UNKNOWN_\(code)")
            #expect(error.code == code)
            #expect(!error.isRetriable)
            #expect(!error.isKnown)
            #expect(error.isError)
        }
    }

    @Test("exactly Kafka's retriable errors are retriable (RetriableException subclasses)")
    func retriable() {
        let retriable: Set<Int16> = [
            2, 3, 5, 6, 7, 9, 13, 14, 15, 16, 19, 20, 41, 51, 56, 70, 71, 72, 74, 75, 78, 80, 83, 84, 88, 89,
            100, 103, 106, 122, 123, 133,
        ]
        #expect(Set(KafkaErrorCode.allKnown.filter(\.isRetriable).map(\.code)) == retriable)
        #expect(!KafkaErrorCode.unknownServerError.isRetriable)
        #expect(!KafkaErrorCode.offsetOutOfRange.isRetriable)
        #expect(!KafkaErrorCode.rebalanceInProgress.isRetriable)
        #expect(!KafkaErrorCode.producerFenced.isRetriable)
        #expect(KafkaErrorCode.coordinatorLoadInProgress.isRetriable)
        #expect(KafkaErrorCode.unknownTopicOrPartition.isRetriable)
    }

    @Test("KafkaError carries the code, context and source location")
    func kafkaError() {
        let error = KafkaError(.notLeaderOrFollower, broker: "localhost:9092", api: "Produce", topic: "payments", partition: 3)
        #expect(error.isRetriable)
        #expect(error.code == .notLeaderOrFollower)
        #expect(error.file.hasSuffix("ErrorCodeTests.swift"))
        #expect(error.line > 0)
        #expect(
            error.description.hasPrefix(
                "NOT_LEADER_OR_FOLLOWER (6) in Produce from broker localhost:9092 for payments-3: For requests intended only"))
        let fromWire = KafkaError(code: 29, message: "Not authorized to access topics: [secret]", topic: "secret")
        #expect(fromWire.code == .topicAuthorizationFailed)
        #expect(!fromWire.isRetriable)
        #expect(
            fromWire.description.contains("TOPIC_AUTHORIZATION_FAILED (29) for secret: Not authorized to access topics: [secret]")
        )
        let unknown = KafkaError(code: 500)
        #expect(unknown.description.hasPrefix("UNKNOWN_500 (500)"))
    }
}
