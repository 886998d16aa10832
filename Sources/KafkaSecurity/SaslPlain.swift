/// The PLAIN mechanism's single message (RFC 4616): `authzid NUL authcid NUL passwd`.
public enum SaslPlain {
    /// The client's message for a user and password (no authorization identity).
    public static func message(username: String, password: String) -> [UInt8] {
        [0] + Array(username.utf8) + [0] + Array(password.utf8)
    }

    /// The user and password in a client's message.
    /// - Throws: ``SASLError`` when the message does not have three NUL-separated parts, or
    ///   names an authorization identity other than the user.
    public static func parse(_ bytes: [UInt8]) throws -> (username: String, password: String) {
        let parts = bytes.split(separator: 0, maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw SASLError("PLAIN", "the message is not authzid NUL user NUL password") }
        let authzid = String(decoding: parts[0], as: UTF8.self)
        let username = String(decoding: parts[1], as: UTF8.self)
        guard authzid.isEmpty || authzid == username else {
            throw SASLError("PLAIN", "authorization identity \(authzid) differs from the user \(username)")
        }
        return (username, String(decoding: parts[2], as: UTF8.self))
    }
}
