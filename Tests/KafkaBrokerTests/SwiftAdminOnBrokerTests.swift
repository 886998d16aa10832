import KafkaTestSupport
import Foundation
import KafkaBroker
import KafkaClient
import KafkaProtocol
import NIOCore
import Testing

/// The Swift `KafkaAdmin` and `KafkaProducer` against the embedded broker: the admin
/// operations that tansu and librdkafka's mock cluster do not implement (creating
/// partitions, deleting records, offsets by timestamp), with the offsets cross-checked by
/// librdkafka (`offsets_for_times`, watermarks).
@Suite(.timeLimit(.minutes(2))) struct SwiftAdminOnBrokerTests {
    @Test func createPartitionsDeleteRecordsAndOffsetsByTimestamp() async throws {
        try await withBroker { broker in
            var config = try AdminConfig(bootstrapServers: broker.bootstrapServers)
            config.defaultApiTimeout = .seconds(20)
            let admin = KafkaAdmin(config: config)

            try await admin.createTopic(NewTopic("times", partitions: 2, replicationFactor: 1))
            try await admin.createPartitions(topic: "times", totalCount: 4)
            let described = try await admin.describeTopic("times")
            #expect(described.partitions.map(\.partition) == [0, 1, 2, 3])
            let shrink = await #expect(throws: KafkaError.self) {
                try await admin.createPartitions(topic: "times", totalCount: 3)
            }
            #expect(shrink?.code == .invalidPartitions)

            // Ten records into the new partition 3, timestamps 1000, 2000, ... 10000.
            let producer = try KafkaProducer(
                config: try ProducerConfig(properties: ["bootstrap.servers": broker.bootstrapServers, "linger.ms": "0"]))
            for i in 0..<10 {
                let position = try await producer.send(
                    topic: "times", partition: 3, key: ByteBuffer(string: "k\(i)"), value: ByteBuffer(string: "v\(i)"),
                    timestamp: Int64(i + 1) * 1000)
                #expect(position.partition == 3)
                #expect(position.offset == Int64(i))
            }
            await producer.close()

            let p3 = TopicPartition("times", 3)
            func offset(_ spec: OffsetSpec) async throws -> Int64 {
                try #require(try await admin.listOffsets([p3: spec])[p3]).offset
            }
            #expect(try await offset(.earliest) == 0)
            #expect(try await offset(.latest) == 10)
            #expect(try await offset(.timestamp(4500)) == 4)  // first record at or after 4500 ms
            #expect(try await offset(.timestamp(5000)) == 4)
            #expect(try await offset(.timestamp(99_000)) == -1)  // none: Kafka answers -1
            #expect(try await offset(.maxTimestamp) == 9)

            // librdkafka agrees on the same broker.
            let rdkafka = try await runPython(
                """
                import sys
                from confluent_kafka import Consumer, TopicPartition
                c = Consumer({"bootstrap.servers": sys.argv[1], "group.id": "probe"})
                found = c.offsets_for_times([TopicPartition("times", 3, 4500), TopicPartition("times", 3, 5000)], timeout=10)
                print(",".join(str(tp.offset) for tp in found), *c.get_watermark_offsets(TopicPartition("times", 3), timeout=10))
                c.close()
                """, [broker.bootstrapServers])
            #expect(rdkafka.trimmingCharacters(in: .whitespacesAndNewlines) == "4,4 0 10")

            let low = try await admin.deleteRecords([p3: 6])
            #expect(low[p3] == 6)
            #expect(try await offset(.earliest) == 6)
            #expect(try await offset(.timestamp(1000)) == 6)  // deleted records are not found
            let beyond = await #expect(throws: KafkaError.self) { try await admin.deleteRecords([p3: 11]) }
            #expect(beyond?.code == .offsetOutOfRange)
            let records = try await consumeWithRdkafka(broker.bootstrapServers, "times")
            #expect(records.compactMap { $0["partition"] as? Int == 3 ? $0["offset"] as? Int : nil } == [6, 7, 8, 9])
            await admin.close()
        }
    }
}
