import KafkaTestSupport
import Foundation
import Testing

@testable import KafkaBroker

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
    @Test func killNineAfterProduceLosesNoAcknowledgedRecord() async throws {
        let binary = try brokerBinary()
        let dir = makeTemporaryDirectory("kill9")
        let first = try BrokerProcess(binary: binary, dataDirectory: dir)
        defer { first.kill() }
        try await createTopic(first.bootstrap, "crash", partitions: 3)
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
            """, [first.bootstrap], timeout: 90)
        first.kill()
        let second = try BrokerProcess(binary: binary, dataDirectory: dir)
        defer { second.stop() }
        let records = try await consumeWithRdkafka(second.bootstrap, "crash", extra: ["-X", "check.crcs=true"])
        let ackedCount = Int(acked.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        #expect(ackedCount == 20000)
        #expect(records.count >= ackedCount)
        let values = Set(records.compactMap { $0["value"] as? String })
        #expect(values.count == records.count)
    }

    /// SIGKILL *during* a heavy idempotent produce: after a restart every acknowledged record
    /// is there exactly once, every partition reads back with valid CRCs (librdkafka with
    /// `check.crcs=true`), and the log accepts new records.
    @Test func killNineDuringProduceLosesNoAcknowledgedRecord() async throws {
        let binary = try brokerBinary()
        let dir = makeTemporaryDirectory("kill9-live")
        let ackFile = dir + "-acked.txt"
        let stopFile = dir + "-stop"
        let first = try BrokerProcess(binary: binary, dataDirectory: dir)
        defer { first.kill() }
        try await createTopic(first.bootstrap, "storm", partitions: 3)
        // The producer writes each acknowledged value to a file as its report arrives, and
        // keeps producing until the stop file appears. message.timeout.ms is generous: a
        // message that times out in flight makes librdkafka bump the epoch and send the
        // rest again under it, which no broker can deduplicate (seen with 3 s on a loaded
        // machine: 12,000 duplicates, with Kafka's semantics).
        let producer = Task {
            try await runPython(
                """
                import os, sys, time
                from confluent_kafka import Producer
                p = Producer({"bootstrap.servers": sys.argv[1], "acks": "all", "enable.idempotence": True,
                              "linger.ms": 2, "compression.type": "lz4", "message.timeout.ms": 15000,
                              "reconnect.backoff.max.ms": 100, "log_level": 0})
                out = open(sys.argv[2], "w", buffering=1)
                def cb(err, msg):
                    if err is None: out.write(msg.value().decode() + "\\n")
                i = 0
                deadline = time.time() + 60
                while time.time() < deadline and not (i % 1000 == 0 and os.path.exists(sys.argv[3])):
                    try:
                        p.produce("storm", value=b"record-%07d" % i, partition=i % 3, on_delivery=cb)
                        i += 1
                    except BufferError:
                        p.poll(0.05)
                    if i % 500 == 0: p.poll(0)
                p.flush(30)
                out.close()
                """, [first.bootstrap, ackFile, stopFile], timeout: 90)
        }
        // Kill once 30,000 records are acknowledged, with the producer still going.
        let deadline = ContinuousClock.now + .seconds(60)
        while ackedLines(ackFile).count < 30_000 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        first.kill()
        FileManager.default.createFile(atPath: stopFile, contents: Data())
        _ = try await producer.value
        let acked = ackedLines(ackFile)
        #expect(acked.count >= 30_000)

        let second = try BrokerProcess(binary: binary, dataDirectory: dir)
        defer { second.stop() }
        let records = try await consumeWithRdkafka(second.bootstrap, "storm", encoding: "text", extra: ["-X", "check.crcs=true"])
        let values = records.compactMap { $0["value"] as? String }
        var seen: [String: String] = [:]
        var twice: [String] = []
        for record in records {
            guard let value = record["value"] as? String else { continue }
            let position = "\(record["partition"] ?? "?")@\(record["offset"] ?? "?")"
            if let first = seen[value] { twice.append("\(value) at \(first) and \(position)") } else { seen[value] = position }
        }
        #expect(twice.isEmpty, "\(twice.count) records are there twice, e.g. \(twice.prefix(3))")
        let missing = acked.subtracting(values)
        #expect(missing.isEmpty, "\(missing.count) acknowledged records lost, e.g. \(missing.sorted().prefix(5))")
        // The recovered log takes new records after the ones it kept.
        try await runPython(
            """
            import sys
            from confluent_kafka import Producer
            p = Producer({"bootstrap.servers": sys.argv[1], "acks": "all"})
            p.produce("storm", value=b"after-restart", partition=0)
            assert p.flush(10) == 0
            """, [second.bootstrap])
        let after = try await consumeWithRdkafka(second.bootstrap, "storm", encoding: "text")
        #expect(after.count == records.count + 1)
        #expect(after.contains { $0["value"] as? String == "after-restart" })
    }
}

/// The lines of a file (empty when it does not exist yet).
private func ackedLines(_ path: String) -> Set<String> {
    guard let data = FileManager.default.contents(atPath: path) else { return [] }
    return Set(String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init))
}

/// The `kafka-broker` executable built beside the tests (or `KAFKA_BROKER_BIN`).
private func brokerBinary() throws -> String {
    let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("kafka-broker").path
    let candidates: [String] = [
        ProcessInfo.processInfo.environment["KAFKA_BROKER_BIN"], executable,
        Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("kafka-broker").path,
    ].compactMap { $0 }
    guard let binary = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
        throw PeerFailure(description: "kafka-broker executable not found (build it, or set KAFKA_BROKER_BIN); looked at \(candidates)")
    }
    return binary
}

/// A `kafka-broker` process on an ephemeral port.
private final class BrokerProcess: Sendable {
    let process: Process
    let bootstrap: String

    /// Starts the broker and waits for the address it prints once it listens.
    init(binary: String, dataDirectory: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--port", "0", "--data-dir", dataDirectory, "--log-level", "warning"]
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
        self.process = process
        self.bootstrap = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// SIGKILL, and wait for the process to end.
    func kill() {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    /// SIGTERM (a clean shutdown), and wait for the process to end.
    func stop() {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGTERM) }
        process.waitUntilExit()
    }
}
