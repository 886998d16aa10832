/// Settings shared by every client (producer, admin, consumer): where the cluster is and
/// how to talk to it.
///
/// A value type; ``init(properties:)`` also accepts Kafka's property names.
public struct ClientConfig: Sendable {
    /// `bootstrap.servers`: brokers to learn the cluster from.
    public var bootstrapServers: [BrokerAddress]
    /// `client.id`: sent with every request, shown in broker logs and quotas.
    public var clientID: String = "swift-kafka-streams"
    /// `request.timeout.ms`: how long to wait for a response before failing the request
    /// and closing its connection.
    public var requestTimeout: Duration = .seconds(30)
    /// `socket.connection.setup.timeout.ms`: how long a TCP connect may take.
    public var connectTimeout: Duration = .seconds(10)
    /// `reconnect.backoff.ms`: the first wait before reconnecting to a broker.
    public var reconnectBackoff: Duration = .milliseconds(50)
    /// `reconnect.backoff.max.ms`: the longest wait between reconnects (doubling up to it).
    public var reconnectBackoffMax: Duration = .seconds(1)
    /// `retry.backoff.ms`: the wait before retrying a failed request.
    public var retryBackoff: Duration = .milliseconds(100)
    /// `metadata.max.age.ms`: metadata older than this is refreshed.
    public var metadataMaxAge: Duration = .seconds(300)
    /// The largest response frame accepted; a larger one closes the connection.
    public var maxResponseSize: Int = 128 * 1024 * 1024
    /// `security.protocol` with its SASL and TLS settings (plaintext by default).
    public var security = SecurityConfig()

    /// Creates a configuration.
    public init(bootstrapServers: [BrokerAddress]) {
        self.bootstrapServers = bootstrapServers
    }

    /// Creates a configuration from a `bootstrap.servers` string.
    /// - Throws: ``KafkaClientError`` (`invalidConfig`) if the list is not valid.
    public init(bootstrapServers: String) throws {
        self.init(bootstrapServers: try BrokerAddress.list(bootstrapServers))
    }

    /// The property names ``init(properties:)`` understands.
    public static let propertyNames: Set<String> = Set<String>([
        "bootstrap.servers", "client.id", "request.timeout.ms", "socket.connection.setup.timeout.ms", "reconnect.backoff.ms",
        "reconnect.backoff.max.ms", "retry.backoff.ms", "metadata.max.age.ms",
    ]).union(SecurityConfig.propertyNames)

    /// Creates a configuration from Kafka property names; properties of other clients'
    /// settings (producer, consumer) are left for them.
    /// - Throws: ``KafkaClientError`` (`invalidConfig`) naming the property for a missing
    ///   `bootstrap.servers` or a value of the wrong form.
    public init(properties: [String: String]) throws {
        guard let servers = properties["bootstrap.servers"] else {
            throw KafkaClientError(.invalidConfig, "bootstrap.servers is required")
        }
        try self.init(bootstrapServers: servers)
        if let id = properties["client.id"] { clientID = id }
        let p = PropertyReader(properties)
        if let v = try p.milliseconds("request.timeout.ms", min: 1) { requestTimeout = v }
        if let v = try p.milliseconds("socket.connection.setup.timeout.ms", min: 1) { connectTimeout = v }
        if let v = try p.milliseconds("reconnect.backoff.ms", min: 0) { reconnectBackoff = v }
        if let v = try p.milliseconds("reconnect.backoff.max.ms", min: 0) { reconnectBackoffMax = v }
        if let v = try p.milliseconds("retry.backoff.ms", min: 0) { retryBackoff = v }
        if let v = try p.milliseconds("metadata.max.age.ms", min: 0) { metadataMaxAge = v }
        security = try SecurityConfig(p)
    }
}

/// Reads typed values from Kafka-style string properties, with errors naming the property.
struct PropertyReader {
    let properties: [String: String]
    init(_ properties: [String: String]) { self.properties = properties }

    func int(_ name: String, min: Int? = nil, max: Int? = nil) throws -> Int? {
        guard let text = properties[name] else { return nil }
        guard let value = Int(text.trimmingWhitespace()) else {
            throw KafkaClientError(.invalidConfig, "\(name) must be an integer, got \"\(text)\"")
        }
        if let min, value < min { throw KafkaClientError(.invalidConfig, "\(name) must be at least \(min), got \(value)") }
        if let max, value > max { throw KafkaClientError(.invalidConfig, "\(name) must be at most \(max), got \(value)") }
        return value
    }

    func milliseconds(_ name: String, min: Int) throws -> Duration? {
        try int(name, min: min).map { .milliseconds($0) }
    }

    func bool(_ name: String) throws -> Bool? {
        guard let text = properties[name] else { return nil }
        switch text.trimmingWhitespace().lowercased() {
        case "true": return true
        case "false": return false
        default: throw KafkaClientError(.invalidConfig, "\(name) must be true or false, got \"\(text)\"")
        }
    }

    func choice(_ name: String, _ options: [String]) throws -> String? {
        guard let text = properties[name] else { return nil }
        let value = text.trimmingWhitespace().lowercased()
        guard options.contains(value) else {
            throw KafkaClientError(.invalidConfig, "\(name) must be one of \(options.joined(separator: ", ")), got \"\(text)\"")
        }
        return value
    }

    /// Names not in `known`: rejected so a typo does not silently fall back to a default.
    func rejectUnknown(_ known: Set<String>, client: String) throws {
        let unknown = properties.keys.filter { !known.contains($0) }.sorted()
        if let first = unknown.first {
            throw KafkaClientError(.invalidConfig, "unknown \(client) property \(first)\(unknown.count > 1 ? " (and \(unknown.count - 1) more)" : "")")
        }
    }
}

extension Duration {
    /// As NIO's `TimeAmount`.
    var timeAmount: TimeAmountValue {
        let (seconds, attoseconds) = components
        return TimeAmountValue(nanoseconds: seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    /// Whole milliseconds.
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}

/// Nanoseconds, converted to NIO's `TimeAmount` where needed.
struct TimeAmountValue { let nanoseconds: Int64 }
