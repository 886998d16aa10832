import KafkaProtocol
import KafkaSecurity
import NIOCore

/// The users and mechanisms of a SASL listener, with SCRAM credentials derived once at
/// start (passwords are not kept for SCRAM).
struct SaslUsers: Sendable {
    let mechanisms: Set<SASLMechanism>
    private let passwords: [String: String]
    private let scram: [ScramHash: [String: ScramCredential]]

    init(_ security: BrokerSecurity) {
        mechanisms = security.saslMechanisms
        passwords = security.saslMechanisms.contains(.plain) ? security.users : [:]
        var scram: [ScramHash: [String: ScramCredential]] = [:]
        var generator = SystemRandomNumberGenerator()
        for mechanism in security.saslMechanisms {
            guard let hash = mechanism.scram else { continue }
            scram[hash] = security.users.mapValues { password in
                ScramCredential(password: password, hash: hash, salt: (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) })
            }
        }
        self.scram = scram
    }

    func password(_ user: String) -> String? { passwords[user] }
    func credential(_ user: String, _ hash: ScramHash) -> ScramCredential? { scram[hash]?[user] }
}

/// One connection's SASL state (Kafka's SaslServerAuthenticator): SaslHandshake picks the
/// mechanism, SaslAuthenticate carries its messages; until it succeeds only ApiVersions and
/// these two APIs are served.
struct SaslAuthenticator: Sendable {
    private enum State: Sendable {
        case awaitingHandshake
        case handshaken(SASLMechanism)
        case scram(ScramServer)
        case authenticated(String)
        case failed
    }

    private var state = State.awaitingHandshake
    let users: SaslUsers

    init(users: SaslUsers) { self.users = users }

    /// Whether the client has authenticated.
    var isAuthenticated: Bool {
        if case .authenticated = state { return true }
        return false
    }

    /// SaslHandshake: accepts an enabled mechanism; otherwise UNSUPPORTED_SASL_MECHANISM with
    /// the enabled list.
    mutating func handshake(_ request: SaslHandshakeRequest) -> SaslHandshakeResponse {
        let enabled = users.mechanisms.map(\.rawValue).sorted()
        guard case .awaitingHandshake = state else {
            return SaslHandshakeResponse(errorCode: KafkaErrorCode.illegalSaslState.code, mechanisms: enabled)
        }
        guard let mechanism = SASLMechanism(rawValue: request.mechanism), users.mechanisms.contains(mechanism) else {
            return SaslHandshakeResponse(errorCode: KafkaErrorCode.unsupportedSaslMechanism.code, mechanisms: enabled)
        }
        state = .handshaken(mechanism)
        return SaslHandshakeResponse(errorCode: 0, mechanisms: enabled)
    }

    /// SaslAuthenticate: one step of the chosen mechanism. A failure answers
    /// SASL_AUTHENTICATION_FAILED with a message, after which the connection is closed.
    mutating func authenticate(_ request: SaslAuthenticateRequest) -> SaslAuthenticateResponse {
        let bytes = Array(buffer: request.authBytes)
        func fail(_ message: String) -> SaslAuthenticateResponse {
            state = .failed
            return SaslAuthenticateResponse(errorCode: KafkaErrorCode.saslAuthenticationFailed.code, errorMessage: message)
        }
        do {
            switch state {
            case .handshaken(.plain):
                let (user, password) = try SaslPlain.parse(bytes)
                guard let expected = users.password(user), expected == password else {
                    return fail("Authentication failed: Invalid username or password")
                }
                state = .authenticated(user)
                return SaslAuthenticateResponse(errorCode: 0, authBytes: ByteBuffer())
            case .handshaken(let mechanism):
                guard let hash = mechanism.scram else { return fail("unsupported mechanism") }
                let lookup = users
                var server = ScramServer(hash: hash) { lookup.credential($0, hash) }
                let reply = try server.firstMessage(clientFirst: bytes)
                state = .scram(server)
                return SaslAuthenticateResponse(errorCode: 0, authBytes: ByteBuffer(bytes: reply))
            case .scram(var server):
                let reply = try server.finalMessage(clientFinal: bytes)
                state = .authenticated(server.authenticatedUser ?? "")
                return SaslAuthenticateResponse(errorCode: 0, authBytes: ByteBuffer(bytes: reply))
            case .awaitingHandshake, .authenticated, .failed:
                state = .failed
                return SaslAuthenticateResponse(
                    errorCode: KafkaErrorCode.illegalSaslState.code, errorMessage: "SaslAuthenticate is not expected now")
            }
        } catch let error as SASLError {
            // Kafka does not say whether the user or the password was wrong.
            return fail(error.message.hasPrefix("unknown user") || error.message.contains("wrong password")
                ? "Authentication failed during authentication due to invalid credentials with SASL mechanism \(error.mechanism)"
                : "Authentication failed: \(error.message)")
        } catch {
            return fail("Authentication failed: \(error)")
        }
    }

    /// Whether the exchange failed (the connection closes after the response).
    var hasFailed: Bool {
        if case .failed = state { return true }
        return false
    }
}
