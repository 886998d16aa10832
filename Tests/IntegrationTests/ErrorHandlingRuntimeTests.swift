import Foundation
import KafkaTestSupport
import KafkaClient
import KafkaStreams
import NIOConcurrencyHelpers
import Testing

/// Poison records and the deserialization handler on a running application.
@Suite(.serialized)
struct ErrorHandlingRuntimeTests {
    static func topology() throws -> Topology {
        let builder = StreamsBuilder()
        builder.stream("numbers", key: .string, value: .int64)
            .mapValues { $0 * 10 }
            .to("tenfold", key: .string, value: .int64)
        return try builder.build()
    }

    static func numbers(_ broker: TestBroker) async throws {
        try await broker.createTopics(["numbers": 1, "tenfold": 1])
        let producer = try KafkaProducer(config: ProducerConfig(client: try broker.client))
        for (key, value) in [("a", [UInt8](repeating: 0, count: 7) + [1]), ("poison", Array("xyz".utf8)), ("b", [0, 0, 0, 0, 0, 0, 0, 2])] {
            _ = try await producer.send(topic: "numbers", key: Array(key.utf8), value: value)
        }
        await producer.close()
    }

    @Test func logAndContinueSkipsThePoisonRecordAndGoesOn() async throws {
        let broker = try await TestBroker.start(.embedded)
        defer { Task { await broker.stop() } }
        try await Self.numbers(broker)
        var config = WordCountRuntimeTests.config(broker, appID: "poison-continue", stateDir: temporaryDirectory("poison"))
        config.deserializationExceptionHandler = .logAndContinue
        let app = StreamsApplication(try Self.topology(), config: config)
        try await app.start()
        let output = try await broker.consume("tenfold") { $0.count >= 2 }
        #expect(output.map(\.keyString) == ["a", "b"])
        #expect(output.map(\.valueInt64) == [10, 20])
        #expect(app.state == .running)
        await app.close()
    }

    @Test func logAndFailStopsTheInstanceNamingTheRecord() async throws {
        let broker = try await TestBroker.start(.embedded)
        defer { Task { await broker.stop() } }
        try await Self.numbers(broker)
        let app = StreamsApplication(
            try Self.topology(), config: WordCountRuntimeTests.config(broker, appID: "poison-fail", stateDir: temporaryDirectory("poison")))
        try await app.start()
        let failed = await app.waitForState([.error], timeout: .seconds(60))
        #expect(failed)
        let error = try #require(app.failure as? StreamsError)
        #expect(error.code == .deserialization)
        #expect(error.context.topic == "numbers")
        #expect(error.context.partition == 0)
        #expect(error.context.offset == 1)
        await app.close()
    }

    struct Unlucky: Error {}

    static func unluckyTopology(failures: NIOLockedValueBox<Int>) throws -> Topology {
        let builder = StreamsBuilder()
        builder.stream("numbers", key: .string, value: .int64)
            .mapValues { value in
                if value == 13, failures.withLockedValue({ remaining in
                    defer { remaining -= 1 }
                    return remaining > 0
                }) {
                    throw Unlucky()
                }
                return value * 10
            }
            .to("tenfold", key: .string, value: .int64)
        return try builder.build()
    }

    static func produceNumbers(_ broker: TestBroker, _ values: [Int64]) async throws {
        try await broker.createTopics(["numbers": 1, "tenfold": 1])
        let producer = try KafkaProducer(config: ProducerConfig(client: try broker.client))
        for value in values {
            _ = try await producer.send(topic: "numbers", key: Array("k".utf8), value: withUnsafeBytes(of: value.bigEndian) { Array($0) })
        }
        await producer.close()
    }

    @Test func theProcessingHandlerCanSkipARecordAProcessorFailsOn() async throws {
        let broker = try await TestBroker.start(.embedded)
        defer { Task { await broker.stop() } }
        try await Self.produceNumbers(broker, [1, 13, 2])
        var config = WordCountRuntimeTests.config(broker, appID: "unlucky-skip", stateDir: temporaryDirectory("unlucky"))
        config.processingExceptionHandler = .logAndContinue
        let app = StreamsApplication(try Self.unluckyTopology(failures: NIOLockedValueBox(1)), config: config)
        try await app.start()
        let output = try await broker.consume("tenfold") { $0.count >= 2 }
        #expect(output.map(\.valueInt64) == [10, 20])
        #expect(app.state == .running)
        await app.close()
    }

    @Test func aReplacedThreadResumesFromTheCommittedOffsets() async throws {
        let broker = try await TestBroker.start(.embedded)
        defer { Task { await broker.stop() } }
        try await Self.produceNumbers(broker, [1, 13, 2])
        let app = StreamsApplication(
            try Self.unluckyTopology(failures: NIOLockedValueBox(1)),
            config: WordCountRuntimeTests.config(broker, appID: "unlucky-replace", stateDir: temporaryDirectory("unlucky")))
        let handled = NIOLockedValueBox<[String]>([])
        app.setUncaughtExceptionHandler { error in
            handled.withLockedValue { $0.append("\(error)") }
            return .replaceThread
        }
        try await app.start()
        let output = try await broker.consume("tenfold") { records in records.contains { $0.valueInt64 == 20 } }
        // The first thread failed on 13 after sending 10 (not committed); its replacement
        // starts again from the last committed offset: at least once, nothing lost.
        #expect(output.compactMap(\.valueInt64).filter { $0 != 10 } == [130, 20])
        #expect(output.contains { $0.valueInt64 == 10 })
        #expect(handled.withLockedValue { $0.count } == 1)
        #expect(handled.withLockedValue { $0.first?.contains("Unlucky") } == true)
        let threads = await app.localThreadsMetadata()
        #expect(threads.map(\.threadName) == ["unlucky-replace-StreamThread-2"])
        await app.close()
    }
}
