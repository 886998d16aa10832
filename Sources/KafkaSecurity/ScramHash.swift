import Crypto

/// The hash of a SCRAM mechanism (RFC 5802 with SHA-256 or SHA-512, RFC 7677), with the
/// functions SCRAM is built from: H, HMAC and Hi (PBKDF2 with HMAC).
public enum ScramHash: Sendable, Hashable {
    case sha256
    case sha512

    /// The mechanism's name.
    public var mechanism: SASLMechanism { self == .sha256 ? .scramSHA256 : .scramSHA512 }

    /// H(data).
    func hash(_ data: [UInt8]) -> [UInt8] {
        switch self {
        case .sha256: Array(SHA256.hash(data: data))
        case .sha512: Array(SHA512.hash(data: data))
        }
    }

    /// HMAC(key, data).
    func hmac(key: [UInt8], _ data: [UInt8]) -> [UInt8] {
        let key = SymmetricKey(data: key)
        switch self {
        case .sha256: return Array(HMAC<SHA256>.authenticationCode(for: data, using: key))
        case .sha512: return Array(HMAC<SHA512>.authenticationCode(for: data, using: key))
        }
    }

    /// Hi(password, salt, iterations): PBKDF2 with HMAC and one output block.
    ///
    /// - Complexity: O(iterations).
    func hi(password: [UInt8], salt: [UInt8], iterations: Int) -> [UInt8] {
        var block = hmac(key: password, salt + [0, 0, 0, 1])
        var result = block
        if iterations > 1 {
            for _ in 2...iterations {
                block = hmac(key: password, block)
                for i in result.indices { result[i] ^= block[i] }
            }
        }
        return result
    }
}

/// The keys a SCRAM server stores for a user (RFC 5802 §3): never the password itself.
public struct ScramCredential: Sendable, Hashable {
    /// The hash.
    public let hash: ScramHash
    /// The salt.
    public let salt: [UInt8]
    /// The PBKDF2 iteration count (Kafka's minimum is 4096).
    public let iterations: Int
    /// H(HMAC(SaltedPassword, "Client Key")).
    public let storedKey: [UInt8]
    /// HMAC(SaltedPassword, "Server Key").
    public let serverKey: [UInt8]

    /// Derives the credential of a password.
    public init(password: String, hash: ScramHash, salt: [UInt8], iterations: Int = 4096) {
        self.hash = hash
        self.salt = salt
        self.iterations = iterations
        let salted = hash.hi(password: Array(password.utf8), salt: salt, iterations: iterations)
        storedKey = hash.hash(hash.hmac(key: salted, Array("Client Key".utf8)))
        serverKey = hash.hmac(key: salted, Array("Server Key".utf8))
    }
}
