/// Something with configuration: a topic or a broker.
public enum ConfigResource: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// A topic's configuration (`cleanup.policy`, `retention.ms`, ...).
    case topic(String)
    /// A broker's configuration, by broker id. Requests for it go to that broker.
    case broker(Int32)

    /// Kafka's resource type: TOPIC (2) or BROKER (4).
    var resourceType: Int8 {
        switch self {
        case .topic: 2
        case .broker: 4
        }
    }

    /// The resource name on the wire: the topic name or the broker id as text.
    var resourceName: String {
        switch self {
        case .topic(let name): name
        case .broker(let id): "\(id)"
        }
    }

    /// The topic name, for errors.
    var topic: String? {
        if case .topic(let name) = self { return name }
        return nil
    }

    /// Where requests about it go: a topic's to any broker, a broker's to that broker (which
    /// must be in the metadata).
    func routing(_ metadata: ClusterMetadata, fresh: Bool) -> AdminRouting {
        switch self {
        case .topic: return .send(.anyBroker)
        case .broker(let id):
            if metadata.brokers[id] != nil { return .send(.node(id)) }
            let known = metadata.brokers.keys.sorted().map(String.init).joined(separator: ", ")
            let error = KafkaClientError(.metadata, "broker \(id) is not in the cluster (brokers: \(known))")
            return fresh ? .fail(error) : .retry(error)
        }
    }

    /// The topics whose metadata routing needs: none, but brokers need the broker list.
    static func metadataTopics<S: Sequence<ConfigResource>>(_ resources: S) -> [String]? {
        resources.contains { if case .broker = $0 { true } else { false } } ? [] : nil
    }

    /// Topics first (by name), then brokers (by id).
    public static func < (lhs: ConfigResource, rhs: ConfigResource) -> Bool {
        switch (lhs, rhs) {
        case (.topic(let a), .topic(let b)): a < b
        case (.broker(let a), .broker(let b)): a < b
        case (.topic, .broker): true
        case (.broker, .topic): false
        }
    }

    /// `topic orders` or `broker 1`.
    public var description: String {
        switch self {
        case .topic(let name): "topic \(name)"
        case .broker(let id): "broker \(id)"
        }
    }
}

/// One configuration entry as ``KafkaAdmin/describeConfigs(_:keys:)`` reports it.
public struct ConfigEntry: Sendable, Hashable {
    /// The configuration name, such as `cleanup.policy`.
    public var name: String
    /// The value; `nil` when it is sensitive or has no value.
    public var value: String?
    /// Where the value comes from.
    public var source: ConfigSource
    /// Whether it cannot be changed with ``KafkaAdmin/incrementalAlterConfigs(_:_:validateOnly:)``.
    public var isReadOnly: Bool
    /// Whether the value is sensitive (a password); the broker then sends no value.
    public var isSensitive: Bool
    /// Whether the value is the default (nothing set it).
    public var isDefault: Bool

    /// Creates an entry.
    public init(name: String, value: String?, source: ConfigSource, isReadOnly: Bool, isSensitive: Bool, isDefault: Bool) {
        self.name = name
        self.value = value
        self.source = source
        self.isReadOnly = isReadOnly
        self.isSensitive = isSensitive
        self.isDefault = isDefault
    }
}

/// Where a configuration value comes from (Kafka's `ConfigSource`, DescribeConfigs v1+).
public struct ConfigSource: Sendable, Hashable, CustomStringConvertible {
    /// The code on the wire.
    public let code: Int8
    private init(_ code: Int8) { self.code = code }

    /// The source with this wire code.
    public init(code: Int8) { self.code = code }

    /// Unknown (also every non-default entry of DescribeConfigs v0, which has no sources).
    public static let unknown = ConfigSource(0)
    /// Set on the topic (`DYNAMIC_TOPIC_CONFIG`).
    public static let dynamicTopicConfig = ConfigSource(1)
    /// Set dynamically for this broker (`DYNAMIC_BROKER_CONFIG`).
    public static let dynamicBrokerConfig = ConfigSource(2)
    /// Set dynamically as the default of all brokers (`DYNAMIC_DEFAULT_BROKER_CONFIG`).
    public static let dynamicDefaultBrokerConfig = ConfigSource(3)
    /// From the broker's properties file (`STATIC_BROKER_CONFIG`).
    public static let staticBrokerConfig = ConfigSource(4)
    /// Kafka's built-in default (`DEFAULT_CONFIG`).
    public static let defaultConfig = ConfigSource(5)
    /// A broker logger level set dynamically (`DYNAMIC_BROKER_LOGGER_CONFIG`).
    public static let dynamicBrokerLoggerConfig = ConfigSource(6)

    /// Kafka's name, such as `DYNAMIC_TOPIC_CONFIG`.
    public var description: String {
        switch code {
        case 0: "UNKNOWN"
        case 1: "DYNAMIC_TOPIC_CONFIG"
        case 2: "DYNAMIC_BROKER_CONFIG"
        case 3: "DYNAMIC_DEFAULT_BROKER_CONFIG"
        case 4: "STATIC_BROKER_CONFIG"
        case 5: "DEFAULT_CONFIG"
        case 6: "DYNAMIC_BROKER_LOGGER_CONFIG"
        case 7: "CLIENT_METRICS_CONFIG"
        case 8: "GROUP_CONFIG"
        default: "SOURCE_\(code)"
        }
    }
}

/// One change of ``KafkaAdmin/incrementalAlterConfigs(_:_:validateOnly:)``.
public enum AlterConfigOp: Sendable, Hashable {
    /// Sets the entry to a value.
    case set(String, String)
    /// Removes the entry, so that its default applies again.
    case delete(String)
    /// Adds a value to a list entry (such as `cleanup.policy`).
    case append(String, String)
    /// Removes a value from a list entry.
    case subtract(String, String)

    /// Kafka's operation code: SET 0, DELETE 1, APPEND 2, SUBTRACT 3.
    var operation: Int8 {
        switch self {
        case .set: 0
        case .delete: 1
        case .append: 2
        case .subtract: 3
        }
    }

    /// The configuration name.
    var name: String {
        switch self {
        case .set(let name, _), .delete(let name), .append(let name, _), .subtract(let name, _): name
        }
    }

    /// The value on the wire (null for delete).
    var value: String? {
        switch self {
        case .set(_, let value), .append(_, let value), .subtract(_, let value): value
        case .delete: nil
        }
    }
}
