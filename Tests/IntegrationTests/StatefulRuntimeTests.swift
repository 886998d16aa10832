import Foundation
import KafkaTestSupport
import KafkaClient
import KafkaStreams
import NIOConcurrencyHelpers
import Testing
import WordCount

/// State across restarts and instances: checkpoints, changelog restoration, scale-out.
@Suite(.serialized)
struct StatefulRuntimeTests {
    static func words(_ batch: Int, count: Int) -> [String] {
        (0..<count).map { i in "w\((i * 7 + batch) % 13) w\((i + batch) % 5) common" }
    }

    static func expectedCounts(_ lines: [String]) -> [String: Int64] {
        var counts: [String: Int64] = [:]
        for line in lines { for word in WordCount.words(line) { counts[word, default: 0] += 1 } }
        return counts
    }

    static func app(_ broker: TestBroker, id: String, stateDir: String) throws -> StreamsApplication {
        StreamsApplication(try WordCount.topology(), config: WordCountRuntimeTests.config(broker, appID: id, stateDir: stateDir))
    }

    /// Waits until the output's latest counts equal `expected`.
    static func expectCounts(_ broker: TestBroker, _ expected: [String: Int64]) async throws {
        let output = try await broker.consume(WordCount.outputTopic, timeout: .seconds(90)) { records in
            latestByKey(records, \.valueInt64) == expected
        }
        #expect(latestByKey(output, \.valueInt64) == expected)
    }

    /// Counts restored records through the restore listener.
    final class RestoreCounter: Sendable {
        let restored = NIOLockedValueBox(0)
        var listener: StateRestoreListener {
            StateRestoreListener(onBatchRestored: { _, _, _, count in self.restored.withLockedValue { $0 += count } })
        }
        var value: Int { restored.withLockedValue { $0 } }
    }

    @Test(arguments: TestBroker.Kind.allCases)
    func aRestartedInstanceContinuesFromItsCheckpointAndAWipedOneFromTheChangelog(_ kind: TestBroker.Kind) async throws {
        let broker = try await TestBroker.start(kind)
        defer { Task { await broker.stop() } }
        try await broker.createTopics([WordCount.inputTopic: 2, WordCount.outputTopic: 1])
        let stateDir = temporaryDirectory("restart")
        let batches = (0..<3).map { Self.words($0, count: 40) }

        try await broker.produce(WordCount.inputTopic, batches[0].map { (nil, $0) })
        let first = try Self.app(broker, id: "restart-\(kind)", stateDir: stateDir)
        try await first.start()
        try await Self.expectCounts(broker, Self.expectedCounts(batches[0]))
        await first.close()

        // Same state directory: stores reopen at their checkpoint; nothing to restore.
        try await broker.produce(WordCount.inputTopic, batches[1].map { (nil, $0) })
        let second = try Self.app(broker, id: "restart-\(kind)", stateDir: stateDir)
        let secondRestores = RestoreCounter()
        second.setGlobalStateRestoreListener(secondRestores.listener)
        try await second.start()
        try await Self.expectCounts(broker, Self.expectedCounts(batches[0] + batches[1]))
        await second.close()
        #expect(secondRestores.value == 0)

        // A new state directory: every store is rebuilt from its changelog first.
        try await broker.produce(WordCount.inputTopic, batches[2].map { (nil, $0) })
        let third = try Self.app(broker, id: "restart-\(kind)", stateDir: temporaryDirectory("restart-wiped"))
        let thirdRestores = RestoreCounter()
        third.setGlobalStateRestoreListener(thirdRestores.listener)
        try await third.start()
        try await Self.expectCounts(broker, Self.expectedCounts(batches[0] + batches[1] + batches[2]))
        await third.close()
        #expect(thirdRestores.value > 0)
    }

    @Test(arguments: TestBroker.Kind.allCases)
    func instancesSplitTheTasksAndResultsStayCorrectAsInstancesComeAndGo(_ kind: TestBroker.Kind) async throws {
        let broker = try await TestBroker.start(kind)
        defer { Task { await broker.stop() } }
        try await broker.createTopics([WordCount.inputTopic: 4, WordCount.outputTopic: 1])
        let id = "scale-\(kind)"
        let a = try Self.app(broker, id: id, stateDir: temporaryDirectory("scale-a"))
        let b = try Self.app(broker, id: id, stateDir: temporaryDirectory("scale-b"))
        try await a.start()
        try await b.start()
        try await waitUntilSplit([a, b], tasks: 8)

        let batches = (0..<3).map { Self.words($0, count: 60) }
        try await broker.produce(WordCount.inputTopic, batches[0].map { (nil, $0) })
        try await Self.expectCounts(broker, Self.expectedCounts(batches[0]))

        // A third instance joins: the tasks spread over three, state moves with them.
        let c = try Self.app(broker, id: id, stateDir: temporaryDirectory("scale-c"))
        try await c.start()
        try await waitUntilSplit([a, b, c], tasks: 8)
        try await broker.produce(WordCount.inputTopic, batches[1].map { (nil, $0) })
        try await Self.expectCounts(broker, Self.expectedCounts(batches[0] + batches[1]))

        // One leaves: the other two take its tasks and restore their state.
        await a.close()
        try await waitUntilSplit([b, c], tasks: 8)
        try await broker.produce(WordCount.inputTopic, batches[2].map { (nil, $0) })
        try await Self.expectCounts(broker, Self.expectedCounts(batches[0] + batches[1] + batches[2]))
        await b.close()
        await c.close()
    }

    /// Waits until every instance runs and their active tasks partition the `tasks` tasks.
    func waitUntilSplit(_ apps: [StreamsApplication], tasks: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(90)
        var split: [[TaskId]] = []
        while ContinuousClock.now < deadline {
            split = []
            var allRunning = true
            for app in apps {
                allRunning = allRunning && app.state == .running
                split.append((await app.localThreadsMetadata()).flatMap(\.activeTasks).sorted())
            }
            let all = split.flatMap { $0 }
            if allRunning && all.count == tasks && Set(all).count == tasks && split.allSatisfy({ !$0.isEmpty }) { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        Issue.record("tasks were not split over \(apps.count) instances: \(split)")
    }
}
