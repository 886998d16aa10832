import KafkaTestSupport
import Foundation
import Testing

@testable import KafkaBroker

/// kafka-python and kcat (Debian's, an older librdkafka) against the embedded broker.
@Suite(.timeLimit(.minutes(2))) struct OtherClientsInteropTests {
    /// kafka-python creates a topic, produces, consumes in a group with committed offsets,
    /// and reads the committed offsets back.
    @Test func kafkaPythonProducesConsumesAndCommits() async throws {
        try await withBroker { broker in
            let output = try await runPython(
                """
                import sys, json
                from kafka import KafkaProducer, KafkaConsumer, KafkaAdminClient, TopicPartition
                from kafka.admin import NewTopic
                bs = sys.argv[1]
                admin = KafkaAdminClient(bootstrap_servers=bs)
                admin.create_topics([NewTopic("kp", 2, 1)])
                p = KafkaProducer(bootstrap_servers=bs, acks="all")
                for i in range(40): p.send("kp", key=b"k%d" % i, value=b"value-%d" % i, partition=i % 2)
                p.flush(); p.close()
                c = KafkaConsumer("kp", bootstrap_servers=bs, group_id="kp-group", auto_offset_reset="earliest",
                                  enable_auto_commit=False, consumer_timeout_ms=8000)
                got = []
                for m in c:
                    got.append(m.value.decode())
                    if len(got) == 40: break
                c.commit(); c.close()
                c2 = KafkaConsumer(bootstrap_servers=bs, group_id="kp-group", enable_auto_commit=False)
                committed = [c2.committed(TopicPartition("kp", i)) for i in range(2)]
                c2.close()
                print(json.dumps({"got": sorted(got), "committed": sorted(committed)}))
                """, [broker.bootstrapServers], timeout: 90)
            let result = try JSONSerialization.jsonObject(with: Data(output.utf8)) as! [String: Any]
            #expect(result["got"] as? [String] == (0..<40).map { "value-\($0)" }.sorted())
            #expect(result["committed"] as? [Int] == [20, 20])
        }
    }

    /// kafka-python's `delete_group_offsets` (OffsetDelete): refused for a topic an active
    /// member subscribes to, done for another, and still done after a restart.
    @Test func kafkaPythonDeletesGroupOffsets() async throws {
        let dir = makeTemporaryDirectory("offset-delete")
        try await withBroker(directory: dir) { broker in
            let output = try await runPython(
                """
                import sys, json
                from kafka import KafkaConsumer, KafkaAdminClient, TopicPartition
                from kafka.admin import NewTopic
                from kafka.structs import OffsetAndMetadata
                bs = sys.argv[1]
                admin = KafkaAdminClient(bootstrap_servers=bs)
                admin.create_topics([NewTopic("od-a", 1, 1), NewTopic("od-b", 1, 1)])
                c = KafkaConsumer("od-a", bootstrap_servers=bs, group_id="od", enable_auto_commit=False)
                while not c.assignment(): c.poll(timeout_ms=200)
                c.commit({TopicPartition("od-a", 0): OffsetAndMetadata(5, "", -1), TopicPartition("od-b", 0): OffsetAndMetadata(7, "", -1)})
                result = admin.delete_group_offsets("od", [TopicPartition("od-a", 0), TopicPartition("od-b", 0)])
                print(json.dumps({tp.topic: err.__name__ for tp, err in result.items()}))
                c.close()
                """, [broker.bootstrapServers], timeout: 90)
            let result = try JSONSerialization.jsonObject(with: Data(output.utf8)) as! [String: String]
            #expect(result == ["od-a": "GroupSubscribedToTopicError", "od-b": "NoError"])
        }
        try await withBroker(directory: dir) { broker in
            let output = try await runPython(
                """
                import sys, json
                from kafka import KafkaAdminClient, TopicPartition
                admin = KafkaAdminClient(bootstrap_servers=sys.argv[1])
                offsets = admin.list_group_offsets("od")["od"]
                print(json.dumps({tp.topic: meta.offset for tp, meta in offsets.items()}))
                """, [broker.bootstrapServers], timeout: 60)
            let offsets = try JSONSerialization.jsonObject(with: Data(output.utf8)) as! [String: Int]
            #expect(offsets == ["od-a": 5])
        }
    }

    /// kcat lists metadata, produces keyed records, and consumes them back.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/kcat")))
    func kcatMetadataProduceConsume() async throws {
        var config = testBrokerConfig()
        config.autoCreateTopics = true
        try await withBroker(config: config) { broker in
            try await createTopic(broker.bootstrapServers, "kc", partitions: 1)
            // -m 30: kcat waits 5 s for metadata by default, which an in-process broker sharing
            // a loaded machine with the rest of the test run does not always answer within.
            let metadata = try await runProcess("/usr/bin/kcat", ["-b", broker.bootstrapServers, "-m", "30", "-L", "-J"])
            let json = try JSONSerialization.jsonObject(with: Data(metadata.utf8)) as! [String: Any]
            let topics = (json["topics"] as? [[String: Any]] ?? []).compactMap { $0["topic"] as? String }
            #expect(topics.contains("kc"))
            let input = (0..<25).map { "key\($0):value \($0)" }.joined(separator: "\n") + "\n"
            try await runProcess("/usr/bin/kcat", ["-b", broker.bootstrapServers, "-m", "30", "-P", "-t", "kc", "-K:", "-p", "0"], input: Data(input.utf8))
            let consumed = try await runProcess("/usr/bin/kcat", ["-b", broker.bootstrapServers, "-m", "30", "-C", "-t", "kc", "-o", "beginning", "-e", "-f", "%k=%s@%o\\n"])
            #expect(consumed.split(separator: "\n").map(String.init) == (0..<25).map { "key\($0)=value \($0)@\($0)" })
        }
    }
}
