import Foundation
import KafkaBroker

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

struct PeerFailure: Error, CustomStringConvertible {
    let description: String
}

/// Runs a program to completion (killing it after `timeout` seconds) and returns its stdout;
/// throws with its stderr when it fails. The waiting happens on a dispatch thread, never on
/// Swift concurrency's cooperative pool, which the in-process broker needs to make progress.
@discardableResult
func runProcess(_ executable: String, _ arguments: [String], input: Data? = nil, timeout: TimeInterval = 60) async throws -> String {
    try await withCheckedThrowingContinuation { continuation in
        // A thread of its own: dispatch's global pool is as wide as the CPU count, and
        // Foundation's Process needs it to deliver termination.
        Thread {
            continuation.resume(with: Result { try runProcessBlocking(executable, arguments, input: input, timeout: timeout) })
        }.start()
    }
}

func runProcessBlocking(_ executable: String, _ arguments: [String], input: Data? = nil, timeout: TimeInterval = 60) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    let stdin = Pipe()
    process.standardInput = input == nil ? FileHandle.nullDevice : stdin
    try process.run()
    if let input {
        stdin.fileHandleForWriting.write(input)
        try? stdin.fileHandleForWriting.close()
    }
    let pid = process.processIdentifier
    let finished = LockedData()
    Thread {
        let deadline = Date().addingTimeInterval(timeout)
        while !finished.isSet && Date() < deadline { usleep(100_000) }
        if !finished.isSet { kill(pid, SIGKILL) }
    }.start()
    // Read both pipes to the end so that a chatty child never blocks on a full pipe.
    let errorData = LockedData()
    let errThread = Thread { errorData.set(err.fileHandleForReading.readDataToEndOfFile()) }
    errThread.start()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    finished.set(Data())
    while !errorData.isSet { usleep(1000) }
    let stderr = String(decoding: errorData.value, as: UTF8.self)
    guard process.terminationStatus == 0 else {
        throw PeerFailure(description: "\(executable) \(arguments.prefix(3).joined(separator: " ")) exited \(process.terminationStatus): \(stderr.suffix(3000))")
    }
    return String(decoding: data, as: UTF8.self)
}

/// Runs a Python snippet with `python3` from PATH; `args` become `sys.argv[1...]`.
@discardableResult
func runPython(_ script: String, _ args: [String] = [], timeout: TimeInterval = 60) async throws -> String {
    try await runProcess("/usr/bin/env", ["python3", "-c", script] + args, timeout: timeout)
}

final class LockedData: @unchecked Sendable {  // all access goes through `lock`
    private let lock = NSLock()
    private var data = Data()
    private var done = false
    func set(_ value: Data) { lock.withLock { data = value; done = true } }
    var isSet: Bool { lock.withLock { done } }
    var value: Data { lock.withLock { data } }
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
