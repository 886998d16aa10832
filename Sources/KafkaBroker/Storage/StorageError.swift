#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failure of the broker's file storage: which operation, on which path, and why.
public struct StorageError: Error, CustomStringConvertible {
    /// What went wrong, with the path and the system's reason.
    public let description: String

    init(_ description: String) { self.description = description }

    static func io(_ operation: String, path: String, errno code: Int32) -> StorageError {
        StorageError("\(operation) \(path) failed: \(String(cString: strerror(code))) (errno \(code))")
    }
}
