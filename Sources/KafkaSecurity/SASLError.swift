/// A failed SASL exchange: what went wrong, for which mechanism.
public struct SASLError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The mechanism, e.g. `SCRAM-SHA-256`.
    public let mechanism: String
    /// What went wrong.
    public let message: String

    /// Creates an error.
    public init(_ mechanism: String, _ message: String) {
        self.mechanism = mechanism
        self.message = message
    }

    public var description: String { "SASL \(mechanism): \(message)" }
}
