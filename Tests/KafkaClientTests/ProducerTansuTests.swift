import Foundation
import KafkaClient
import KafkaProtocol
import NIOCore
import Testing

/// A record as a test sends it, to compare with what librdkafka reads back.
struct SentRecord {
    var key: [UInt8]?
    var value: [UInt8]?
    var headers: [(String, [UInt8]?)] = []
    var timestamp: Int64?

    var headerBuffers: RecordHeaders {
        RecordHeaders(headers.map { (key: $0.0, value: $0.1.map { ByteBuffer(bytes: $0) }) })
    }

    /// Whether librdkafka read back exactly this record (a `nil` timestamp must lie in `window`).
    func matches(_ record: ConsumedRecord, window: ClosedRange<Int64>) -> Bool {
        guard record.key == key, record.value == value, record.timestampType == "create" else { return false }
        guard record.headers.count == headers.count,
            zip(record.headers, headers).allSatisfy({ $0.key == $1.0 && $0.value == $1.1 })
        else { return false }
        if let timestamp { return record.timestamp == timestamp }
        return window.contains(record.timestamp)
    }
}

/// Deterministic bytes for test data.
struct TestBytes {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt8 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return UInt8(truncatingIfNeeded: state >> 56)
    }
    mutating func bytes(_ count: Int) -> [UInt8] { (0..<count).map { _ in next() } }
}

func milliseconds() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

@Suite(.serialized) struct ProducerTansuTests {
    var broker: TansuBroker { get throws { try sharedTansu.get() } }

    func producer(_ configure: (inout ProducerConfig) -> Void = { _ in }) throws -> KafkaProducer {
        var config = ProducerConfig(client: try broker.config)
        configure(&config)
        return try KafkaProducer(config: config)
    }

    /// Records of every shape: null, empty and binary keys and values, values up to 40 KB,
    /// headers (duplicate keys, null values, none), explicit and default timestamps.
    static func mixedRecords(count: Int, seed: UInt64) -> [SentRecord] {
        var random = TestBytes(seed: seed)
        return (0..<count).map { i in
            let key: [UInt8]? = i % 7 == 0 ? nil : i % 11 == 0 ? [] : Array("key-\(i)".utf8) + random.bytes(i % 5)
            let valueSize = i == 17 ? 40_000 : (i * 37) % 700
            let value: [UInt8]? = i % 13 == 0 ? nil : i % 19 == 0 ? [] : random.bytes(valueSize)
            let headers: [(String, [UInt8]?)] =
                i % 3 == 0 ? [] : [("trace", random.bytes(8)), ("empty", []), ("null", nil), ("trace", Array("second".utf8))]
            let timestamp: Int64? = i % 5 == 0 ? nil : 1_700_000_000_000 + Int64(i) * 1000
            return SentRecord(key: key, value: value, headers: headers, timestamp: timestamp)
        }
    }

    /// Produces with one codec and reads back with librdkafka, comparing every field.
    ///
    /// Keyed records go where Java's partitioner puts them (checked through the read-back
    /// partition); null-key records get an explicit partition, so each partition's order
    /// is known. Then a few concurrent `send`s are matched by the (partition, offset) they
    /// returned.
    @Test(arguments: ["none", "gzip", "snappy", "lz4", "zstd"])
    func recordsReadBackByLibrdkafkaAreIdentical(codec: String) async throws {
        let broker = try self.broker
        let topic = uniqueTopic("interop-\(codec)")
        let partitions: Int32 = 3
        try await createTopic(topic, partitions: partitions, on: try broker.config)
        let producer = try self.producer { config in
            config.compression = CompressionCodec(CompressionType(name: codec)!)
            config.batchSize = 4096
        }
        let records = Self.mixedRecords(count: 300, seed: UInt64(codec.utf8.count))
        var expected: [Int32: [SentRecord]] = [:]
        let before = milliseconds()
        for (i, record) in records.enumerated() {
            let partition: Int32? = record.key == nil ? Int32(i) % partitions : nil
            try await producer.sendAndForget(
                topic: topic, partition: partition, key: record.key.map { ByteBuffer(bytes: $0) },
                value: record.value.map { ByteBuffer(bytes: $0) }, headers: record.headerBuffers, timestamp: record.timestamp)
            let target = partition ?? Murmur2.partition(forKey: record.key!, partitionCount: partitions)
            expected[target, default: []].append(record)
        }
        try await producer.flush()
        // Then concurrent sends, matched by the position each returned.
        let extra = Self.mixedRecords(count: 20, seed: 99)
        let positions = try await withThrowingTaskGroup(of: (Int, RecordPosition).self) { group in
            for (i, record) in extra.enumerated() {
                group.addTask {
                    let position = try await producer.send(
                        topic: topic, key: record.key, value: record.value, headers: record.headers, timestamp: record.timestamp)
                    return (i, position)
                }
            }
            return try await group.reduce(into: [Int: RecordPosition]()) { $0[$1.0] = $1.1 }
        }
        let after = milliseconds()
        await producer.close()
        let statistics = await producer.statistics
        #expect(statistics.recordsDelivered == 320 && statistics.recordsFailed == 0)

        let consumed = try consumeWithRdkafka(bootstrap: broker.bootstrap, topic: topic)
        #expect(consumed.count == 320)
        let byPosition = Dictionary(uniqueKeysWithValues: consumed.map { (RecordPositionKey($0.partition, $0.offset), $0) })
        for (i, position) in positions {
            #expect(position.topic == topic)
            let read = try #require(byPosition[RecordPositionKey(position.partition, position.offset)])
            #expect(extra[i].matches(read, window: before...after), "send \(i) at \(position): read \(read)")
        }
        let sentAtPositions = Set(positions.values.map { RecordPositionKey($0.partition, $0.offset) })
        for partition in 0..<partitions {
            let read = consumed.filter {
                $0.partition == partition && !sentAtPositions.contains(RecordPositionKey($0.partition, $0.offset))
            }
            let sent = expected[partition] ?? []
            #expect(read.count == sent.count, "partition \(partition)")
            for (index, (record, back)) in zip(sent, read).enumerated() {
                #expect(record.matches(back, window: before...after), "partition \(partition) record \(index): read \(back)")
            }
        }
    }

    @Test func sendReturnsConsecutiveOffsetsAndTheTimestamp() async throws {
        let broker = try self.broker
        let topic = uniqueTopic("offsets")
        try await createTopic(topic, partitions: 1, on: try broker.config)
        let producer = try self.producer()
        var offsets: [Int64] = []
        for i in 0..<5 {
            let position = try await producer.send(
                topic: topic, key: nil, value: ByteBuffer(string: "v\(i)"), timestamp: 1_000 + Int64(i))
            #expect(position.partition == 0)
            #expect(position.timestamp == 1_000 + Int64(i))
            offsets.append(position.offset)
        }
        await producer.close()
        #expect(offsets == Array(offsets[0]..<offsets[0] + 5))
        let read = try consumeWithRdkafka(bootstrap: broker.bootstrap, topic: topic)
        #expect(read.map(\.offset) == offsets)
        #expect(read.map { String(decoding: $0.value ?? [], as: UTF8.self) } == ["v0", "v1", "v2", "v3", "v4"])
    }

    /// KIP-480: records without a key fill one partition's batch, then move to another
    /// partition when a new batch starts.
    @Test func nullKeysStickToAPartitionPerBatch() async throws {
        let broker = try self.broker
        let topic = uniqueTopic("sticky")
        try await createTopic(topic, partitions: 4, on: try broker.config)
        let producer = try self.producer { config in
            config.batchSize = 1024
            config.linger = .seconds(5)
        }
        for i in 0..<400 {
            try await producer.sendAndForget(topic: topic, key: nil, value: ByteBuffer(string: String(format: "%05d", i)))
        }
        try await producer.flush()
        let batches = await producer.statistics.batches
        await producer.close()
        let read = try consumeWithRdkafka(bootstrap: broker.bootstrap, topic: topic)
        #expect(read.count == 400)
        // Each partition holds contiguous runs of the sent sequence; a run is one batch.
        let order = read.sorted {
            Int(String(decoding: $0.value!, as: UTF8.self))! < Int(String(decoding: $1.value!, as: UTF8.self))!
        }
        var runs: [(partition: Int32, count: Int)] = []
        for record in order {
            if let last = runs.last, last.partition == record.partition {
                runs[runs.count - 1].count += 1
            } else {
                runs.append((record.partition, 1))
            }
        }
        #expect(runs.count == batches, "one run per batch: \(runs)")
        #expect(runs.dropLast().allSatisfy { $0.count > 20 }, "full batches of ~1 KiB: \(runs)")
        #expect(Set(runs.map(\.partition)).count > 1)
        #expect(zip(runs, runs.dropFirst()).allSatisfy { $0.partition != $1.partition }, "a new batch moves the sticky partition")
    }

    @Test func acksZeroAndAcksOneDeliver() async throws {
        let broker = try self.broker
        let topic = uniqueTopic("acks")
        try await createTopic(topic, partitions: 1, on: try broker.config)
        let none = try producer { config in
            config.acks = .none
            config.enableIdempotence = false
        }
        let position = try await none.send(topic: topic, key: nil, value: ByteBuffer(string: "zero"))
        #expect(position.offset == -1)
        await none.close()
        let leader = try producer { config in
            config.acks = .leader
            config.enableIdempotence = false
        }
        let second = try await leader.send(topic: topic, key: nil, value: ByteBuffer(string: "one"))
        await leader.close()
        #expect(second.offset >= 1)
        let read = try consumeWithRdkafka(bootstrap: broker.bootstrap, topic: topic)
        #expect(read.map { String(decoding: $0.value ?? [], as: UTF8.self) } == ["zero", "one"])
    }

    @Test func anUnknownTopicFailsAfterMaxBlock() async throws {
        let producer = try producer { config in config.maxBlock = .milliseconds(800) }
        let topic = uniqueTopic("missing")
        let start = ContinuousClock.now
        do {
            try await producer.sendAndForget(topic: topic, key: nil, value: ByteBuffer(string: "x"))
            Issue.record("expected an error")
        } catch let error as KafkaError {
            #expect(error.code == .unknownTopicOrPartition)
            #expect(error.topic == topic)
            #expect("\(error)".contains("max.block.ms"))
        }
        #expect(ContinuousClock.now - start < .seconds(5))
        await producer.close()
    }

    @Test func flushAndCloseDrainEverything() async throws {
        let broker = try self.broker
        let topic = uniqueTopic("drain")
        try await createTopic(topic, partitions: 2, on: try broker.config)
        let producer = try producer { config in config.linger = .seconds(30) }
        for i in 0..<50 {
            try await producer.sendAndForget(topic: topic, key: ByteBuffer(string: "k\(i)"), value: ByteBuffer(string: "\(i)"))
        }
        try await producer.flush()  // must not wait for the 30 s linger
        #expect(await producer.statistics.recordsDelivered == 50)
        for i in 50..<80 {
            try await producer.sendAndForget(topic: topic, key: ByteBuffer(string: "k\(i)"), value: ByteBuffer(string: "\(i)"))
        }
        await producer.close()
        #expect(await producer.statistics.recordsDelivered == 80)
        await #expect(throws: KafkaClientError.self) {
            try await producer.sendAndForget(topic: topic, key: nil, value: ByteBuffer(string: "late"))
        }
        #expect(try consumeWithRdkafka(bootstrap: broker.bootstrap, topic: topic).count == 80)
    }
}

extension ProducerTansuTests {
    /// The service shape: `run()` returns once its task is cancelled, after draining.
    @Test func runDrainsAndClosesWhenCancelled() async throws {
        let broker = try self.broker
        let topic = uniqueTopic("service")
        try await createTopic(topic, partitions: 1, on: try broker.config)
        let producer = try producer { config in config.linger = .seconds(30) }
        let service = Task { await producer.run() }
        for i in 0..<20 { try await producer.sendAndForget(topic: topic, key: nil, value: ByteBuffer(string: "\(i)")) }
        service.cancel()
        await service.value
        #expect(await producer.statistics.recordsDelivered == 20)
        await #expect(throws: KafkaClientError.self) {
            try await producer.sendAndForget(topic: topic, key: nil, value: ByteBuffer(string: "late"))
        }
        #expect(try consumeWithRdkafka(bootstrap: broker.bootstrap, topic: topic).count == 20)
    }
}

struct RecordPositionKey: Hashable {
    let partition: Int32
    let offset: Int64
    init(_ partition: Int32, _ offset: Int64) {
        self.partition = partition
        self.offset = offset
    }
}
