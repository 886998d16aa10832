/// The client side of a SCRAM exchange (RFC 5802, RFC 7677) as Kafka uses it: client-first,
/// server-first, client-final, server-final.
///
/// ```swift
/// var scram = ScramClient(hash: .sha256, username: "alice", password: "secret")
/// let first = scram.firstMessage()                       // send
/// let final = try scram.finalMessage(serverFirst: reply) // send
/// try scram.verify(serverFinal: lastReply)               // the server knew the password
/// ```
public struct ScramClient: Sendable {
    /// The hash.
    public let hash: ScramHash
    private let username: String
    private let password: String
    private let clientNonce: String
    private var authMessage: [UInt8] = []
    private var serverKey: [UInt8] = []

    /// The lowest iteration count accepted from a server (Kafka's minimum).
    public static let minimumIterations = 4096

    /// Creates the client; `nonce` is random unless given (for test vectors).
    public init(hash: ScramHash, username: String, password: String, nonce: String? = nil) {
        self.hash = hash
        self.username = username
        self.password = password
        self.clientNonce = nonce ?? ScramMessage.nonce()
    }

    private var bare: String { "n=\(ScramMessage.escape(username)),r=\(clientNonce)" }

    /// client-first-message: `n,,n=user,r=nonce`.
    public func firstMessage() -> [UInt8] { Array(("n,," + bare).utf8) }

    /// client-final-message for the server's first message: the channel binding, the
    /// combined nonce and the proof.
    /// - Throws: ``SASLError`` when the server's message is malformed, its nonce does not
    ///   extend ours, or its iteration count is below ``minimumIterations``.
    public mutating func finalMessage(serverFirst: [UInt8]) throws -> [UInt8] {
        let name = hash.mechanism.rawValue
        let text = String(decoding: serverFirst, as: UTF8.self)
        let attributes = try ScramMessage.attributes(text, mechanism: name)
        if let error = attributes["e"] { throw SASLError(name, "the server refused: \(error)") }
        guard let nonce = attributes["r"], let saltText = attributes["s"], let iterationText = attributes["i"] else {
            throw SASLError(name, "server-first-message lacks r, s or i: \(text)")
        }
        guard nonce.hasPrefix(clientNonce), nonce.count > clientNonce.count else {
            throw SASLError(name, "the server's nonce does not extend the client's")
        }
        guard let iterations = Int(iterationText), iterations >= Self.minimumIterations else {
            throw SASLError(name, "iteration count \(iterationText) is below \(Self.minimumIterations)")
        }
        let salt = try ScramMessage.bytes(base64: saltText, "the salt", mechanism: name)
        let salted = hash.hi(password: Array(password.utf8), salt: salt, iterations: iterations)
        let clientKey = hash.hmac(key: salted, Array("Client Key".utf8))
        let storedKey = hash.hash(clientKey)
        let withoutProof = "c=biws,r=\(nonce)"
        authMessage = Array("\(bare),\(text),\(withoutProof)".utf8)
        let proof = ScramMessage.xor(clientKey, hash.hmac(key: storedKey, authMessage))
        serverKey = hash.hmac(key: salted, Array("Server Key".utf8))
        return Array("\(withoutProof),p=\(ScramMessage.base64(proof))".utf8)
    }

    /// Checks the server's final message: its signature proves it knows the credential.
    /// - Throws: ``SASLError`` for an error answer or a wrong signature.
    public func verify(serverFinal: [UInt8]) throws {
        let name = hash.mechanism.rawValue
        let text = String(decoding: serverFinal, as: UTF8.self)
        let attributes = try ScramMessage.attributes(text, mechanism: name)
        if let error = attributes["e"] { throw SASLError(name, "the server refused: \(error)") }
        guard let signature = attributes["v"] else { throw SASLError(name, "server-final-message lacks v: \(text)") }
        let expected = hash.hmac(key: serverKey, authMessage)
        guard try ScramMessage.bytes(base64: signature, "the server signature", mechanism: name) == expected else {
            throw SASLError(name, "the server's signature is wrong: it does not know the credential")
        }
    }
}
