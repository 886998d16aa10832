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

    /// kcat lists metadata, produces keyed records, and consumes them back.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/kcat")))
    func kcatMetadataProduceConsume() async throws {
        var config = testBrokerConfig()
        config.autoCreateTopics = true
        try await withBroker(config: config) { broker in
            try await createTopic(broker.bootstrapServers, "kc", partitions: 1)
            let metadata = try await runProcess("/usr/bin/kcat", ["-b", broker.bootstrapServers, "-L", "-J"])
            let json = try JSONSerialization.jsonObject(with: Data(metadata.utf8)) as! [String: Any]
            let topics = (json["topics"] as? [[String: Any]] ?? []).compactMap { $0["topic"] as? String }
            #expect(topics.contains("kc"))
            let input = (0..<25).map { "key\($0):value \($0)" }.joined(separator: "\n") + "\n"
            try await runProcess("/usr/bin/kcat", ["-b", broker.bootstrapServers, "-P", "-t", "kc", "-K:", "-p", "0"], input: Data(input.utf8))
            let consumed = try await runProcess("/usr/bin/kcat", ["-b", broker.bootstrapServers, "-C", "-t", "kc", "-o", "beginning", "-e", "-f", "%k=%s@%o\\n"])
            #expect(consumed.split(separator: "\n").map(String.init) == (0..<25).map { "key\($0)=value \($0)@\($0)" })
        }
    }
}

/// Restarts and crashes: data, offsets and topics survive.
@Suite(.timeLimit(.minutes(2))) struct DurabilityTests {
    /// Committed offsets, topics and records are there after a clean restart.
    @Test func offsetsAndRecordsSurviveRestart() async throws {
        let dir = makeTemporaryDirectory("restart")
        try await withBroker(directory: dir) { broker in
            try await createTopic(broker.bootstrapServers, "durable", partitions: 2)
            try await runPython(
                """
                import sys
                from confluent_kafka import Producer, Consumer, TopicPartition
                p = Producer({"bootstrap.servers": sys.argv[1]})
                for i in range(10): p.produce("durable", value=b"%d" % i, partition=i % 2)
                assert p.flush(10) == 0
                c = Consumer({"bootstrap.servers": sys.argv[1], "group.id": "keep"})
                c.commit(offsets=[TopicPartition("durable", 0, 3), TopicPartition("durable", 1, 4)], asynchronous=False)
                c.close()
                """, [broker.bootstrapServers])
        }
        try await withBroker(directory: dir) { broker in
            let output = try await runPython(
                """
                import sys
                from confluent_kafka import Consumer, TopicPartition
                c = Consumer({"bootstrap.servers": sys.argv[1], "group.id": "keep"})
                print(",".join(str(tp.offset) for tp in c.committed([TopicPartition("durable", 0), TopicPartition("durable", 1)], timeout=10)))
                c.close()
                """, [broker.bootstrapServers])
            #expect(output.trimmingCharacters(in: .whitespacesAndNewlines) == "3,4")
            let records = try await consumeWithRdkafka(broker.bootstrapServers, "durable")
            #expect(records.count == 10)
        }
    }

    /// The `kafka-broker` executable killed with SIGKILL after acks=all produce loses no
    /// acknowledged record, and every partition reads back with valid CRCs.
    @Test func killNineLosesNoAcknowledgedRecord() async throws {
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("kafka-broker").path
        let candidates = [ProcessInfo.processInfo.environment["KAFKA_BROKER_BIN"], executable,
                          Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("kafka-broker").path].compactMap { $0 }
        guard let binary = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            Issue.record("kafka-broker executable not found (build it, or set KAFKA_BROKER_BIN); looked at \(candidates)")
            return
        }
        let dir = makeTemporaryDirectory("kill9")
        func start() throws -> (Process, String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["--port", "0", "--data-dir", dir, "--log-level", "warning"]
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            process.standardInput = FileHandle.nullDevice
            try process.run()
            var line = Data()
            while !line.contains(UInt8(ascii: "\n")) {
                let chunk = out.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                line.append(chunk)
            }
            return (process, String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let (first, bootstrap) = try start()
        defer { if first.isRunning { kill(first.processIdentifier, SIGKILL) } }
        try await createTopic(bootstrap, "crash", partitions: 3)
        let acked = try await runPython(
            """
            import sys
            from confluent_kafka import Producer
            p = Producer({"bootstrap.servers": sys.argv[1], "acks": "all", "enable.idempotence": True, "linger.ms": 2, "compression.type": "lz4"})
            acked = []
            def cb(err, msg):
                if err is None: acked.append(msg.value())
            for i in range(20000):
                p.produce("crash", value=b"record-%06d" % i, partition=i % 3, on_delivery=cb)
                if i % 1000 == 0: p.poll(0)
            p.flush(30)
            print(len(acked))
            """, [bootstrap], timeout: 90)
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        let (second, bootstrap2) = try start()
        defer { if second.isRunning { kill(second.processIdentifier, SIGTERM); second.waitUntilExit() } }
        let records = try await consumeWithRdkafka(bootstrap2, "crash")
        let ackedCount = Int(acked.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        #expect(ackedCount == 20000)
        #expect(records.count >= ackedCount)
        let values = Set(records.compactMap { $0["value"] as? String })
        #expect(values.count == records.count)
    }
}
