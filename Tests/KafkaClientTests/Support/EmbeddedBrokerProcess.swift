import Foundation
import KafkaClient

/// The project's embedded broker, run as its own process (`kafka-broker`, built with the
/// package): a real broker that implements transactions and read_committed fully, without
/// sharing this test process's cooperative thread pool.
final class EmbeddedBrokerProcess: @unchecked Sendable {  // immutable after init
    let bootstrap: String
    private let process = Process()
    let dataDirectory: String

    init() throws {
        let root = peersDirectory.deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [".build/debug/kafka-broker", ".build/release/kafka-broker"].map { root.appendingPathComponent($0).path }
        guard let binary = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw PeerError("kafka-broker is not built (swift build --product kafka-broker)")
        }
        dataDirectory = NSTemporaryDirectory() + "client-tests-broker-\(UUID().uuidString.prefix(8))"
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["--port", "0", "--data-dir", dataDirectory, "--log-level", "warning"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while !line.contains(0x0A) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { throw PeerError("kafka-broker exited before listening") }
            line.append(chunk)
        }
        bootstrap = String(decoding: line.prefix { $0 != 0x0A }, as: UTF8.self)
    }

    /// Stops the broker: SIGTERM, then SIGKILL if it has not exited within 5 s.
    func stop() {
        process.terminate()
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { usleep(50_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: dataDirectory)
    }
}

/// Runs a blocking peer command on a thread of its own (not the cooperative pool).
func runPeer(_ arguments: [String]) async throws -> String {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try run("/usr/bin/env", arguments) }) }.start()
    }
}

/// Creates a topic on a broker with CreateTopics through the admin client.
func createTopics(_ bootstrap: String, _ topics: [String: Int32]) async throws {
    var config = try AdminConfig(bootstrapServers: bootstrap)
    config.defaultApiTimeout = .seconds(20)
    let admin = KafkaAdmin(config: config)
    do {
        try await admin.createTopics(
            topics.map { NewTopic($0.key, partitions: $0.value, replicationFactor: 1) }, ifNotExists: true)
        await admin.close()
    } catch {
        await admin.close()
        throw error
    }
}
