#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The state directory of one application: `<state.dir>/<application.id>/`, holding one
/// directory per task (`<subtopology>_<partition>`, as Kafka Streams names them) with the
/// task's lock file, checkpoint file and `rocksdb/<store>` directories.
///
/// A task's directory is locked (`flock` on `<task>/.lock`) while a task object owns it, so
/// two instances (or two tasks of one instance) never open the same RocksDB files; a second
/// locker gets ``StreamsError/Code/stateDirectoryLocked`` naming the path.
///
/// ```swift
/// let directory = try StateDirectory(config: config)
/// let lock = try directory.lock(TaskId(subtopology: 0, partition: 3))
/// defer { lock.release() }
/// ```
public final class StateDirectory: Sendable {
    /// `<state.dir>/<application.id>`.
    public let path: String

    /// Creates (if missing) the application's state directory.
    /// - Throws: ``StreamsError`` (`stateIO`) naming the path if it cannot be created.
    public init(stateDir: String, applicationID: String) throws {
        path = stateDir.hasSuffix("/") ? stateDir + applicationID : stateDir + "/" + applicationID
        try Self.makeDirectories(path)
    }

    /// The state directory of `config` (`state.dir`, `application.id`).
    /// - Throws: ``StreamsError`` (`stateIO`) naming the path if it cannot be created.
    public convenience init(config: StreamsConfig) throws {
        try self.init(stateDir: config.stateDirectory, applicationID: config.applicationID)
    }

    /// The directory of a task (not created).
    public func taskDirectory(_ id: TaskId) -> String { "\(path)/\(id)" }

    /// Creates the task's directory if needed and locks it for the caller.
    /// - Throws: ``StreamsError`` (`stateDirectoryLocked`) if another owner holds the lock,
    ///   (`stateIO`) if the directory or lock file cannot be created.
    public func lock(_ id: TaskId) throws -> TaskDirectoryLock {
        let directory = taskDirectory(id)
        try Self.makeDirectories(directory)
        return try TaskDirectoryLock(directory: directory, taskId: id)
    }

    /// The task directories present, by task id.
    public func taskDirectories() -> [TaskId: String] {
        var result: [TaskId: String] = [:]
        for name in Self.list(path) {
            let parts = name.split(separator: "_")
            guard parts.count == 2, let sub = Int(parts[0]), let partition = Int32(parts[1]) else { continue }
            result[TaskId(subtopology: sub, partition: partition)] = "\(path)/\(name)"
        }
        return result
    }

    /// Deletes the directories of tasks this instance does not own, unless locked by
    /// someone or modified within `cleanupDelay` (`state.cleanup.delay.ms`): the runtime
    /// calls it periodically so state of tasks that moved away does not pile up, while a
    /// task that comes back soon still finds its state.
    /// - Parameters:
    ///   - ownedTasks: tasks assigned to this instance (never deleted).
    ///   - now: the current time in ms since the epoch.
    /// - Returns: the directories deleted.
    @discardableResult
    public func cleanRemovedTasks(cleanupDelay: Duration, ownedTasks: Set<TaskId>, now: Int64) -> [String] {
        let delayMs = cleanupDelay.milliseconds
        var removed: [String] = []
        for (id, directory) in taskDirectories().sorted(by: { $0.key < $1.key }) where !ownedTasks.contains(id) {
            guard let modified = Self.modificationTime(directory), now - modified > delayMs else { continue }
            guard let lock = try? TaskDirectoryLock(directory: directory, taskId: id) else { continue }
            Self.removeTree(directory)
            lock.release(removeLockFile: false)
            removed.append(directory)
        }
        return removed
    }

    // MARK: file system helpers

    static func makeDirectories(_ path: String) throws {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            if mkdir(current, 0o755) != 0 && errno != EEXIST {
                let reason = String(cString: strerror(errno))
                throw StreamsError(
                    .stateIO, "could not create state directory \(current): \(reason); check state.dir and its permissions",
                    context: .init(path: current))
            }
        }
    }

    static func list(_ path: String) -> [String] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    static func modificationTime(_ path: String) -> Int64? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        #if canImport(Darwin)
            return Int64(info.st_mtimespec.tv_sec) * 1000 + Int64(info.st_mtimespec.tv_nsec) / 1_000_000
        #else
            return Int64(info.st_mtim.tv_sec) * 1000 + Int64(info.st_mtim.tv_nsec) / 1_000_000
        #endif
    }

    /// Deletes a file or a directory tree (best effort).
    static func removeTree(_ path: String) {
        if isDirectory(path) {
            for name in list(path) { removeTree(path + "/" + name) }
            rmdir(path)
        } else {
            unlink(path)
        }
    }
}

/// An exclusive lock on one task's state directory, held until ``release(removeLockFile:)``
/// or deinit.
public final class TaskDirectoryLock {
    /// The task directory.
    public let directory: String
    /// The task.
    public let taskId: TaskId
    private var descriptor: Int32

    init(directory: String, taskId: TaskId) throws {
        self.directory = directory
        self.taskId = taskId
        let file = directory + "/.lock"
        descriptor = open(file, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            throw StreamsError(
                .stateIO, "could not create the lock file \(file): \(reason); check state.dir permissions",
                context: .init(taskId: taskId, path: file))
        }
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            close(descriptor)
            descriptor = -1
            throw StreamsError(
                .stateDirectoryLocked,
                "the state of task \(taskId) at \(directory) is locked by another instance (or another task object "
                    + "in this one); give each instance its own state.dir or stop the other one",
                context: .init(taskId: taskId, path: file))
        }
    }

    /// Whether the lock is still held.
    public var isHeld: Bool { descriptor >= 0 }

    /// Releases the lock.
    public func release(removeLockFile: Bool = false) {
        guard descriptor >= 0 else { return }
        if removeLockFile { unlink(directory + "/.lock") }
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}
