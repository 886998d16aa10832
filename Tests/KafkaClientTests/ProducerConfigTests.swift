import KafkaClient
import KafkaProtocol
import NIOCore
import Testing

@Suite struct ProducerConfigTests {
    let base = ["bootstrap.servers": "127.0.0.1:9092"]

    func config(_ extra: [String: String]) throws -> ProducerConfig {
        try ProducerConfig(properties: base.merging(extra) { $1 })
    }

    func message(_ extra: [String: String]) -> String? {
        do {
            _ = try config(extra)
            return nil
        } catch let error as KafkaClientError {
            return error.code == .invalidConfig ? error.message : "wrong code \(error.code)"
        } catch {
            return "unexpected \(error)"
        }
    }

    @Test func defaultsAreKafka4s() throws {
        let config = try config([:])
        #expect(config.acks == .all)
        #expect(config.linger == .milliseconds(5))
        #expect(config.batchSize == 16384)
        #expect(config.bufferMemory == 33_554_432)
        #expect(config.maxBlock == .seconds(60))
        #expect(config.compression == .none)
        #expect(config.retries == 2_147_483_647)
        #expect(config.deliveryTimeout == .seconds(120))
        #expect(config.maxInFlight == 5)
        #expect(config.enableIdempotence)
        #expect(config.maxRequestSize == 1_048_576)
        #expect(config.partitioner.description == "default")
    }

    @Test func kafkaPropertyNamesAreRead() throws {
        let config = try config([
            "acks": "1", "linger.ms": "20", "batch.size": "65536", "buffer.memory": "1048576", "max.block.ms": "500",
            "compression.type": "zstd", "compression.zstd.level": "7", "retries": "3", "retry.backoff.ms": "10",
            "retry.backoff.max.ms": "200", "delivery.timeout.ms": "60000", "max.in.flight.requests.per.connection": "2",
            "max.request.size": "2097152", "partitioner.class": "org.apache.kafka.clients.producer.RoundRobinPartitioner",
            "client.id": "orders", "request.timeout.ms": "5000",
        ])
        #expect(config.acks == .leader)
        #expect(config.linger == .milliseconds(20))
        #expect(config.batchSize == 65536)
        #expect(config.bufferMemory == 1_048_576)
        #expect(config.maxBlock == .milliseconds(500))
        #expect(config.compression == CompressionCodec(.zstd, level: 7))
        #expect(config.retries == 3)
        #expect(config.client.retryBackoff == .milliseconds(10))
        #expect(config.retryBackoffMax == .milliseconds(200))
        #expect(config.deliveryTimeout == .seconds(60))
        #expect(config.maxInFlight == 2)
        #expect(config.maxRequestSize == 2_097_152)
        #expect(config.partitioner.description == "roundRobin")
        #expect(config.client.clientID == "orders")
        #expect(config.client.requestTimeout == .seconds(5))
        // acks=1 without an explicit enable.idempotence switches idempotence off, as in Java.
        #expect(!config.enableIdempotence)
        #expect(try self.config(["acks": "all"]).acks == .all)
        #expect(
            try self.config(["acks": "-1", "compression.type": "gzip", "compression.gzip.level": "9"]).compression
                == CompressionCodec(.gzip, level: 9))
        #expect(try self.config(["partitioner.ignore.keys": "true"]).partitioner.description == "uniformSticky")
    }

    @Test func unknownNamesAndBadValuesAreRejectedByName() {
        #expect(message(["linger": "5"])?.contains("unknown producer property linger") == true)
        #expect(message(["lingerms": "5", "batchsize": "1"])?.contains("(and 1 more)") == true)
        #expect(message(["acks": "2"])?.contains("acks must be one of") == true)
        #expect(message(["linger.ms": "soon"])?.contains("linger.ms must be an integer") == true)
        #expect(message(["batch.size": "-1"])?.contains("batch.size must be at least 0") == true)
        #expect(message(["compression.type": "brotli"])?.contains("compression.type must be one of") == true)
        #expect(message(["compression.zstd.level": "99"])?.contains("compression.zstd.level must be at most 22") == true)
        #expect(message(["enable.idempotence": "yes"])?.contains("enable.idempotence must be true or false") == true)
        #expect(
            message(["max.in.flight.requests.per.connection": "0"])?.contains("max.in.flight.requests.per.connection") == true)
        #expect(message(["partitioner.class": "com.example.Mine"])?.contains("partitioner.class") == true)
        #expect(
            message(["delivery.timeout.ms": "1000"])?.contains(
                "delivery.timeout.ms (1000) must be at least linger.ms + request.timeout.ms") == true)
        #expect(message(["request.timeout.ms": "x"])?.contains("request.timeout.ms") == true)
    }

    @Test func explicitIdempotenceConflictsAreErrors() {
        #expect(message(["enable.idempotence": "true", "acks": "1"])?.contains("enable.idempotence requires acks=all") == true)
        #expect(message(["enable.idempotence": "true", "retries": "0"])?.contains("requires retries > 0") == true)
        #expect(
            message(["enable.idempotence": "true", "max.in.flight.requests.per.connection": "6"])?.contains("<= 5") == true)
        // Not given: switched off quietly, as Java does.
        #expect((try? config(["max.in.flight.requests.per.connection": "6"]))?.enableIdempotence == false)
        #expect((try? config(["retries": "0"]))?.enableIdempotence == false)
        #expect((try? config(["enable.idempotence": "false", "acks": "0"]))?.acks == ProducerConfig.Acks.none)

        var typed = ProducerConfig(client: try! ClientConfig(bootstrapServers: "127.0.0.1:9092"))
        typed.acks = .leader
        #expect(throws: KafkaClientError.self) { try typed.validate() }
        #expect(throws: KafkaClientError.self) { try KafkaProducer(config: typed) }
        typed.enableIdempotence = false
        #expect(throws: Never.self) { try typed.validate() }
    }

    /// Checked before anything connects (the bootstrap address is not even reachable).
    @Test func recordsTooLargeForARequestOrTheBufferAreRejected() async throws {
        var config = try ProducerConfig(bootstrapServers: "127.0.0.1:1")
        config.maxRequestSize = 10_000
        config.bufferMemory = 50_000
        let producer = try KafkaProducer(config: config)
        do {
            try await producer.sendAndForget(topic: "t", key: nil, value: ByteBuffer(repeating: 1, count: 20_000))
            Issue.record("expected recordRejected")
        } catch let error as KafkaClientError {
            #expect(error.code == .recordRejected)
            #expect(error.message.contains("max.request.size (10000)"))
        }
        do {
            _ = try await producer.send(topic: "t", key: nil, value: ByteBuffer(repeating: 1, count: 9_000), timestamp: -5)
            Issue.record("expected recordRejected")
        } catch let error as KafkaClientError {
            #expect(error.code == .recordRejected)
            #expect(error.message.contains("invalid timestamp -5"))
        }
        config.maxRequestSize = 1_000_000
        let small = try KafkaProducer(config: config)
        await #expect(throws: KafkaClientError.self) {
            try await small.sendAndForget(topic: "t", key: nil, value: ByteBuffer(repeating: 1, count: 60_000))
        }
        await producer.close()
        await small.close()
    }
}
