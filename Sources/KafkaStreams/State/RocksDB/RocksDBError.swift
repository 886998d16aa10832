/// An error string returned by RocksDB, with the operation and path it concerned.
///
/// Stores never ignore a RocksDB error: each one is raised as a ``StreamsError`` whose code
/// says what to do (``StreamsError/Code/storeCorrupted``: wipe the store directory and let
/// it be restored from the changelog; ``StreamsError/Code/stateDirectoryLocked``: another
/// process holds the store; ``StreamsError/Code/stateIO``: disk or permission trouble) and
/// whose cause is this error, carrying RocksDB's own message.
public struct RocksDBError: Error, Sendable, CustomStringConvertible {
    /// RocksDB's message, e.g. `"Corruption: bad block contents"`.
    public let message: String
    /// What was being done: `"open"`, `"put"`, `"get"`, `"write batch"`, ...
    public let operation: String
    /// The database directory.
    public let path: String

    /// Creates an error.
    public init(message: String, operation: String, path: String) {
        self.message = message
        self.operation = operation
        self.path = path
    }

    /// `RocksDB <operation> failed at <path>: <message>`.
    public var description: String { "RocksDB \(operation) failed at \(path): \(message)" }

    /// The streams error for this failure in store `store`.
    func streamsError(store: String, file: String = #fileID, line: UInt = #line) -> StreamsError {
        let context = StreamsError.Context(store: store, path: path)
        if message.hasPrefix("Corruption") || message.contains("corrupt") {
            return StreamsError(
                .storeCorrupted,
                "store \(store) at \(path) is corrupted (\(message)); delete that directory and restart: "
                    + "the store is restored from its changelog",
                context: context, cause: self, file: file, line: line)
        }
        if message.contains("lock") && message.contains("LOCK") {
            return StreamsError(
                .stateDirectoryLocked,
                "store \(store) at \(path) is open in another process (\(message)); stop that instance or use "
                    + "another state.dir",
                context: context, cause: self, file: file, line: line)
        }
        if message.hasPrefix("IO error") {
            return StreamsError(
                .stateIO, "store \(store) could not \(operation) at \(path): \(message); check free space and permissions",
                context: context, cause: self, file: file, line: line)
        }
        return StreamsError(
            .stateStore, "store \(store) could not \(operation) at \(path): \(message)", context: context, cause: self,
            file: file, line: line)
    }
}
