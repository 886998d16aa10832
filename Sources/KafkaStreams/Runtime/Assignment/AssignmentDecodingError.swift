/// Bytes in a Streams subscription or assignment (``SubscriptionInfo``, ``AssignmentInfo``)
/// that cannot be decoded: which message, which field, and what was wrong with it.
///
/// Decoding never traps on bad bytes; it throws this error, and the assignor reports it
/// (the leader gives the member nothing, a member passes it to the runtime).
package struct AssignmentDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong with the field.
    package enum Reason: Sendable, Hashable {
        /// There were no bytes at all (the member sent no user data).
        case missing
        /// The version is not one this code reads.
        case unsupportedVersion(Int32)
        /// The bytes ended inside the field.
        case truncated
        /// The field's value is not allowed (a negative count, invalid UTF-8, a duplicate key, ...).
        case invalid(String)
        /// Bytes were left after the last field.
        case trailingBytes(Int)
    }

    /// The message being decoded: `SubscriptionInfo` or `AssignmentInfo`.
    package var message: String
    /// The field being decoded (`version`, `activeTasks`, ...).
    package var field: String
    /// What was wrong.
    package var reason: Reason

    /// Creates an error.
    package init(message: String, field: String, reason: Reason) {
        self.message = message
        self.field = field
        self.reason = reason
    }

    /// `cannot decode <message>: <field>: <reason>`.
    package var description: String {
        let what: String
        switch reason {
        case .missing: what = "no bytes"
        case .unsupportedVersion(let version): what = "unsupported version \(version)"
        case .truncated: what = "truncated"
        case .invalid(let detail): what = "invalid (\(detail))"
        case .trailingBytes(let count): what = "\(count) unexpected trailing bytes"
        }
        return "cannot decode \(message): \(field): \(what)"
    }
}
