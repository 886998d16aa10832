import Foundation
import KafkaClient
import KafkaProtocol
import NIOCore
import Testing

/// The consumer against tansu 0.6.0: assignment, polling, commits. (Group membership is
/// tested on the mock cluster and the embedded broker: a tansu group join takes 20-25 s.)
@Suite struct ConsumerTansuTests {
    @Test func assignPollCommitAndResume() async throws {
        let tansu = try sharedTansu.get()
        let topic = uniqueTopic("consume")
        try await createTopic(topic, partitions: 2, on: try tansu.config)
        for p: Int32 in 0..<2 {
            try await produce(tansu.bootstrap, topic: topic, partition: p, values: (0..<25).map { "p\(p)-\($0)" })
        }
        let partitions = [TopicPartition(topic, 0), TopicPartition(topic, 1)]
        let consumer = try KafkaConsumer(config: consumerConfig(tansu.bootstrap, group: "g-\(topic)"))
        try await consumer.assign(partitions)
        let records = try await pollRecords(consumer, count: 50)
        #expect(valuesByPartition(records) == [0: (0..<25).map { "p0-\($0)" }, 1: (0..<25).map { "p1-\($0)" }])
        #expect(records.filter { $0.partition == 0 }.map(\.offset) == Array(0..<25))
        try await consumer.commitSync([partitions[0]: OffsetAndMetadata(20)])
        #expect(try await consumer.committed(Set(partitions)).mapValues(\.offset) == [partitions[0]: 20])
        await consumer.close()

        let resumed = try KafkaConsumer(config: consumerConfig(tansu.bootstrap, group: "g-\(topic)"))
        try await resumed.assign([partitions[0]])
        let rest = try await pollRecords(resumed, count: 5)
        #expect(rest.map { String(buffer: $0.value!) } == (20..<25).map { "p0-\($0)" })
        await resumed.close()
    }
}
