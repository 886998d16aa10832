/// Settings of a ``KafkaAdmin``: the shared ``ClientConfig`` plus how long an admin
/// operation may take, retries included.
///
/// ```swift
/// var config = AdminConfig(client: try ClientConfig(bootstrapServers: "localhost:9092"))
/// config.defaultApiTimeout = .seconds(10)
/// // or, with Kafka's property names:
/// let same = try AdminConfig(properties: ["bootstrap.servers": "localhost:9092", "default.api.timeout.ms": "10000"])
/// ```
public struct AdminConfig: Sendable {
    /// Where the cluster is and how to talk to it (`bootstrap.servers`, `client.id`,
    /// `request.timeout.ms`, ...).
    public var client: ClientConfig
    /// `default.api.timeout.ms`: the longest an admin operation may take, retries after
    /// retriable errors (NOT_CONTROLLER, NOT_LEADER_OR_FOLLOWER, LEADER_NOT_AVAILABLE, a
    /// lost connection, ...) included. When it passes, the operation fails with
    /// ``KafkaClientError`` `timeout`, whose cause is the last retriable error.
    /// Default 60 s, as in Kafka's Java admin client.
    public var defaultApiTimeout: Duration = .seconds(60)
    /// `retry.backoff.max.ms`: the longest wait between two attempts; the wait starts at the
    /// client's `retry.backoff.ms` and doubles up to this. Default 1 s.
    public var retryBackoffMax: Duration = .seconds(1)

    /// Creates a configuration.
    public init(client: ClientConfig) {
        self.client = client
    }

    /// Creates a configuration from a `bootstrap.servers` string, everything else default.
    /// - Throws: ``KafkaClientError`` (`invalidConfig`) if the list is not valid.
    public init(bootstrapServers: String) throws {
        self.init(client: try ClientConfig(bootstrapServers: bootstrapServers))
    }

    /// The property names ``init(properties:)`` understands: those of ``ClientConfig`` plus
    /// `default.api.timeout.ms` and `retry.backoff.max.ms`.
    public static let propertyNames: Set<String> = ClientConfig.propertyNames.union([
        "default.api.timeout.ms", "retry.backoff.max.ms",
    ])

    /// Creates a configuration from Kafka's admin client property names.
    /// - Throws: ``KafkaClientError`` (`invalidConfig`) naming the property for an unknown
    ///   property (a typo must not silently fall back to a default), a missing
    ///   `bootstrap.servers`, or a value of the wrong form or out of range.
    public init(properties: [String: String]) throws {
        let reader = PropertyReader(properties)
        try reader.rejectUnknown(Self.propertyNames, client: "admin")
        self.init(client: try ClientConfig(properties: properties))
        if let v = try reader.milliseconds("default.api.timeout.ms", min: 1) { defaultApiTimeout = v }
        if let v = try reader.milliseconds("retry.backoff.max.ms", min: 0) { retryBackoffMax = v }
    }
}
