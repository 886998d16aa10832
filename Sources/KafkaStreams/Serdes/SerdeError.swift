/// Why a serde could not turn a value into bytes or bytes into a value.
///
/// The runtime wraps it in a ``StreamsError`` that names the topic, partition and offset.
public struct SerdeError: Error, Sendable, CustomStringConvertible {
    /// What was wrong with the input.
    public var message: String

    /// Creates a serde error.
    public init(_ message: String) { self.message = message }

    /// The message.
    public var description: String { message }

    /// The bytes were null but the serde's type cannot represent null.
    static func unexpectedNull(_ serde: String) -> SerdeError {
        SerdeError(
            "\(serde) received null data; declare the serde as .optional(...) to accept nulls")
    }

    /// The bytes had the wrong size for a fixed-size type.
    static func wrongSize(_ serde: String, expected: Int, actual: Int) -> SerdeError {
        SerdeError("Size of data received by \(serde) is not \(expected) (got \(actual) bytes)")
    }
}
