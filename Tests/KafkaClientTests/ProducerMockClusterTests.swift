import KafkaClient
import KafkaProtocol
import NIOCore
import Testing

/// The producer against librdkafka's 3-broker mock cluster, with injected faults.
///
/// What is read back (with librdkafka) must equal what was sent: every record exactly
/// once, and each partition in send order. The mock validates producer sequence numbers
/// only for transactional producers, so it never rejects a duplicate or out-of-order
/// batch of this (idempotent, non-transactional) producer. A real broker rejects a
/// partition's later batches (OUT_OF_ORDER_SEQUENCE_NUMBER) when an earlier one failed,
/// and drops a resent batch it already has; the mock writes both. So where a test injects
/// an error into single requests, it keeps one request per broker in flight (waves of
/// records, each sent by `flush()`): then order and uniqueness depend on the producer
/// alone. Faults that fail every later request too (a leader move, a broker down) are
/// tested with records streaming.
@Suite(.serialized) struct ProducerMockClusterTests {
    func producer(_ mock: MockCluster, _ configure: (inout ProducerConfig) -> Void = { _ in }) throws -> KafkaProducer {
        var config = ProducerConfig(client: try mock.config)
        config.client.retryBackoff = .milliseconds(20)
        config.retryBackoffMax = .milliseconds(200)
        config.client.reconnectBackoffMax = .milliseconds(200)
        configure(&config)
        return try KafkaProducer(config: config)
    }

    /// Values read back per partition, in offset order.
    func readBack(_ mock: MockCluster, _ topic: String) throws -> [Int32: [String]] {
        let records = try consumeWithRdkafka(bootstrap: mock.addresses, topic: topic)
        return Dictionary(grouping: records, by: \.partition).mapValues {
            $0.map { String(decoding: $0.value ?? [], as: UTF8.self) }
        }
    }

    /// Sends `values` with keys `key-(i % keys)`; returns the expected values per partition.
    func sendKeyed(
        _ producer: KafkaProducer, topic: String, values: Range<Int>, keys: Int = 50, partitions: Int32
    ) async throws -> [Int32: [String]] {
        var expected: [Int32: [String]] = [:]
        for i in values {
            let key = "key-\(i % keys)"
            try await producer.sendAndForget(topic: topic, key: ByteBuffer(string: key), value: ByteBuffer(string: "\(i)"))
            expected[Murmur2.partition(forKey: Array(key.utf8), partitionCount: partitions), default: []].append("\(i)")
        }
        return expected
    }

    /// Where read-back values differ from the expected ones (empty when equal).
    func differences(_ read: [Int32: [String]], _ expected: [Int32: [String]]) -> [String] {
        var found: [String] = []
        for partition in Set(read.keys).union(expected.keys).sorted() {
            let got = read[partition] ?? []
            let want = expected[partition] ?? []
            if got == want { continue }
            let index = Array(zip(got, want)).firstIndex { $0.0 != $0.1 } ?? min(got.count, want.count)
            func around(_ values: [String]) -> String {
                values[min(values.count, max(0, index - 2))..<min(values.count, index + 3)].joined(separator: ",")
            }
            found.append(
                "partition \(partition): \(got.count) read, \(want.count) sent; first difference at \(index): read [\(around(got))] sent [\(around(want))]"
            )
        }
        return found
    }

    func merge(_ a: inout [Int32: [String]], _ b: [Int32: [String]]) {
        for (partition, values) in b { a[partition, default: []] += values }
    }

    func leader(_ mock: MockCluster, _ topic: String, _ partition: Int32) async throws -> Int32 {
        let cluster = KafkaCluster(config: try mock.config)
        let leader = try await cluster.leader(topic: topic, partition: partition)
        await cluster.close()
        return leader
    }

    /// Counts of tracked requests by API key.
    func requestCounts(_ mock: MockCluster) throws -> [Int: Int] {
        let answer = try mock.command("requests").split(separator: " ").dropFirst()
        return answer.reduce(into: [:]) { counts, entry in
            if let key = Int(entry.split(separator: ":").last ?? "") { counts[key, default: 0] += 1 }
        }
    }

    @Test func keyedRecordsReachEveryBrokerInOrder() async throws {
        let mock = try MockCluster(brokers: 3)
        defer { mock.stop() }
        try mock.command("create-topic orders 6 3")
        let producer = try producer(mock) { $0.batchSize = 2048 }
        let expected = try await sendKeyed(producer, topic: "orders", values: 0..<3000, partitions: 6)
        await producer.close()
        let statistics = await producer.statistics
        #expect(statistics.recordsDelivered == 3000 && statistics.producerIdInitializations == 1)
        var leaders: Set<Int32> = []
        for partition in Int32(0)..<6 { leaders.insert(try await leader(mock, "orders", partition)) }
        #expect(leaders.count > 1, "partitions led by several brokers")
        let diff = differences(try readBack(mock, "orders"), expected)
        #expect(diff.isEmpty, "\(diff)")
    }

    /// Injected NOT_LEADER_OR_FOLLOWER (and other retriable errors, and dropped
    /// connections) before each wave of records; each wave is one batch per partition,
    /// sent by `flush()`.
    @Test func retriableErrorsLoseDuplicateAndReorderNothing() async throws {
        let mock = try MockCluster(brokers: 3)
        defer { mock.stop() }
        try mock.command("create-topic orders 4 3")
        let producer = try producer(mock) { $0.linger = .seconds(60) }
        var expected: [Int32: [String]] = [:]
        let errors = [
            "NOT_LEADER_FOR_PARTITION NOT_LEADER_FOR_PARTITION", "NOT_ENOUGH_REPLICAS", "_TRANSPORT",
            "REQUEST_TIMED_OUT LEADER_NOT_AVAILABLE",
        ]
        for wave in 0..<8 {
            try mock.command("push-errors Produce \(errors[wave % errors.count])")
            merge(&expected, try await sendKeyed(producer, topic: "orders", values: wave * 100..<(wave + 1) * 100, partitions: 4))
            try await producer.flush()
        }
        await producer.close()
        let statistics = await producer.statistics
        #expect(statistics.recordsDelivered == 800 && statistics.recordsFailed == 0)
        #expect(statistics.retries >= 8)
        let diff = differences(try readBack(mock, "orders"), expected)
        #expect(diff.isEmpty, "\(diff)")
    }

    /// Many batches in flight per partition (5 requests per connection) while errors are
    /// injected: nothing lost, nothing duplicated. Order is checked in the wave test above,
    /// and dropped connections are not injected here: with requests pipelined, the mock
    /// may write a request that follows the one it drops the connection on, and only a
    /// real broker's sequence check drops the resent copy (see the suite's note).
    @Test func continuousProductionWithErrorsLosesAndDuplicatesNothing() async throws {
        let mock = try MockCluster(brokers: 3)
        defer { mock.stop() }
        try mock.command("create-topic orders 4 3")
        let producer = try producer(mock) { $0.batchSize = 512 }
        var expected: [Int32: [String]] = [:]
        let errors = [
            "NOT_LEADER_FOR_PARTITION", "REQUEST_TIMED_OUT", "NOT_ENOUGH_REPLICAS NOT_ENOUGH_REPLICAS", "LEADER_NOT_AVAILABLE",
        ]
        for step in 0..<8 {
            merge(&expected, try await sendKeyed(producer, topic: "orders", values: step * 500..<(step + 1) * 500, partitions: 4))
            try mock.command("push-errors Produce \(errors[step % errors.count])")
        }
        await producer.close()
        let statistics = await producer.statistics
        #expect(statistics.recordsDelivered == 4000 && statistics.recordsFailed == 0)
        #expect(statistics.retries > 0)
        let read = try readBack(mock, "orders")
        for partition in Int32(0)..<4 {
            #expect((read[partition] ?? []).sorted() == (expected[partition] ?? []).sorted(), "partition \(partition)")
        }
    }

    /// Leaders move while records stream in: requests to the old leader fail with
    /// NOT_LEADER_FOR_PARTITION, metadata is refreshed, and the batches go to the new leader
    /// in order.
    @Test func leaderMovesDuringProductionKeepOrder() async throws {
        let mock = try MockCluster(brokers: 3)
        defer { mock.stop() }
        try mock.command("create-topic orders 3 3")
        let producer = try producer(mock) { $0.batchSize = 1024 }
        var expected: [Int32: [String]] = [:]
        for step in 0..<9 {
            if step == 3 || step == 6 {
                for partition in Int32(0)..<3 {
                    let current = try await leader(mock, "orders", partition)
                    try mock.command("leader orders \(partition) \(current % 3 + 1)")
                }
            }
            merge(&expected, try await sendKeyed(producer, topic: "orders", values: step * 300..<(step + 1) * 300, partitions: 3))
            try await Task.sleep(for: .milliseconds(30))
        }
        await producer.close()
        #expect(await producer.statistics.recordsFailed == 0)
        let diff = differences(try readBack(mock, "orders"), expected)
        #expect(diff.isEmpty, "\(diff)")
    }

    /// A partition's leader goes down: its records wait (retrying) until the leader moves
    /// to a live broker; then the broker comes back and takes more.
    @Test func brokerDownThenLeaderMoveAndBrokerUp() async throws {
        let mock = try MockCluster(brokers: 3)
        defer { mock.stop() }
        try mock.command("create-topic orders 3 3")
        let producer = try producer(mock)
        var expected = try await sendKeyed(producer, topic: "orders", values: 0..<100, partitions: 3)
        try await producer.flush()
        let down = try await leader(mock, "orders", 0)
        try mock.command("broker-down \(down)")
        merge(&expected, try await sendKeyed(producer, topic: "orders", values: 100..<400, partitions: 3))
        try await Task.sleep(for: .milliseconds(600))
        for partition in Int32(0)..<3 where try await leader(mock, "orders", partition) == down {
            try mock.command("leader orders \(partition) \(down % 3 + 1)")
        }
        try await producer.flush()
        try mock.command("broker-up \(down)")
        try mock.command("leader orders 1 \(down)")
        merge(&expected, try await sendKeyed(producer, topic: "orders", values: 400..<600, partitions: 3))
        await producer.close()
        let statistics = await producer.statistics
        #expect(statistics.recordsDelivered == 600 && statistics.recordsFailed == 0)
        #expect(statistics.retries > 0)
        let diff = differences(try readBack(mock, "orders"), expected)
        #expect(diff.isEmpty, "\(diff)")
    }

    /// UNKNOWN_PRODUCER_ID: the broker has no state for the producer id, so the batch was
    /// not written; the producer gets a new id (InitProducerId) and sends it again.
    @Test func unknownProducerIdRenewsTheIdAndResends() async throws {
        let mock = try MockCluster(brokers: 3)
        defer { mock.stop() }
        try mock.command("create-topic orders 1 3")
        try mock.command("track-requests on")
        let producer = try producer(mock) { $0.linger = .seconds(60) }
        var expected = try await sendKeyed(producer, topic: "orders", values: 0..<50, partitions: 1)
        try await producer.flush()
        try mock.command("push-errors Produce UNKNOWN_PRODUCER_ID")
        merge(&expected, try await sendKeyed(producer, topic: "orders", values: 50..<100, partitions: 1))
        try await producer.flush()
        merge(&expected, try await sendKeyed(producer, topic: "orders", values: 100..<150, partitions: 1))
        await producer.close()
        let statistics = await producer.statistics
        #expect(statistics.recordsDelivered == 150 && statistics.recordsFailed == 0)
        #expect(statistics.producerIdInitializations == 2)
        #expect(try requestCounts(mock)[22] == 2, "two InitProducerId requests")
        let diff = differences(try readBack(mock, "orders"), expected)
        #expect(diff.isEmpty, "\(diff)")
    }

    /// OUT_OF_ORDER_SEQUENCE_NUMBER for a batch whose predecessors were all acknowledged:
    /// as in Java, that batch fails (naming topic and partition) and the producer id is
    /// renewed so later records go through.
    @Test func outOfOrderSequenceFailsThatBatchOnly() async throws {
        let mock = try MockCluster(brokers: 3)
        defer { mock.stop() }
        try mock.command("create-topic orders 1 3")
        let producer = try producer(mock)
        _ = try await producer.send(topic: "orders", key: nil, value: ByteBuffer(string: "a"))
        try mock.command("push-errors Produce OUT_OF_ORDER_SEQUENCE_NUMBER")
        do {
            _ = try await producer.send(topic: "orders", key: nil, value: ByteBuffer(string: "b"))
            Issue.record("expected OUT_OF_ORDER_SEQUENCE_NUMBER")
        } catch let error as KafkaError {
            #expect(error.code == .outOfOrderSequenceNumber)
            #expect(error.topic == "orders" && error.partition == 0 && error.api == "Produce")
        }
        let c = try await producer.send(topic: "orders", key: nil, value: ByteBuffer(string: "c"))
        #expect(c.offset == 1)
        await producer.close()
        #expect(await producer.statistics.producerIdInitializations == 2)
        #expect(try readBack(mock, "orders") == [0: ["a", "c"]])
    }

    /// DUPLICATE_SEQUENCE_NUMBER means the broker already has the batch: a success.
    @Test func duplicateSequenceIsSuccess() async throws {
        let mock = try MockCluster(brokers: 3)
        defer { mock.stop() }
        try mock.command("create-topic orders 1 3")
        let producer = try producer(mock)
        _ = try await producer.send(topic: "orders", key: nil, value: ByteBuffer(string: "a"))
        try mock.command("push-errors Produce DUPLICATE_SEQUENCE_NUMBER")
        let position = try await producer.send(topic: "orders", key: nil, value: ByteBuffer(string: "b"))
        #expect(position.partition == 0)
        await producer.close()
        let statistics = await producer.statistics
        #expect(statistics.recordsFailed == 0 && statistics.retries == 0 && statistics.requests == 2)
    }

    /// A non-retriable error fails the batch's sends with a KafkaError naming topic and
    /// partition; the producer goes on.
    @Test func nonRetriableErrorsFailTheirRecords() async throws {
        let mock = try MockCluster(brokers: 3)
        defer { mock.stop() }
        try mock.command("create-topic orders 2 3")
        final class Failures: @unchecked Sendable {  // appended to on the producer's actor only, read after close
            var reports: [DeliveryFailure] = []
        }
        let failures = Failures()
        var config = ProducerConfig(client: try mock.config)
        config.client.retryBackoff = .milliseconds(20)
        let producer = try KafkaProducer(config: config) { failures.reports.append($0) }
        _ = try await producer.send(topic: "orders", partition: 1, key: nil, value: ByteBuffer(string: "a"))
        try mock.command("push-errors Produce TOPIC_AUTHORIZATION_FAILED")
        do {
            _ = try await producer.send(topic: "orders", partition: 1, key: nil, value: ByteBuffer(string: "b"))
            Issue.record("expected TOPIC_AUTHORIZATION_FAILED")
        } catch let error as KafkaError {
            #expect(error.code == .topicAuthorizationFailed)
            #expect(error.topic == "orders" && error.partition == 1)
            #expect("\(error)".contains("orders-1"))
        }
        try mock.command("push-errors Produce MSG_SIZE_TOO_LARGE")
        try await producer.sendAndForget(topic: "orders", partition: 1, key: nil, value: ByteBuffer(string: "c"))
        try await producer.flush()
        _ = try await producer.send(topic: "orders", partition: 1, key: nil, value: ByteBuffer(string: "d"))
        await producer.close()
        #expect(failures.reports.map { $0.description.contains("orders-1") } == [true, true])
        #expect((failures.reports.last?.error as? KafkaError)?.code == .messageTooLarge)
        #expect(await producer.statistics.recordsFailed == 2)
        #expect(try readBack(mock, "orders") == [1: ["a", "d"]])
    }

    /// Retries stop after `retries` attempts, and at `delivery.timeout.ms`.
    @Test func retriesAreBoundedByRetriesAndDeliveryTimeout() async throws {
        let mock = try MockCluster(brokers: 3)
        defer { mock.stop() }
        try mock.command("create-topic orders 1 3")
        let limited = try producer(mock) { $0.retries = 2 }
        _ = try await limited.send(topic: "orders", key: nil, value: ByteBuffer(string: "warm-up"))
        try mock.command("track-requests on")
        try mock.command("push-errors Produce NOT_ENOUGH_REPLICAS NOT_ENOUGH_REPLICAS NOT_ENOUGH_REPLICAS NOT_ENOUGH_REPLICAS")
        do {
            _ = try await limited.send(topic: "orders", key: nil, value: ByteBuffer(string: "x"))
            Issue.record("expected NOT_ENOUGH_REPLICAS")
        } catch let error as KafkaError {
            #expect(error.code == .notEnoughReplicas && error.topic == "orders" && error.partition == 0)
        }
        #expect(try requestCounts(mock)[0] == 3, "1 attempt + 2 retries")
        await limited.close()
        try mock.command("clear-errors Produce")

        let timed = try producer(mock) { config in
            config.client.requestTimeout = .milliseconds(500)
            config.deliveryTimeout = .milliseconds(800)
        }
        _ = try await timed.send(topic: "orders", key: nil, value: ByteBuffer(string: "warm-up"))
        try mock.command("push-errors Produce " + Array(repeating: "NOT_ENOUGH_REPLICAS", count: 200).joined(separator: " "))
        let start = ContinuousClock.now
        do {
            _ = try await timed.send(topic: "orders", key: nil, value: ByteBuffer(string: "y"))
            Issue.record("expected a delivery timeout")
        } catch let error as KafkaClientError {
            #expect(error.code == .timeout)
            #expect(error.message.contains("orders-0") && error.message.contains("delivery.timeout.ms"))
            #expect((error.cause as? KafkaError)?.code == .notEnoughReplicas)
        }
        #expect(ContinuousClock.now - start < .seconds(5))
        try mock.command("clear-errors Produce")
        await timed.close()
    }

    /// `close(timeout:)` gives up on records it cannot deliver in time, failing them with
    /// `closed` instead of waiting for `delivery.timeout.ms`.
    @Test func closeWithATimeoutFailsWhatIsUndelivered() async throws {
        let mock = try MockCluster(brokers: 3)
        defer { mock.stop() }
        try mock.command("create-topic orders 1 3")
        let producer = try producer(mock)
        _ = try await producer.send(topic: "orders", key: nil, value: ByteBuffer(string: "a"))
        let leader = try await leader(mock, "orders", 0)
        try mock.command("broker-down \(leader)")
        let pending = Task { try await producer.send(topic: "orders", key: nil, value: ByteBuffer(string: "b")) }
        try await Task.sleep(for: .milliseconds(200))
        let start = ContinuousClock.now
        await producer.close(timeout: .milliseconds(300))
        #expect(ContinuousClock.now - start < .seconds(5))
        do {
            _ = try await pending.value
            Issue.record("expected the send to fail")
        } catch let error as KafkaClientError {
            #expect(error.code == .closed)
        }
        try mock.command("broker-up \(leader)")
        #expect(await producer.statistics.recordsFailed == 1)
    }

    /// buffer.memory full: sends suspend, and fail after max.block.ms.
    @Test func aFullBufferBlocksThenRejects() async throws {
        let mock = try MockCluster(brokers: 3)
        defer { mock.stop() }
        try mock.command("create-topic orders 1 3")
        let producer = try producer(mock) { config in
            config.bufferMemory = 16 * 1024
            config.maxBlock = .milliseconds(300)
        }
        _ = try await producer.send(topic: "orders", key: nil, value: ByteBuffer(string: "warm-up"))
        // Responses take 8 s, so no buffer space comes back while the loop below runs, however
        // slowly a loaded machine runs it (1.5 s was not enough in CI: 30 accepted).
        for broker in 1...3 { try mock.command("rtt \(broker) 8000") }
        var accepted = 0
        var rejection: KafkaClientError?
        let value = ByteBuffer(repeating: 0x61, count: 1000)
        for _ in 0..<100 {
            do {
                try await producer.sendAndForget(topic: "orders", key: nil, value: value)
                accepted += 1
            } catch let error as KafkaClientError {
                rejection = error
                break
            }
        }
        #expect(rejection?.code == .recordRejected)
        #expect(rejection?.message.contains("buffer.memory") == true)
        #expect((10...16).contains(accepted), "about 16 KiB of 1 KB records: \(accepted)")
        for broker in 1...3 { try mock.command("rtt \(broker) 0") }
        try await producer.flush()
        // With responses flowing, sends wait briefly for space and go through.
        for _ in 0..<40 { try await producer.sendAndForget(topic: "orders", key: nil, value: value) }
        await producer.close()
        #expect(await producer.statistics.recordsDelivered == 1 + accepted + 40)
    }
}
