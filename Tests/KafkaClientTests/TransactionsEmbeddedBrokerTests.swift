import Foundation
import KafkaClient
import KafkaProtocol
import NIOCore
import Testing

/// Transactions and read_committed against the project's embedded broker (run as its own
/// process), the peer that implements them fully (tansu lists no aborted transactions,
/// the mock cluster writes no markers), with librdkafka on the other side.
@Suite(.serialized) struct TransactionsEmbeddedBrokerTests {
    func transactionalProducer(_ bootstrap: String, id: String) throws -> KafkaProducer {
        var config = try ProducerConfig(bootstrapServers: bootstrap)
        config.transactionalID = id
        config.linger = .milliseconds(1)
        config.client.retryBackoff = .milliseconds(20)
        config.maxBlock = .seconds(20)
        return try KafkaProducer(config: config)
    }

    func send(_ producer: KafkaProducer, _ topic: String, _ values: [String], partition: Int32 = 0) async throws {
        for value in values {
            try await producer.sendAndForget(topic: topic, partition: partition, key: nil, value: ByteBuffer(string: value))
        }
    }

    /// What librdkafka reads with an isolation level.
    func rdkafkaValues(_ bootstrap: String, _ topic: String, isolation: String) async throws -> [String] {
        let output = try await runPeer([
            "python3", peersDirectory.appendingPathComponent("rdkafka_consume.py").path, "-b", bootstrap, "-t", topic,
            "--isolation-level", isolation, "--timeout", "30",
        ])
        return try output.split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            let value = (object?["value"] as? String).flatMap { Data(base64Encoded: $0) } ?? Data()
            return String(decoding: value, as: UTF8.self)
        }
    }

    @Test func swiftTransactionsAreSeenCorrectlyByLibrdkafkaReadCommitted() async throws {
        let broker = try EmbeddedBrokerProcess()
        defer { broker.stop() }
        try await createTopics(broker.bootstrap, ["txn-out": 1])
        let producer = try transactionalProducer(broker.bootstrap, id: "swift-txn-1")
        try await producer.initTransactions()
        try await producer.beginTransaction()
        try await send(producer, "txn-out", ["c1-a", "c1-b", "c1-c"])
        try await producer.commitTransaction()
        try await producer.beginTransaction()
        try await send(producer, "txn-out", ["a1-a", "a1-b"])
        try await producer.flush()  // written to the log, then aborted
        try await producer.abortTransaction()
        try await producer.beginTransaction()
        try await send(producer, "txn-out", ["c2-a", "c2-b"])
        try await producer.commitTransaction()
        await producer.close()

        #expect(
            try await rdkafkaValues(broker.bootstrap, "txn-out", isolation: "read_committed") == [
                "c1-a", "c1-b", "c1-c", "c2-a", "c2-b",
            ])
        #expect(
            try await rdkafkaValues(broker.bootstrap, "txn-out", isolation: "read_uncommitted")
                == ["c1-a", "c1-b", "c1-c", "a1-a", "a1-b", "c2-a", "c2-b"])
    }

    @Test func swiftReadCommittedSkipsTransactionsAbortedByLibrdkafka() async throws {
        let broker = try EmbeddedBrokerProcess()
        defer { broker.stop() }
        try await createTopics(broker.bootstrap, ["txn-in": 1])
        _ = try await runPeer([
            "python3", peersDirectory.appendingPathComponent("rdkafka_txn_produce.py").path, "-b", broker.bootstrap, "-t",
            "txn-in",
            "--txn", "commit:3", "--txn", "abort:4", "--txn", "commit:2", "--txn", "abort:1", "--txn", "commit:1",
        ])
        let p0 = TopicPartition("txn-in", 0)
        let committed = try KafkaConsumer(config: consumerConfig(broker.bootstrap) { $0.isolationLevel = .readCommitted })
        try await committed.assign([p0])
        let records = try await pollRecords(committed, count: 6, timeout: .seconds(15))
        #expect(
            records.map { String(buffer: $0.value!) } == [
                "commit0-0", "commit0-1", "commit0-2", "commit2-0", "commit2-1", "commit4-0",
            ])
        // Nothing else arrives: the aborted records and the markers are skipped.
        #expect(try await committed.poll(timeout: .milliseconds(500)).isEmpty)
        await committed.close()

        let uncommitted = try KafkaConsumer(config: consumerConfig(broker.bootstrap))
        try await uncommitted.assign([p0])
        let all = try await pollRecords(uncommitted, count: 11, timeout: .seconds(15))
        #expect(all.count == 11 && all.filter { String(buffer: $0.value!).hasPrefix("abort") }.count == 5)
        await uncommitted.close()
    }

    @Test func aSecondProducerWithTheSameIdFencesTheFirst() async throws {
        let broker = try EmbeddedBrokerProcess()
        defer { broker.stop() }
        try await createTopics(broker.bootstrap, ["fenced": 1])
        let first = try transactionalProducer(broker.bootstrap, id: "shared-id")
        try await first.initTransactions()
        try await first.beginTransaction()
        try await send(first, "fenced", ["zombie"])
        try await first.flush()
        let second = try transactionalProducer(broker.bootstrap, id: "shared-id")
        try await second.initTransactions()  // aborts the first one's transaction, bumps the epoch
        let error = await #expect(throws: KafkaError.self) { try await first.commitTransaction() }
        #expect(error?.code == .producerFenced && error?.isRetriable == false)
        await #expect(throws: KafkaError.self) { try await first.beginTransaction() }
        try await second.beginTransaction()
        try await send(second, "fenced", ["live"])
        try await second.commitTransaction()
        await first.close()
        await second.close()
        #expect(try await rdkafkaValues(broker.bootstrap, "fenced", isolation: "read_committed") == ["live"])
    }

    @Test func aTransactionOpenLongerThanItsTimeoutIsAbortedAndTheProducerFenced() async throws {
        let broker = try EmbeddedBrokerProcess()
        defer { broker.stop() }
        try await createTopics(broker.bootstrap, ["slow-txn": 1])
        var config = try ProducerConfig(bootstrapServers: broker.bootstrap)
        config.transactionalID = "slow"
        config.transactionTimeout = .milliseconds(1000)
        config.linger = .milliseconds(1)
        let producer = try KafkaProducer(config: config)
        try await producer.initTransactions()
        try await producer.beginTransaction()
        try await send(producer, "slow-txn", ["late"])
        try await producer.flush()
        try await Task.sleep(for: .seconds(4))  // the coordinator aborts it (checked every second)
        let error = await #expect(throws: KafkaError.self) { try await producer.commitTransaction() }
        #expect(error?.code == .producerFenced)
        await producer.close()
        #expect(try await rdkafkaValues(broker.bootstrap, "slow-txn", isolation: "read_committed") == [])
    }

    @Test func transactionCallsOutOfOrderAreIllegalState() async throws {
        let broker = try EmbeddedBrokerProcess()
        defer { broker.stop() }
        let producer = try transactionalProducer(broker.bootstrap, id: "order")
        await #expect(throws: KafkaClientError.self) { try await producer.beginTransaction() }
        await #expect(throws: KafkaClientError.self) {
            try await producer.sendAndForget(topic: "x", key: nil, value: ByteBuffer(string: "v"))
        }
        try await producer.initTransactions()
        await #expect(throws: KafkaClientError.self) { try await producer.commitTransaction() }
        await producer.close()
    }

    /// Consume, transform, produce with offsets in the transaction: an aborted round is
    /// redone from the committed offsets, and the output holds each input once.
    @Test func consumeTransformProduceIsExactlyOnce() async throws {
        let broker = try EmbeddedBrokerProcess()
        defer { broker.stop() }
        try await createTopics(broker.bootstrap, ["eos-in": 2, "eos-out": 1])
        for p: Int32 in 0..<2 {
            try await produce(broker.bootstrap, topic: "eos-in", partition: p, values: (0..<30).map { "p\(p)-\($0)" })
        }
        let consumer = try KafkaConsumer(
            config: consumerConfig(broker.bootstrap, group: "eos") {
                $0.isolationLevel = .readCommitted
                $0.maxPollRecords = 10
            })
        try await consumer.subscribe(topics: ["eos-in"])
        let producer = try transactionalProducer(broker.bootstrap, id: "eos-app")
        try await producer.initTransactions()
        var rounds = 0
        var aborted = 0
        var done = 0
        let deadline = ContinuousClock.now + .seconds(60)
        while done < 60 && ContinuousClock.now < deadline {
            let records = try await consumer.poll(timeout: .milliseconds(300))
            if records.isEmpty { continue }
            rounds += 1
            try await producer.beginTransaction()
            try await producer.sendAndForget(
                records.map {
                    ProducerRecord(
                        topic: "eos-out", partition: 0, key: nil, value: ByteBuffer(string: "out-" + String(buffer: $0.value!)))
                })
            try await producer.sendOffsetsToTransaction(await consumer.consumedOffsets, group: try await consumer.groupMetadata())
            if rounds % 3 == 2 {
                // A failure in the middle: abort, and go back to the committed offsets.
                try await producer.abortTransaction()
                aborted += 1
                let committed = try await consumer.committed(await consumer.assignment)
                for partition in await consumer.assignment {
                    if let offset = committed[partition] {
                        try await consumer.seek(partition, to: offset.offset)
                    } else {
                        try await consumer.seekToBeginning([partition])
                    }
                }
            } else {
                try await producer.commitTransaction()
                done += records.count
            }
        }
        await producer.close()
        let finalOffsets = try await consumer.committed([TopicPartition("eos-in", 0), TopicPartition("eos-in", 1)])
        await consumer.close()
        #expect(aborted > 0)
        #expect(finalOffsets.mapValues(\.offset) == [TopicPartition("eos-in", 0): 30, TopicPartition("eos-in", 1): 30])
        let output = try await rdkafkaValues(broker.bootstrap, "eos-out", isolation: "read_committed")
        #expect(output.count == 60)
        #expect(Set(output) == Set((0..<2).flatMap { p in (0..<30).map { "out-p\(p)-\($0)" } }))
    }
}
