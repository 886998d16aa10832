import Foundation
import KafkaClient
import Testing

/// A tansu broker (like `TansuBroker` in Peers.swift) started with an empty signal mask.
///
/// A process started from a Swift concurrency thread inherits that thread's signal mask, in
/// which SIGTERM and SIGINT are blocked; a tansu started that way ignores `tansu stop`'s
/// SIGTERM and is only killed after the script's 10 s timeout. Clearing the mask before
/// `exec` makes the stop take ~0.3 s.
final class AdminTansuBroker: Sendable {
    let bootstrap: String
    let pidFile: String
    private static let script = peersDirectory.appendingPathComponent("tansu").path
    private static let unblockSignals =
        "import os, signal, sys; signal.pthread_sigmask(signal.SIG_SETMASK, []); os.execvp(sys.argv[1], sys.argv[1:])"

    init() throws {
        let pidFile = NSTemporaryDirectory() + "admin-tansu-\(UUID().uuidString).pid"
        self.pidFile = pidFile
        bootstrap = try run(
            "/usr/bin/env",
            [
                "python3", "-c", Self.unblockSignals, "python3", Self.script, "start", "--pid-file", pidFile,
                "--owner-pid", "\(ProcessInfo.processInfo.processIdentifier)",
            ])
    }

    func stop() {
        _ = try? run("/usr/bin/env", ["python3", Self.script, "stop", "--pid-file", pidFile])
    }
}

/// One tansu broker for a whole suite: started before its first test, stopped after its
/// last. Tests reach it through ``AdminTansuScope/broker``.
struct AdminTansuScope: SuiteTrait, TestScoping {
    @TaskLocal static var broker: AdminTansuBroker?

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let broker = try AdminTansuBroker()
        defer { broker.stop() }
        try await Self.$broker.withValue(broker) { try await function() }
    }
}

/// One librdkafka mock cluster (3 brokers) for a whole suite.
struct AdminMockScope: SuiteTrait, TestScoping {
    @TaskLocal static var cluster: MockCluster?

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let mock = try MockCluster(brokers: 3)
        defer { mock.stop() }
        try await Self.$cluster.withValue(mock) { try await function() }
    }
}

extension Trait where Self == AdminTansuScope {
    /// Runs the suite against one shared tansu broker.
    static var sharedTansuBroker: Self { Self() }
}

extension Trait where Self == AdminMockScope {
    /// Runs the suite against one shared 3-broker mock cluster.
    static var sharedMockCluster: Self { Self() }
}

/// Runs `body` with an admin client and closes it afterwards, also when `body` throws (open
/// connections would make `tansu stop` wait for its 10 s timeout).
@discardableResult
func withAdmin<T>(
    _ bootstrap: String, timeout: Duration = .seconds(40), requestTimeout: Duration = .seconds(10),
    _ body: (KafkaAdmin) async throws -> T
) async throws -> T {
    var config = try AdminConfig(bootstrapServers: bootstrap)
    config.defaultApiTimeout = timeout
    config.client.requestTimeout = requestTimeout
    config.client.retryBackoff = .milliseconds(20)
    config.retryBackoffMax = .milliseconds(200)
    let admin = KafkaAdmin(config: config)
    do {
        let result = try await body(admin)
        await admin.close()
        return result
    } catch {
        await admin.close()
        throw error
    }
}

/// A unique topic name for an admin test.
func adminTopic(_ prefix: String) -> String {
    "admin-\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
}

/// Produces records with librdkafka (confluent-kafka), one record per batch (a flush after
/// each), so that offsets are predictable: partition p gets `counts[p]` records with offsets
/// 0..<count. Record i of a partition has key `k<i>`, value `v<i>` and, with
/// `firstTimestamp`, timestamp `firstTimestamp + i * 1000`.
func adminProduce(bootstrap: String, topic: String, counts: [Int32: Int], firstTimestamp: Int64? = nil) throws {
    let script = """
        import json, sys
        import confluent_kafka
        bootstrap, topic, counts, ts0 = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), json.loads(sys.argv[4])
        producer = confluent_kafka.Producer({"bootstrap.servers": bootstrap, "linger.ms": 0, "acks": "all",
                                             "enable.idempotence": False})
        errors = []
        def report(err, msg):
            if err is not None:
                errors.append(str(err))
        for partition, count in sorted(counts.items()):
            for i in range(count):
                extra = {} if ts0 is None else {"timestamp": ts0 + i * 1000}
                producer.produce(topic, key=b"k%d" % i, value=b"v%d" % i, partition=int(partition),
                                 on_delivery=report, **extra)
                if producer.flush(10) != 0:
                    errors.append("flush timed out")
        if errors:
            sys.exit("delivery failed: %s" % errors[:3])
        """
    let countsJSON = "{" + counts.map { "\"\($0.key)\": \($0.value)" }.joined(separator: ", ") + "}"
    try run("/usr/bin/env", ["python3", "-c", script, bootstrap, topic, countsJSON, firstTimestamp.map(String.init) ?? "null"])
}

/// Requests the mock cluster received since `clear-requests`, as (broker id, API key).
func mockRequests(_ mock: MockCluster) throws -> [(broker: Int32, apiKey: Int16)] {
    let answer = try mock.command("requests")
    return answer.split(separator: " ").dropFirst().compactMap { entry in
        let parts = entry.split(separator: ":")
        guard parts.count == 2, let broker = Int32(parts[0]), let key = Int16(parts[1]) else { return nil }
        return (broker, key)
    }
}
