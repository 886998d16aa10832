/// The server side of a SCRAM exchange (RFC 5802, RFC 7677): answers client-first with the
/// user's salt and iterations, then checks the client's proof against the stored
/// credential and answers with the server signature.
public struct ScramServer: Sendable {
    /// The hash.
    public let hash: ScramHash
    private let lookup: @Sendable (String) -> ScramCredential?
    private var state = State.initial

    private enum State {
        case initial
        case sentFirst(username: String, credential: ScramCredential, nonce: String, clientFirstBare: String, serverFirst: String)
        case done
    }

    /// The authenticated user, once ``finalMessage(clientFinal:)`` succeeded.
    public private(set) var authenticatedUser: String?

    /// Creates the server side; `lookup` finds a user's credential for this hash.
    public init(hash: ScramHash, lookup: @escaping @Sendable (String) -> ScramCredential?) {
        self.hash = hash
        self.lookup = lookup
    }

    /// server-first-message for the client's first message.
    /// - Throws: ``SASLError`` for a malformed message, channel binding (not supported, as
    ///   in Kafka), or an unknown user.
    public mutating func firstMessage(clientFirst: [UInt8]) throws -> [UInt8] {
        let name = hash.mechanism.rawValue
        let text = String(decoding: clientFirst, as: UTF8.self)
        guard text.hasPrefix("n,") else { throw SASLError(name, "channel binding is not supported: \(text.prefix(2))") }
        guard let bareStart = text.dropFirst(2).firstIndex(of: ",") else { throw SASLError(name, "malformed client-first-message") }
        let bare = String(text[text.index(after: bareStart)...])
        let attributes = try ScramMessage.attributes(bare, mechanism: name)
        guard let user = attributes["n"], let clientNonce = attributes["r"], !clientNonce.isEmpty else {
            throw SASLError(name, "client-first-message lacks n or r")
        }
        let username = ScramMessage.unescape(user)
        guard let credential = lookup(username), credential.hash == hash else {
            throw SASLError(name, "unknown user \(username)")
        }
        let nonce = clientNonce + ScramMessage.nonce()
        let serverFirst = "r=\(nonce),s=\(ScramMessage.base64(credential.salt)),i=\(credential.iterations)"
        state = .sentFirst(username: username, credential: credential, nonce: nonce, clientFirstBare: bare, serverFirst: serverFirst)
        return Array(serverFirst.utf8)
    }

    /// server-final-message for the client's final message.
    /// - Throws: ``SASLError`` when the proof is wrong (a wrong password) or the message is
    ///   malformed or out of order.
    public mutating func finalMessage(clientFinal: [UInt8]) throws -> [UInt8] {
        let name = hash.mechanism.rawValue
        guard case .sentFirst(let username, let credential, let nonce, let bare, let serverFirst) = state else {
            throw SASLError(name, "client-final-message out of order")
        }
        state = .done
        let text = String(decoding: clientFinal, as: UTF8.self)
        guard let proofRange = text.range(of: ",p=") else { throw SASLError(name, "client-final-message lacks a proof") }
        let withoutProof = String(text[..<proofRange.lowerBound])
        let attributes = try ScramMessage.attributes(text, mechanism: name)
        guard attributes["r"] == nonce else { throw SASLError(name, "the nonce does not match") }
        guard attributes["c"] == "biws" else { throw SASLError(name, "unexpected channel binding \(attributes["c"] ?? "")") }
        let proof = try ScramMessage.bytes(base64: attributes["p"] ?? "", "the proof", mechanism: name)
        let authMessage = Array("\(bare),\(serverFirst),\(withoutProof)".utf8)
        let signature = hash.hmac(key: credential.storedKey, authMessage)
        let clientKey = ScramMessage.xor(proof, signature)
        guard proof.count == signature.count, hash.hash(clientKey) == credential.storedKey else {
            throw SASLError(name, "authentication failed for user \(username): wrong password")
        }
        authenticatedUser = username
        return Array("v=\(ScramMessage.base64(hash.hmac(key: credential.serverKey, authMessage)))".utf8)
    }
}
