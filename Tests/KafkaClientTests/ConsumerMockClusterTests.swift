import Foundation
import KafkaClient
import KafkaProtocol
import NIOCore
import Testing

/// The consumer against librdkafka's 3-broker mock cluster: assignment, positions,
/// commits, faults (leader moves, injected errors, out-of-range offsets, corrupt batches).
@Suite(.serialized) struct ConsumerMockClusterTests {
    /// A mock with `topic` (partitions spread over the 3 brokers) and `perPartition` records
    /// "p<partition>-<n>" in each partition.
    func mockWithRecords(_ topic: String, partitions: Int32, perPartition: Int) async throws -> MockCluster {
        let mock = try MockCluster(brokers: 3)
        try mock.command("create-topic \(topic) \(partitions) 3")
        for p in 0..<partitions {
            try await produce(mock.addresses, topic: topic, partition: p, values: (0..<perPartition).map { "p\(p)-\($0)" })
        }
        return mock
    }

    func expected(_ partitions: Int32, _ range: Range<Int>) -> [Int32: [String]] {
        Dictionary(uniqueKeysWithValues: (0..<partitions).map { p in (p, range.map { "p\(p)-\($0)" }) })
    }

    @Test func assignPollsEveryRecordInOrderAndCommitsResume() async throws {
        let mock = try await mockWithRecords("orders", partitions: 3, perPartition: 40)
        defer { mock.stop() }
        let all = (0..<3).map { TopicPartition("orders", Int32($0)) }
        let consumer = try KafkaConsumer(config: consumerConfig(mock.addresses, group: "g1") { $0.maxPollRecords = 7 })
        try await consumer.assign(all)
        let records = try await pollRecords(consumer, count: 120)
        #expect(records.count == 120)
        #expect(records.allSatisfy { $0.topic == "orders" })
        #expect(valuesByPartition(records) == expected(3, 0..<40))
        for p in 0..<3 {
            #expect(records.filter { $0.partition == Int32(p) }.map(\.offset) == Array(0..<40))
        }
        try await consumer.commitSync()
        let committed = try await consumer.committed(Set(all))
        #expect(committed.mapValues(\.offset) == Dictionary(uniqueKeysWithValues: all.map { ($0, Int64(40)) }))
        #expect(try await consumer.position(all[1]) == 40)
        await consumer.close()

        for p in 0..<3 {
            try await produce(mock.addresses, topic: "orders", partition: Int32(p), values: ["p\(p)-40", "p\(p)-41"])
        }
        let resumed = try KafkaConsumer(config: consumerConfig(mock.addresses, group: "g1"))
        try await resumed.assign(all)
        let more = try await pollRecords(resumed, count: 6)
        #expect(valuesByPartition(more) == expected(3, 40..<42))
        await resumed.close()
    }

    @Test func seekPauseResumeAndReset() async throws {
        let mock = try await mockWithRecords("t", partitions: 2, perPartition: 10)
        defer { mock.stop() }
        let p0 = TopicPartition("t", 0)
        let p1 = TopicPartition("t", 1)
        let consumer = try KafkaConsumer(config: consumerConfig(mock.addresses) { $0.autoOffsetReset = .latest })
        try await consumer.assign([p0, p1])
        #expect(try await consumer.position(p0) == 10)  // latest
        try await consumer.seek(p0, to: 5)
        try await consumer.pause([p1])
        try await consumer.seekToBeginning([p1])
        let first = try await pollRecords(consumer, count: 5, timeout: .seconds(10))
        #expect(valuesByPartition(first) == [0: (5..<10).map { "p0-\($0)" }])
        #expect(try await consumer.poll(timeout: .milliseconds(300)).isEmpty)
        try await consumer.resume([p1])
        let second = try await pollRecords(consumer, count: 10, timeout: .seconds(10))
        #expect(valuesByPartition(second) == [1: (0..<10).map { "p1-\($0)" }])
        #expect(await consumer.watermarks(p1)?.highWatermark == 10)
        await consumer.close()
    }

    @Test func outOfRangePositionsResetOrFail() async throws {
        let mock = try await mockWithRecords("t", partitions: 1, perPartition: 5)
        defer { mock.stop() }
        let p0 = TopicPartition("t", 0)
        let resetting = try KafkaConsumer(config: consumerConfig(mock.addresses))
        try await resetting.assign([p0])
        try await resetting.seek(p0, to: 1_000)
        let again = try await pollRecords(resetting, count: 5, timeout: .seconds(10))
        #expect(again.map(\.offset) == [0, 1, 2, 3, 4])
        await resetting.close()

        let strict = try KafkaConsumer(config: consumerConfig(mock.addresses) { $0.autoOffsetReset = .none })
        try await strict.assign([p0])
        try await strict.seek(p0, to: 1_000)
        let error = await #expect(throws: KafkaError.self) { _ = try await pollRecords(strict, count: 1, timeout: .seconds(10)) }
        #expect(error?.code == .offsetOutOfRange && error?.partition == 0 && error?.topic == "t")
        await strict.close()
    }

    @Test func leaderMovesAndInjectedFetchErrorsLoseNothing() async throws {
        let mock = try await mockWithRecords("t", partitions: 3, perPartition: 30)
        defer { mock.stop() }
        let consumer = try KafkaConsumer(config: consumerConfig(mock.addresses) { $0.maxPollRecords = 10 })
        try await consumer.assign((0..<3).map { TopicPartition("t", Int32($0)) })
        var records = try await pollRecords(consumer, count: 10)
        try mock.command("leader t 0 3")
        try mock.command("leader t 1 1")
        try mock.command("push-errors Fetch NOT_LEADER_FOR_PARTITION _TRANSPORT REQUEST_TIMED_OUT UNKNOWN_TOPIC_OR_PART")
        records += try await pollRecords(consumer, count: 90 - records.count)
        #expect(records.count == 90)
        #expect(valuesByPartition(records) == expected(3, 0..<30))
        await consumer.close()
    }

    @Test func corruptBatchIsATypedErrorNamingPartitionAndOffset() async throws {
        let mock = try await mockWithRecords("t", partitions: 1, perPartition: 3)
        defer { mock.stop() }
        // Append a batch whose CRC is wrong: the mock stores what it is sent.
        var builder = RecordBatchBuilder()
        builder.append(timestamp: 1, key: nil, value: ByteBuffer(string: "bad"))
        var batch = try builder.finish()
        batch.setInteger(batch.getInteger(at: batch.readerIndex + 17, as: UInt32.self)! ^ 0xFFFF, at: batch.readerIndex + 17)
        let cluster = KafkaCluster(config: try mock.config)
        let leader = try await cluster.leader(topic: "t", partition: 0)
        let produced = try await cluster.connection(toNode: leader).send(
            ProduceRequest(
                acks: -1, timeoutMs: 5000,
                topics: [.init(name: "t", partitions: [.init(partitionIndex: 0, records: batch)])]), version: 7)
        #expect(produced.responses.first?.partitions.first?.errorCode == 0)
        await cluster.close()

        let checking = try KafkaConsumer(config: consumerConfig(mock.addresses))
        try await checking.assign([TopicPartition("t", 0)])
        let good = try await pollRecords(checking, count: 3)
        #expect(good.map(\.offset) == [0, 1, 2])
        let error = await #expect(throws: KafkaClientError.self) {
            _ = try await pollRecords(checking, count: 1, timeout: .seconds(5))
        }
        #expect(error?.code == .corruptRecord)
        #expect(error?.topicPartition == TopicPartition("t", 0) && error?.offset == 3)
        await checking.close()

        let trusting = try KafkaConsumer(config: consumerConfig(mock.addresses) { $0.checkCRCs = false })
        try await trusting.assign([TopicPartition("t", 0)])
        let all = try await pollRecords(trusting, count: 4)
        #expect(all.map { String(buffer: $0.value!) } == ["p0-0", "p0-1", "p0-2", "bad"])
        await trusting.close()
    }
}
