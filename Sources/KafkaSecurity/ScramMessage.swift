import Foundation

/// Parsing and formatting of SCRAM's comma-separated `key=value` messages (RFC 5802 §5).
enum ScramMessage {
    /// The attributes of a message, by their one-letter key; the first occurrence wins.
    static func attributes(_ message: String, mechanism: String) throws -> [Character: String] {
        var result: [Character: String] = [:]
        for part in message.split(separator: ",", omittingEmptySubsequences: false) {
            guard part.count >= 2, let key = part.first, part.dropFirst().first == "=" else {
                throw SASLError(mechanism, "malformed attribute \"\(part)\" in \"\(message)\"")
            }
            if result[key] == nil { result[key] = String(part.dropFirst(2)) }
        }
        return result
    }

    /// A user name with `=` and `,` escaped (`=3D`, `=2C`).
    static func escape(_ name: String) -> String {
        name.replacingOccurrences(of: "=", with: "=3D").replacingOccurrences(of: ",", with: "=2C")
    }

    /// A user name with its escapes undone.
    static func unescape(_ name: String) -> String {
        name.replacingOccurrences(of: "=2C", with: ",").replacingOccurrences(of: "=3D", with: "=")
    }

    static func base64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }

    static func bytes(base64 text: String, _ what: String, mechanism: String) throws -> [UInt8] {
        guard let data = Data(base64Encoded: text) else { throw SASLError(mechanism, "\(what) is not base64: \(text)") }
        return Array(data)
    }

    /// A random printable nonce (24 random bytes, base64).
    static func nonce() -> String {
        var generator = SystemRandomNumberGenerator()
        return base64((0..<24).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    static func xor(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] { zip(a, b).map { $0 ^ $1 } }
}
