import KafkaSecurity

/// How the broker's listener is secured: TLS (certificate and key files), SASL mechanisms
/// and the users they accept. Nothing set means plaintext without authentication, the
/// default on loopback.
///
/// ```swift
/// var config = BrokerConfig()
/// config.security.tls = .init(certificateFile: "broker.pem", keyFile: "broker.key")
/// config.security.saslMechanisms = [.scramSHA512]
/// config.security.users = ["alice": "secret"]          // listener: SASL_SSL
/// ```
public struct BrokerSecurity: Sendable {
    /// TLS files of the listener.
    public struct TLS: Sendable, Hashable {
        /// PEM file of the broker's certificate chain.
        public var certificateFile: String
        /// PEM file of the certificate's private key.
        public var keyFile: String
        /// PEM file of certificate authorities whose client certificates are required
        /// (Kafka's `ssl.client.auth=required`); `nil` asks for no client certificate.
        public var clientCAFile: String?

        /// Creates TLS settings.
        public init(certificateFile: String, keyFile: String, clientCAFile: String? = nil) {
            self.certificateFile = certificateFile
            self.keyFile = keyFile
            self.clientCAFile = clientCAFile
        }
    }

    /// TLS for the listener, or `nil` for plaintext.
    public var tls: TLS?
    /// The SASL mechanisms enabled; empty means no SASL (clients are not authenticated).
    public var saslMechanisms: Set<SASLMechanism> = []
    /// User names and passwords accepted by every enabled mechanism (SCRAM credentials are
    /// derived from them at start, with a random salt and 4096 iterations).
    public var users: [String: String] = [:]

    /// Plaintext, no authentication.
    public init() {}

    /// Kafka's name for the listener's protocol.
    public var securityProtocol: String {
        switch (tls != nil, !saslMechanisms.isEmpty) {
        case (false, false): "PLAINTEXT"
        case (true, false): "SSL"
        case (false, true): "SASL_PLAINTEXT"
        case (true, true): "SASL_SSL"
        }
    }
}
