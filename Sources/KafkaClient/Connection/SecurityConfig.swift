import KafkaSecurity

/// How a client secures its connections: Kafka's `security.protocol`, with SASL credentials
/// and TLS files where the protocol needs them.
///
/// ```swift
/// var config = try ClientConfig(properties: [
///     "bootstrap.servers": "broker:9093",
///     "security.protocol": "SASL_SSL",
///     "sasl.mechanism": "SCRAM-SHA-512",
///     "sasl.username": "alice",
///     "sasl.password": "secret",
///     "ssl.ca.location": "/etc/kafka/ca.pem",
/// ])
/// ```
public struct SecurityConfig: Sendable, Hashable {
    /// Kafka's `security.protocol`.
    public enum SecurityProtocol: String, Sendable, Hashable, CaseIterable {
        case plaintext = "PLAINTEXT"
        case ssl = "SSL"
        case saslPlaintext = "SASL_PLAINTEXT"
        case saslSSL = "SASL_SSL"

        /// Whether connections use TLS.
        public var usesTLS: Bool { self == .ssl || self == .saslSSL }
        /// Whether connections authenticate with SASL.
        public var usesSASL: Bool { self == .saslPlaintext || self == .saslSSL }
    }

    /// SASL credentials: `sasl.mechanism`, `sasl.username`, `sasl.password`.
    public struct SASL: Sendable, Hashable {
        /// The mechanism (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512).
        public var mechanism: SASLMechanism
        /// The user name.
        public var username: String
        /// The password.
        public var password: String

        /// Creates credentials.
        public init(mechanism: SASLMechanism, username: String, password: String) {
            self.mechanism = mechanism
            self.username = username
            self.password = password
        }
    }

    /// TLS settings: `ssl.ca.location`, `ssl.certificate.location`, `ssl.key.location`,
    /// `ssl.endpoint.identification.algorithm`.
    public struct TLS: Sendable, Hashable {
        /// PEM file of the certificate authorities trusted to sign the brokers' certificates;
        /// `nil` uses the system's trust store.
        public var caFile: String?
        /// PEM file of the client's certificate chain, for brokers that require client
        /// authentication.
        public var certificateFile: String?
        /// PEM file of the client certificate's private key.
        public var keyFile: String?
        /// Whether the broker's certificate must name the host connected to (`https`, the
        /// default) or not (`none`).
        public var verifyHostname = true

        /// Default settings: system trust store, no client certificate, host names checked.
        public init() {}
    }

    /// The protocol.
    public var securityProtocol: SecurityProtocol = .plaintext
    /// SASL credentials; required with the SASL protocols.
    public var sasl: SASL?
    /// TLS settings, used with the SSL protocols.
    public var tls = TLS()

    /// Plaintext, no authentication.
    public init() {}

    /// The property names this reads.
    static let propertyNames: Set<String> = [
        "security.protocol", "sasl.mechanism", "sasl.mechanisms", "sasl.username", "sasl.password", "ssl.ca.location",
        "ssl.certificate.location", "ssl.key.location", "ssl.endpoint.identification.algorithm",
    ]

    /// Reads the security properties.
    /// - Throws: ``KafkaClientError`` (`invalidConfig`) naming the property for an unknown
    ///   protocol or mechanism, or a SASL protocol without user and password.
    init(_ p: PropertyReader) throws {
        if let value = try p.choice("security.protocol", SecurityProtocol.allCases.map { $0.rawValue.lowercased() }) {
            securityProtocol = SecurityProtocol(rawValue: value.uppercased()) ?? .plaintext
        }
        let mechanismName = p.properties["sasl.mechanism"] ?? p.properties["sasl.mechanisms"]
        if securityProtocol.usesSASL {
            let name = (mechanismName ?? "PLAIN").trimmingWhitespace().uppercased()
            guard let mechanism = SASLMechanism(rawValue: name) else {
                throw KafkaClientError(
                    .invalidConfig,
                    "sasl.mechanism must be one of \(SASLMechanism.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(name)\"")
            }
            guard let username = p.properties["sasl.username"], let password = p.properties["sasl.password"] else {
                throw KafkaClientError(
                    .invalidConfig, "security.protocol \(securityProtocol.rawValue) needs sasl.username and sasl.password")
            }
            sasl = SASL(mechanism: mechanism, username: username, password: password)
        }
        tls.caFile = p.properties["ssl.ca.location"]
        tls.certificateFile = p.properties["ssl.certificate.location"]
        tls.keyFile = p.properties["ssl.key.location"]
        if (tls.certificateFile == nil) != (tls.keyFile == nil) {
            throw KafkaClientError(.invalidConfig, "ssl.certificate.location and ssl.key.location go together")
        }
        if let algorithm = try p.choice("ssl.endpoint.identification.algorithm", ["https", "none", ""]) {
            tls.verifyHostname = algorithm.lowercased() == "https"
        }
    }
}
