import Foundation
import KafkaClient
import KafkaProtocol
import NIOCore
import Testing

/// Group administration against the embedded broker (run as its own process): list,
/// describe, offsets, lag, altering offsets, deleting groups.
@Suite(.serialized) struct GroupAdminEmbeddedBrokerTests {
    @Test func listDescribeOffsetsLagAlterAndDelete() async throws {
        let broker = try EmbeddedBrokerProcess()
        defer { broker.stop() }
        try await createTopics(broker.bootstrap, ["ga": 2])
        try await produce(broker.bootstrap, topic: "ga", partition: 0, values: (0..<10).map { "a\($0)" })
        try await produce(broker.bootstrap, topic: "ga", partition: 1, values: (0..<4).map { "b\($0)" })
        let consumer = try KafkaConsumer(config: consumerConfig(broker.bootstrap, group: "admin-g") { $0.maxPollRecords = 6 })
        try await consumer.subscribe(topics: ["ga"])
        _ = try await pollRecords(consumer, count: 1, timeout: .seconds(20))
        // Commit 3 of partition 0 and all of partition 1.
        try await consumer.commitSync([
            TopicPartition("ga", 0): OffsetAndMetadata(3, metadata: "note"), TopicPartition("ga", 1): OffsetAndMetadata(4),
        ])

        var config = try AdminConfig(bootstrapServers: broker.bootstrap)
        config.defaultApiTimeout = .seconds(20)
        let admin = KafkaAdmin(config: config)
        let listed = try await admin.listGroups()
        #expect(listed.contains { $0.groupID == "admin-g" && $0.protocolType == "consumer" })
        let described = try #require(try await admin.describeGroups(["admin-g"])["admin-g"])
        #expect(described.state == "Stable" && described.assignor == "range")
        #expect(described.members.count == 1)
        #expect(described.members.first?.assignment == [TopicPartition("ga", 0), TopicPartition("ga", 1)])
        #expect(described.members.first?.memberID == (try await consumer.groupMetadata()).memberID)

        let offsets = try await admin.listConsumerGroupOffsets("admin-g")
        #expect(
            offsets[TopicPartition("ga", 0)]
                == OffsetAndMetadata(3, metadata: "note", leaderEpoch: offsets[TopicPartition("ga", 0)]?.leaderEpoch ?? -1))
        #expect(offsets[TopicPartition("ga", 1)]?.offset == 4)
        let lag = try await admin.consumerGroupLag("admin-g")
        #expect(lag[TopicPartition("ga", 0)]?.lag == 7 && lag[TopicPartition("ga", 1)]?.lag == 0)

        // Deleting an active group fails; once the member left, offsets can be altered and
        // the group deleted.
        let nonEmpty = await #expect(throws: KafkaError.self) { try await admin.deleteGroups(["admin-g"]) }
        #expect(nonEmpty?.code == .nonEmptyGroup)
        await consumer.close()
        try await admin.alterConsumerGroupOffsets("admin-g", [TopicPartition("ga", 0): OffsetAndMetadata(9)])
        #expect(try await admin.consumerGroupLag("admin-g")[TopicPartition("ga", 0)]?.lag == 1)
        try await admin.deleteGroups(["admin-g"])
        #expect(try await admin.listConsumerGroupOffsets("admin-g").isEmpty)
        let missing = await #expect(throws: KafkaError.self) { try await admin.deleteGroups(["admin-g"]) }
        #expect(missing?.code == .groupIdNotFound)
        await admin.close()
    }

}
