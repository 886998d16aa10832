/// Bytes that are not a valid Kafka protocol message: truncated, oversized, or holding a
/// value that cannot be right.
///
/// Raised by every decoder in this module; never a crash. The connection that received
/// such bytes should be closed.
public struct ProtocolError: Error, Sendable, CustomStringConvertible {
    /// The kind of problem.
    public enum Code: String, Sendable {
        /// Fewer bytes than the field needs.
        case truncated
        /// A length, count or value out of range (negative size, count larger than the data).
        case invalidValue
        /// A frame or field larger than the configured limit.
        case oversized
        /// A version this code does not implement.
        case unsupportedVersion
        /// A string that is not valid UTF-8.
        case invalidUTF8
        /// A checksum that does not match the data.
        case corrupt
    }

    /// The kind of problem.
    public var code: Code
    /// What was being read or written, and what was wrong.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `ProtocolError.<code>: <message>`.
    public var description: String { "ProtocolError.\(code.rawValue): \(message)" }

    @usableFromInline static func truncated(_ what: String, need: Int, have: Int) -> ProtocolError {
        ProtocolError(.truncated, "\(what) needs \(need) bytes, \(have) left")
    }
}
