import Foundation
import KafkaTestSupport
import KafkaClient
import KafkaStreams
import Testing
import WordCount

/// Standby tasks keep a task's state warm on another instance, so a failover restores a
/// little rather than everything.
@Suite(.serialized)
struct StandbyRuntimeTests {
    @Test func aStandbyTakesOverWithLessToRestoreThanAColdStart() async throws {
        let broker = try await TestBroker.start(.embedded)
        defer { Task { await broker.stop() } }
        try await broker.createTopics([WordCount.inputTopic: 2, WordCount.outputTopic: 1])
        let lines = (0..<3000).map { i in "word\(i % 1500) word\((i * 7) % 1500)" }
        let expected = StatefulRuntimeTests.expectedCounts(lines)

        func instance(_ name: String, restores: StatefulRuntimeTests.RestoreCounter) throws -> StreamsApplication {
            var config = WordCountRuntimeTests.config(broker, appID: "standby", stateDir: temporaryDirectory("standby-\(name)"))
            config.numStandbyReplicas = 1
            let app = StreamsApplication(try WordCount.topology(), config: config)
            app.setGlobalStateRestoreListener(restores.listener)
            return app
        }
        let a = try instance("a", restores: .init())
        let bRestores = StatefulRuntimeTests.RestoreCounter()
        let b = try instance("b", restores: bRestores)
        try await a.start()
        try await b.start()
        try await broker.produce(WordCount.inputTopic, lines.map { (nil, $0) })
        try await StatefulRuntimeTests.expectCounts(broker, expected)

        // Each instance keeps a standby of the other's stateful tasks.
        let aTasks = await a.localThreadsMetadata()
        let bTasks = await b.localThreadsMetadata()
        let aStateful = aTasks.flatMap(\.activeTasks).filter { $0.subtopology == 1 }
        #expect(!aStateful.isEmpty)
        #expect(Set(aStateful).isSubset(of: Set(bTasks.flatMap(\.standbyTasks))))
        // Let B's standbys catch up with the changelog, then stop A.
        try await Task.sleep(for: .seconds(2))
        let beforeFailover = bRestores.value
        await a.close()
        let more = (0..<100).map { i in "word\(i) late" }
        try await broker.produce(WordCount.inputTopic, more.map { (nil, $0) })
        try await StatefulRuntimeTests.expectCounts(broker, StatefulRuntimeTests.expectedCounts(lines + more))
        let restoredOnFailover = bRestores.value - beforeFailover

        // A cold instance restores the same tasks from the start of their changelogs.
        await b.close()
        let coldRestores = StatefulRuntimeTests.RestoreCounter()
        let cold = try instance("cold", restores: coldRestores)
        try await cold.start()
        #expect(await cold.waitForState([.running], timeout: .seconds(90)))
        await cold.close()
        #expect(coldRestores.value > 0)
        #expect(restoredOnFailover * 4 < coldRestores.value, "failover restored \(restoredOnFailover), cold start \(coldRestores.value)")
    }
}
