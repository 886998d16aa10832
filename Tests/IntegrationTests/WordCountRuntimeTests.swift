import Foundation
import KafkaTestSupport
import KafkaClient
import KafkaStreams
import Testing
import WordCount

/// WordCount end to end on a real broker: the embedded broker and tansu.
@Suite(.serialized)
struct WordCountRuntimeTests {
    static let lines = [
        "the quick brown fox", "jumps over the lazy dog", "The dog barks", "a fox is quick",
        "all good things", "the end of the story", "quick quick QUICK",
    ]

    /// Counts computed without the topology.
    static var expected: [String: Int64] {
        var counts: [String: Int64] = [:]
        for line in lines {
            for word in line.lowercased().split(separator: " ") { counts[String(word), default: 0] += 1 }
        }
        return counts
    }

    static func config(_ broker: TestBroker, appID: String, stateDir: String) -> StreamsConfig {
        var config = StreamsConfig(applicationID: appID, bootstrapServers: broker.bootstrap)
        config.stateDirectory = stateDir
        config.commitInterval = .milliseconds(200)
        config.producerLinger = .milliseconds(5)
        config.sessionTimeout = .seconds(10)
        config.heartbeatInterval = .seconds(1)
        return config
    }

    @Test(arguments: TestBroker.Kind.allCases)
    func countsWordsFromABroker(_ kind: TestBroker.Kind) async throws {
        let broker = try await TestBroker.start(kind)
        defer { Task { await broker.stop() } }
        try await broker.createTopics([WordCount.inputTopic: 2, WordCount.outputTopic: 1])
        try await broker.produce(WordCount.inputTopic, Self.lines.map { (nil, $0) })

        let app = StreamsApplication(
            try WordCount.topology(), config: Self.config(broker, appID: "wc-\(kind)", stateDir: temporaryDirectory("state")))
        try await app.start()
        let running = await app.waitForState([.running], timeout: .seconds(60))
        #expect(running)

        let expected = Self.expected
        let output = try await broker.consume(WordCount.outputTopic) { records in
            latestByKey(records, \.valueInt64) == expected
        }
        #expect(latestByKey(output, \.valueInt64) == expected)

        // Interactive queries over the local tasks' stores.
        let counts = app.keyValueStore(WordCount.storeName, key: String.self, value: Int64.self)
        #expect(try await counts.get("quick") == 5)
        #expect(try await counts.get("absent") == nil)
        let all = try await counts.all()
        #expect(Dictionary(uniqueKeysWithValues: all.map { ($0.key, $0.value) }) == expected)
        #expect(try await counts.approximateNumEntries() == expected.count)
        let partition = try app.partition(forKey: "quick", serde: .string, store: WordCount.storeName)
        #expect(partition.topic == "wc-\(kind)-\(WordCount.storeName)-repartition")

        let closed = await app.close(timeout: .seconds(30))
        #expect(closed)
        #expect(app.state == .notRunning)
        await #expect(throws: StreamsError.self) { try await counts.get("quick") }
    }
}
