import Foundation
import KafkaClient
import KafkaProtocol
import Testing

/// KafkaAdmin against librdkafka's 3-broker mock cluster (one for the suite): requests to
/// partition leaders on several brokers, leader moves, injected errors.
@Suite(.serialized, .sharedMockCluster) struct AdminMockClusterTests {
    var mock: MockCluster { get throws { try #require(AdminMockScope.cluster) } }

    /// A 3-partition topic, replicated on all brokers, partition p led by broker p+1, with
    /// `counts[p]` records.
    func makeTopic(_ prefix: String, counts: [Int32: Int] = [:]) throws -> String {
        let mock = try mock
        let topic = adminTopic(prefix)
        try mock.command("create-topic \(topic) 3 3")
        for partition in 0..<3 { try mock.command("leader \(topic) \(partition) \(partition + 1)") }
        if !counts.isEmpty { try adminProduce(bootstrap: mock.addresses, topic: topic, counts: counts) }
        return topic
    }

    /// ListOffsets requests since `clear-requests`, as the brokers that received them.
    func listOffsetsBrokers() throws -> [Int32] {
        try mockRequests(try mock).filter { $0.apiKey == ListOffsetsRequest.apiKey }.map(\.broker)
    }

    @Test func describeClusterFallsBackToMetadata() async throws {
        let mock = try mock
        // 120 s: the suite's first request has taken close to 40 s when the whole test run
        // starts at once on a loaded 2-core machine (not understood yet; alone it takes 1 s).
        try await withAdmin(mock.addresses, timeout: .seconds(120)) { admin in
            let cluster = try await admin.describeCluster()
            #expect(cluster.brokers.map(\.id) == [1, 2, 3])
            let advertised = Set(try BrokerAddress.list(mock.addresses))
            #expect(Set(cluster.brokers.map(\.address)) == advertised)
            // The mock advertises no DescribeCluster API; Metadata gave the answer, and its
            // default controller id (0) is no broker.
            #expect(cluster.controller == nil)
            try mock.command("controller 2")
            #expect(try await admin.describeCluster().controller?.id == 2)
        }
    }

    @Test func describesTopicsAndListsOffsetsFromEachLeader() async throws {
        let mock = try mock
        let topic = try makeTopic("spread", counts: [0: 3, 1: 5, 2: 7])
        try await withAdmin(mock.addresses) { admin in
            let description = try await admin.describeTopic(topic)
            #expect(description.partitions.map(\.partition) == [0, 1, 2])
            #expect(description.partitions.map(\.leader) == [1, 2, 3])
            for partition in description.partitions {
                #expect(Set(partition.replicas) == [1, 2, 3])
                #expect(Set(partition.isr) == [1, 2, 3])
            }
            #expect(try await admin.listTopics().contains(topic))

            try mock.command("track-requests on")
            try mock.command("clear-requests")
            let partitions = (0..<3).map { TopicPartition(topic, Int32($0)) }
            let latest = try await admin.listOffsets(Dictionary(uniqueKeysWithValues: partitions.map { ($0, OffsetSpec.latest) }))
            #expect(partitions.map { latest[$0]?.offset } == [3, 5, 7])
            // One request per leader, each to its own broker.
            #expect(try listOffsetsBrokers().sorted() == [1, 2, 3])

            let earliest = try await admin.listOffsets(
                Dictionary(uniqueKeysWithValues: partitions.map { ($0, OffsetSpec.earliest) }))
            #expect(partitions.map { earliest[$0]?.offset } == [0, 0, 0])
            try mock.command("track-requests off")
        }
    }

    @Test func followsALeaderThatMoved() async throws {
        let mock = try mock
        let topic = try makeTopic("moved", counts: [0: 4])
        let p0 = TopicPartition(topic, 0)
        try await withAdmin(mock.addresses) { admin in
            #expect(try await admin.listOffsets([p0: .latest])[p0]?.offset == 4)
            try mock.command("leader \(topic) 0 3")
            try mock.command("track-requests on")
            try mock.command("clear-requests")
            // The cached metadata still names broker 1; it answers NOT_LEADER_OR_FOLLOWER, the
            // admin refreshes and asks broker 3.
            #expect(try await admin.listOffsets([p0: .latest])[p0]?.offset == 4)
            #expect(try listOffsetsBrokers() == [1, 3])
            #expect(try await admin.describeTopic(topic).partitions.first?.leader == 3)
            try mock.command("track-requests off")
        }
    }

    @Test func retriesInjectedRetriableErrorsAndLostConnections() async throws {
        let mock = try mock
        let topic = try makeTopic("inject", counts: [1: 6])
        let p1 = TopicPartition(topic, 1)
        try await withAdmin(mock.addresses) { admin in
            try mock.command("track-requests on")
            try mock.command("clear-requests")
            try mock.command("push-errors ListOffsets NOT_LEADER_FOR_PARTITION LEADER_NOT_AVAILABLE")
            #expect(try await admin.listOffsets([p1: .latest])[p1]?.offset == 6)
            #expect(try listOffsetsBrokers() == [2, 2, 2])

            // _TRANSPORT: the broker drops the connection instead of answering.
            try mock.command("clear-requests")
            try mock.command("push-errors ListOffsets _TRANSPORT")
            #expect(try await admin.listOffsets([p1: .earliest])[p1]?.offset == 0)
            #expect(try listOffsetsBrokers().count == 2)
            // Last: once a broker has had its own error stack, the mock ignores cluster-wide
            // push-errors for that API on that broker.
            try mock.command("clear-requests")
            try mock.command("broker-push-errors 2 ListOffsets NOT_LEADER_FOR_PARTITION 0 REQUEST_TIMED_OUT 0")
            #expect(try await admin.listOffsets([p1: .latest])[p1]?.offset == 6)
            #expect(try listOffsetsBrokers() == [2, 2, 2])

            try mock.command("track-requests off")
        }
    }

    @Test func retriableErrorsStopAtTheApiTimeout() async throws {
        let mock = try mock
        let topic = try makeTopic("forever")
        let p2 = TopicPartition(topic, 2)
        try mock.command("push-errors ListOffsets " + Array(repeating: "LEADER_NOT_AVAILABLE", count: 200).joined(separator: " "))
        defer { _ = try? mock.command("clear-errors ListOffsets") }
        // 5 s: long enough for the first answer even on a loaded machine, so the last
        // retriable error is the cause.
        try await withAdmin(mock.addresses, timeout: .seconds(5)) { admin in
            let start = ContinuousClock.now
            let error = await #expect(throws: KafkaClientError.self) { try await admin.listOffsets([p2: .latest]) }
            let elapsed = ContinuousClock.now - start
            #expect(error?.code == .timeout)
            #expect(error?.message.contains("default.api.timeout.ms") == true)
            let cause = error?.cause as? KafkaError
            #expect(cause?.code == .leaderNotAvailable)
            #expect(cause?.topic == topic)
            #expect(cause?.partition == 2)
            #expect(elapsed < .seconds(12))
        }
    }

    @Test func aPartitionErrorInTheResponseNamesTheTopicAndPartition() async throws {
        let mock = try mock
        let topic = try makeTopic("denied")
        let p0 = TopicPartition(topic, 0)
        try mock.command("push-errors ListOffsets TOPIC_AUTHORIZATION_FAILED")
        try await withAdmin(mock.addresses) { admin in
            let error = await #expect(throws: KafkaError.self) { try await admin.listOffsets([p0: .latest]) }
            #expect(error?.code == .topicAuthorizationFailed)
            #expect(error?.topic == topic)
            #expect(error?.partition == 0)
            #expect(error?.api == "ListOffsets")
            #expect(error?.broker != nil)
            #expect(error.map { "\($0)".contains("\(topic)-0") } == true)

            // A partition or topic that does not exist fails after one metadata refresh.
            let noPartition = await #expect(throws: KafkaError.self) {
                try await admin.listOffsets([TopicPartition(topic, 9): .latest])
            }
            #expect(noPartition?.code == .unknownTopicOrPartition)
            #expect(noPartition?.partition == 9)
            let noTopic = await #expect(throws: KafkaError.self) {
                try await admin.listOffsets([TopicPartition("admin-missing", 0): .latest])
            }
            #expect(noTopic?.code == .unknownTopicOrPartition)
            #expect(noTopic?.topic == "admin-missing")
        }
    }

    @Test func createTopicsWithoutAControllerFailsWithinTheTimeout() async throws {
        // Its own cluster: the shared one may have a controller set by another test.
        let lonely = try MockCluster(brokers: 1)
        defer { lonely.stop() }
        // 3 s: long enough for the first Metadata answer on a loaded machine.
        try await withAdmin(lonely.addresses, timeout: .seconds(3)) { admin in
            let start = ContinuousClock.now
            let error = await #expect(throws: KafkaClientError.self) {
                try await admin.createTopics([NewTopic(adminTopic("nocontroller"), partitions: 1, replicationFactor: 1)])
            }
            let elapsed = ContinuousClock.now - start
            #expect(error?.code == .timeout)
            #expect(error.map { "\($0)".contains("no controller") } == true)
            #expect(elapsed >= .seconds(2) && elapsed < .seconds(8))

            // With a controller, the mock's missing CreateTopics API is a typed error at once.
            try lonely.command("controller 1")
            let unsupported = await #expect(throws: KafkaClientError.self) {
                try await admin.createTopics([NewTopic(adminTopic("nocreate"), partitions: 1, replicationFactor: 1)])
            }
            #expect(unsupported?.code == .unsupportedVersion)
            #expect(unsupported.map { "\($0)".contains("CreateTopicsRequest") } == true)
        }
    }
}
