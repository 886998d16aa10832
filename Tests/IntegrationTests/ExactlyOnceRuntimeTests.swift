import Foundation
import KafkaTestSupport
import KafkaClient
import KafkaStreams
import Testing
import WordCount

/// Exactly-once across a crash: the `word-count` executable under `exactly_once_v2`,
/// killed with SIGKILL mid-stream and restarted, writes every count exactly once.
@Suite(.serialized)
struct ExactlyOnceRuntimeTests {
    static let wordCount = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".build/debug/word-count").path

    /// Starts `word-count` on the broker, consuming input produced elsewhere.
    static func launch(_ broker: TestBroker, stateDir: String, guarantee: String, log: String) throws -> Process {
        try launchProcess(
            wordCount,
            [
                "--bootstrap-servers", broker.bootstrap, "--state-dir", stateDir, "--application-id", "eos-\(guarantee)",
                "--processing-guarantee", guarantee, "--no-produce", "--follow",
                // The killed member's session must expire before its tasks move.
                "--property", "session.timeout.ms=6000", "--property", "heartbeat.interval.ms=1000",
            ], log: log)
    }

    @Test func aKilledInstanceRestartedUnderExactlyOnceWritesEveryCountOnce() async throws {
        let broker = try await TestBroker.start(.embedded)
        defer { Task { await broker.stop() } }
        try await broker.createTopics([WordCount.inputTopic: 2, WordCount.outputTopic: 1])
        let lines = (0..<6000).map { i in "w\(i % 17) w\(i % 31) shared w\(i % 7)" }
        try await broker.produce(WordCount.inputTopic, lines.map { (nil, $0) })
        var expected: [String: Int64] = [:]
        for line in lines { for word in line.split(separator: " ") { expected[String(word), default: 0] += 1 } }

        let stateDir = temporaryDirectory("eos")
        let log = stateDir + "-word-count.log"
        let first = try Self.launch(broker, stateDir: stateDir, guarantee: "exactly_once_v2", log: log)
        // Kill it once some output is committed, well before the input is done.
        let early = try await broker.consume(WordCount.outputTopic, isolation: .readCommitted, timeout: .seconds(120)) { !$0.isEmpty }
        #expect(!early.isEmpty)
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()

        let second = try Self.launch(broker, stateDir: stateDir, guarantee: "exactly_once_v2", log: log)
        defer {
            second.terminate()
            second.waitUntilExit()
        }
        let output = try await broker.consume(WordCount.outputTopic, isolation: .readCommitted, timeout: .seconds(180)) { records in
            latestByKey(records, \.valueInt64) == expected
        }
        #expect(latestByKey(output, \.valueInt64) == expected, "see \(log)")
        // Every committed count of a word is larger than the one before: nothing counted twice.
        var last: [String: Int64] = [:]
        var repeats: [String] = []
        for record in output {
            guard let word = record.keyString, let count = record.valueInt64 else { continue }
            if let previous = last[word], count <= previous { repeats.append("\(word): \(previous) then \(count)") }
            last[word] = count
        }
        #expect(repeats.isEmpty, "counts went back: \(repeats.prefix(5))")
    }
}
