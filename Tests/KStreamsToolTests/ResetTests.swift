import Foundation
import KafkaClient
import KafkaStreams
import KafkaTestSupport
import Testing
import WordCount

/// `kstreams reset` on a WordCount application run against the embedded broker in this
/// test process: a reset application recomputes the same counts from a clean slate.
@Suite(.serialized)
struct ResetTests {
    static let lines = ["the quick brown fox", "jumps over the lazy dog", "the dog barks", "a quick fox", "quick quick"]

    static var expected: [String: Int64] {
        var counts: [String: Int64] = [:]
        for line in lines { for word in line.split(separator: " ") { counts[String(word), default: 0] += 1 } }
        return counts
    }

    static func config(_ broker: ToolBroker, appID: String, stateDir: String) -> StreamsConfig {
        var config = StreamsConfig(applicationID: appID, bootstrapServers: broker.bootstrap)
        config.stateDirectory = stateDir
        config.commitInterval = .milliseconds(200)
        config.producerLinger = .milliseconds(5)
        config.sessionTimeout = .seconds(10)
        config.heartbeatInterval = .seconds(1)
        return config
    }

    /// Runs WordCount until every input line is processed and committed, then closes it.
    static func runToCompletion(_ broker: ToolBroker, _ config: StreamsConfig) async throws {
        let app = StreamsApplication(try WordCount.topology(), config: config)
        try await app.start()
        #expect(await app.waitForState([.running], timeout: .seconds(60)))
        #expect(try await broker.waitForNoLag(group: config.applicationID, on: WordCount.inputTopic))
        #expect(await app.close(timeout: .seconds(30)))
        #expect(try await broker.waitForNoMembers(group: config.applicationID))
    }

    @Test func resetGivesACleanSlate() async throws {
        let broker = try await ToolBroker.start()
        defer { Task { await broker.stop() } }
        let appID = "wc-reset"
        let stateDir = temporaryDirectory("state")
        try await broker.createTopics([WordCount.inputTopic: 2, WordCount.outputTopic: 1])
        try await broker.produce(WordCount.inputTopic, Self.lines)
        let config = Self.config(broker, appID: appID, stateDir: stateDir)

        try await Self.runToCompletion(broker, config)
        #expect(try await broker.latestCounts(WordCount.outputTopic) == Self.expected)
        let appState = stateDir + "/" + appID
        #expect(!((try? FileManager.default.contentsOfDirectory(atPath: appState)) ?? []).isEmpty)

        let dryRun = try await kstreams(
            "reset", "--application-id", appID, "--bootstrap-servers", broker.bootstrap, "--state-dir", stateDir, "--dry-run")
        #expect(dryRun.contains("[dry run] delete internal topic \(appID)-\(WordCount.storeName)-changelog"))
        #expect(try await broker.withAdmin { try await $0.listTopics() }.contains { $0.hasPrefix(appID + "-") })

        let output = try await kstreams(
            "reset", "--application-id", appID, "--input-topics", WordCount.inputTopic, "--to-earliest",
            "--bootstrap-servers", broker.bootstrap, "--state-dir", stateDir)
        #expect(output.contains("reset offset of \(WordCount.inputTopic)-0 to earliest"))
        #expect(output.contains("delete internal topic \(appID)-\(WordCount.storeName)-repartition"))
        #expect(output.contains("reset of application \(appID) done"))

        let committed = try await broker.withAdmin { try await $0.listConsumerGroupOffsets(appID) }
        #expect(committed[TopicPartition(WordCount.inputTopic, 0)]?.offset == 0)
        #expect(committed[TopicPartition(WordCount.inputTopic, 1)]?.offset == 0)
        #expect(committed.keys.allSatisfy { $0.topic == WordCount.inputTopic })
        let topics = try await broker.withAdmin { try await $0.listTopics() }
        #expect(!topics.contains { $0.hasPrefix(appID + "-") })
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: appState)) ?? []).isEmpty)

        // The second run starts from nothing: the same counts, not doubled.
        try await Self.runToCompletion(broker, config)
        #expect(try await broker.latestCounts(WordCount.outputTopic) == Self.expected)
    }

    @Test func resetIsRefusedWhileTheApplicationRuns() async throws {
        let broker = try await ToolBroker.start()
        defer { Task { await broker.stop() } }
        let appID = "wc-running"
        try await broker.createTopics([WordCount.inputTopic: 1, WordCount.outputTopic: 1])
        let app = StreamsApplication(
            try WordCount.topology(), config: Self.config(broker, appID: appID, stateDir: temporaryDirectory("state")))
        try await app.start()
        #expect(await app.waitForState([.running], timeout: .seconds(60)))
        let failure = await #expect(throws: PeerFailure.self) {
            try await kstreams("reset", "--application-id", appID, "--bootstrap-servers", broker.bootstrap)
        }
        #expect(failure?.description.contains("consumer group \(appID) has 1 active member(s)") == true)
        #expect(await app.close(timeout: .seconds(30)))
    }
}
