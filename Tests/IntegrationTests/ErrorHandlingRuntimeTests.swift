import Foundation
import KafkaClient
import KafkaStreams
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
}
