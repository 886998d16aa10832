import Foundation
import FraudDetection
import KafkaClient
import KafkaTestSupport
import Testing

@testable import KafkaStreamsService

/// The `fraud-detection` executable as a user runs it: on the embedded broker with its
/// generator; on a broker of its own, stopped with SIGTERM and restarted; with bad
/// configuration.
@Suite(.serialized)
struct FraudServiceProcessTests {
    static let binary = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".build/debug/fraud-detection").path

    /// Starts the executable with its output (stdout and stderr) going to `log`.
    static func launch(_ arguments: [String], log: String) throws -> Process {
        try launchProcess(binary, arguments, log: log)
    }

    /// Sends SIGTERM and waits for the exit; returns the exit status.
    static func terminate(_ process: Process) async -> Int32 {
        process.terminate()
        while process.isRunning { try? await Task.sleep(for: .milliseconds(50)) }
        return process.terminationStatus
    }

    /// The (rule, card) pairs of the `ALERT <rule> <card>: ...` lines printed so far.
    static func printedAlerts(_ log: String) -> [ExpectedAlert] {
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            let words = line.split(separator: " ")
            guard words.count >= 3, words[0] == "ALERT", let rule = Alert.Rule(rawValue: String(words[1])) else { return nil }
            return ExpectedAlert(rule: rule, cardID: String(words[2].dropLast()))
        }
    }

    @Test func onTheEmbeddedBrokerItCatchesEveryInjectedPatternAndNothingElse() async throws {
        // What the service's generator sends in its first round (the seed and card count
        // are its defaults); the start time does not change which alerts are due.
        let data = PaymentGenerator(seed: 42, cardCount: 20, malformedRate: 0.01).generate()
        let expected = Set(data.expectedAlerts)
        #expect(expected.count == 4)
        let stateDir = temporaryDirectory("fraud-embedded")
        let log = stateDir + ".log"
        let port = try freePort()
        let process = try Self.launch(
            ["--state-dir", stateDir, "--http-port", "\(port)", "--generator-rounds", "1", "--generator-rate", "0"], log: log)
        defer { if process.isRunning { process.terminate() } }
        try await waitUntil("an alert for every injected pattern (see \(log))", timeout: .seconds(120)) {
            Set(Self.printedAlerts(log)).isSuperset(of: expected)
        }
        let http = HTTPGetClient()
        let ready = try await http.get(host: "127.0.0.1:\(port)", target: "/health/ready")
        #expect(ready.status == .ok)
        let velocityCard = try #require(data.expectedAlerts.first { $0.rule == .velocity }?.cardID)
        // The risk store is updated after a repartition by card: it follows the alerts.
        var risk = try await http.get(host: "127.0.0.1:\(port)", target: "/cards/\(velocityCard)/risk")
        try await waitUntil("the card's risk", timeout: .seconds(60)) {
            risk = try await http.get(host: "127.0.0.1:\(port)", target: "/cards/\(velocityCard)/risk")
            return risk.status == .ok
        }
        let answer = try JSONDecoder().decode(KeyValueEntry<String, CardRisk>.self, from: Data(risk.body.readableBytesView))
        #expect(answer.key == velocityCard && answer.value.alertsByRule["velocity", default: 0] >= 1)
        let clean = try await http.get(host: "127.0.0.1:\(port)", target: "/cards/\(PaymentGenerator.cardID(19))/risk")
        #expect(clean.status == .notFound, "a clean card has no risk record")
        let metrics = try await http.get(host: "127.0.0.1:\(port)", target: "/metrics")
        #expect(metrics.text.contains("fraud_alerts_total"))

        // A moment for any late alert, then: no alert outside the injected patterns, and
        // every malformed record skipped by the deserialization handler.
        try await Task.sleep(for: .seconds(2))
        let printed = Self.printedAlerts(log)
        #expect(Set(printed) == expected, "false alerts: \(Set(printed).subtracting(expected))")
        #expect(await Self.terminate(process) == 0)
        let output = try String(contentsOfFile: log, encoding: .utf8)
        #expect(output.contains("fraud-detection: stopped cleanly"))
        #expect(output.components(separatedBy: "Skipping record: could not deserialize").count - 1 == data.malformedCount)
        #expect(data.malformedCount > 0)
    }

    @Test func aSIGTERMRestartLosesAndDuplicatesNoAlert() async throws {
        let broker = try await TestBroker.start(.embedded)
        defer { Task { await broker.stop() } }
        try await broker.createTopics([
            FraudDetectionTopology.paymentsTopic: 4, FraudDetectionTopology.cardsTopic: 4,
            FraudDetectionTopology.riskyMerchantsTopic: 1, FraudDetectionTopology.alertsTopic: 4,
        ])
        let patterns = Array(repeating: FraudPattern.allCases, count: 10).flatMap { $0 }
        let data = PaymentGenerator(seed: 7, cardCount: 300, patterns: patterns).generate()
        let producer = try KafkaProducer(config: ProducerConfig(client: try broker.client))
        for record in data.all {
            try await producer.sendAndForget(topic: record.topic, key: record.key, value: record.value, timestamp: record.timestamp)
        }
        try await producer.flush()
        await producer.close()

        let stateDir = temporaryDirectory("fraud-restart")
        let log = stateDir + ".log"
        let arguments = [
            "--bootstrap-servers", broker.bootstrap, "--state-dir", stateDir, "--http-port", "\(try freePort())",
            "--generator-rounds", "0", "--max-poll-records", "25", "--commit-interval-ms", "100",
        ]
        let first = try Self.launch(arguments, log: log)
        defer { if first.isRunning { first.terminate() } }
        // Stop it as soon as it has produced an alert: mid-stream.
        _ = try await broker.consume(FraudDetectionTopology.alertsTopic, timeout: .seconds(120)) { !$0.isEmpty }
        #expect(await Self.terminate(first) == 0)
        #expect(try String(contentsOfFile: log, encoding: .utf8).contains("fraud-detection: stopped cleanly"))

        let second = try Self.launch(arguments, log: log)
        defer { if second.isRunning { second.terminate() } }
        let expected = Set(data.expectedAlerts)
        let records = try await broker.consume(FraudDetectionTopology.alertsTopic, timeout: .seconds(180)) { records in
            Set(records.compactMap(Self.alert).map { ExpectedAlert(rule: $0.rule, cardID: $0.cardID) }).isSuperset(of: expected)
        }
        #expect(await Self.terminate(second) == 0)
        let alerts = records.compactMap(Self.alert)
        #expect(Set(alerts.map { ExpectedAlert(rule: $0.rule, cardID: $0.cardID) }) == expected)
        var seen: [String: Int] = [:]
        for alert in alerts { seen["\(alert.rule) \(alert.paymentIDs)", default: 0] += 1 }
        let duplicated = seen.filter { $0.value > 1 }
        #expect(duplicated.isEmpty, "alerts written twice across the restart: \(duplicated.keys.prefix(3)) (see \(log))")
    }

    static func alert(_ record: ConsumerRecord) -> Alert? {
        record.value.flatMap { try? JSONDecoder().decode(Alert.self, from: Data($0.readableBytesView)) }
    }

    @Test(arguments: [
        (["--processing-guarantee", "twice"], "processing.guarantee must be at_least_once or exactly_once_v2, got \"twice\""),
        (["--http-port", "99999"], "http.port must be a port number from 0 to 65535, got \"99999\""),
        (["--generator-rate", "fast"], "generator.rate must be a number of records per second, 0 or more, got \"fast\""),
    ])
    func aBadConfigurationValueStopsStartUpNamingTheKey(arguments: [String], message: String) async throws {
        let log = temporaryDirectory("fraud-bad-config") + ".log"
        let process = try Self.launch(arguments + ["--state-dir", temporaryDirectory("fraud-bad-config")], log: log)
        while process.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        #expect(process.terminationStatus == 2)
        let output = try String(contentsOfFile: log, encoding: .utf8)
        #expect(output.contains("fraud-detection: invalid configuration: \(message)"), "printed: \(output)")
    }
}
