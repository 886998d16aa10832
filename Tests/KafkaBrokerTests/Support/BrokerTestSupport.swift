import Foundation
import KafkaBroker
import KafkaTestSupport

/// The repository root, found from this file's path.
let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A fresh temporary directory for one test.
func makeTemporaryDirectory(_ name: String = "broker") -> String {
    let path = NSTemporaryDirectory() + "kafka-broker-tests/\(name)-\(UUID().uuidString.prefix(8))"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// A broker config for tests: quick group rebalances and small session timeouts allowed.
func testBrokerConfig() -> BrokerConfig {
    var config = BrokerConfig()
    config.groupInitialRebalanceDelayMs = 200
    config.groupMinSessionTimeoutMs = 1_000
    return config
}

/// Runs a Python snippet with `python3` from PATH; `args` become `sys.argv[1...]`.
@discardableResult
func runPython(_ script: String, _ args: [String] = [], timeout: TimeInterval = 60) async throws -> String {
    try await runProcess("/usr/bin/env", ["python3", "-c", script] + args, timeout: timeout)
}

/// Starts a broker in a fresh directory, runs `body`, and shuts the broker down.
func withBroker<T>(config: BrokerConfig = testBrokerConfig(), directory: String? = nil, _ body: (EmbeddedBroker) async throws -> T) async throws -> T {
    let broker = try await EmbeddedBroker.start(dataDirectory: directory ?? makeTemporaryDirectory(), config: config)
    do {
        let result = try await body(broker)
        try await broker.shutdown()
        return result
    } catch {
        try? await broker.shutdown()
        throw error
    }
}

/// Creates a topic with confluent-kafka's admin client.
func createTopic(_ bootstrap: String, _ topic: String, partitions: Int = 1, config: [String: String] = [:]) async throws {
    let configJSON = String(decoding: try JSONSerialization.data(withJSONObject: config), as: UTF8.self)
    try await runPython(
        """
        import sys, json
        from confluent_kafka.admin import AdminClient, NewTopic
        a = AdminClient({"bootstrap.servers": sys.argv[1]})
        for t, f in a.create_topics([NewTopic(sys.argv[2], int(sys.argv[3]), 1, config=json.loads(sys.argv[4]))], operation_timeout=10).items():
            f.result(timeout=20)
        """, [bootstrap, topic, "\(partitions)", configJSON])
}

/// Every record of a topic as read by `scripts/peers/rdkafka_consume.py` (keys and values in
/// `encoding`: hex, base64 or text), with extra `-X name=value` settings for librdkafka.
func consumeWithRdkafka(
    _ bootstrap: String, _ topic: String, isolation: String = "read_uncommitted", encoding: String = "hex", extra: [String] = []
) async throws -> [[String: Any]] {
    let output = try await runProcess(
        "/usr/bin/env",
        ["python3", repositoryRoot.appendingPathComponent("scripts/peers/rdkafka_consume.py").path, "-b", bootstrap, "-t", topic,
         "--encoding", encoding, "--isolation-level", isolation, "--timeout", "30"] + extra)
    return try output.split(separator: "\n").map {
        try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
    }
}
