/// A topic to create with ``KafkaAdmin/createTopics(_:validateOnly:ifNotExists:)``.
///
/// ```swift
/// NewTopic("orders", partitions: 6, replicationFactor: 3, configs: ["cleanup.policy": "compact"])
/// ```
public struct NewTopic: Sendable, Hashable {
    /// The topic name.
    public var name: String
    /// The number of partitions (at least 1). Ignored when ``replicaAssignment`` is set.
    public var partitions: Int32
    /// The number of replicas of each partition (at least 1, at most the number of
    /// brokers). Ignored when ``replicaAssignment`` is set.
    ///
    /// The broker defaults (-1 for both, KIP-464) need CreateTopics v4, which this client does
    /// not speak yet: brokers reject -1 in v0-3.
    public var replicationFactor: Int16
    /// Topic configurations to set (`cleanup.policy`, `retention.ms`, ...).
    public var configs: [String: String]
    /// An explicit placement: partition index to the broker ids of its replicas, the first
    /// being the preferred leader. Empty: the controller places the replicas.
    public var replicaAssignment: [Int32: [Int32]]

    /// A topic with `partitions` partitions of `replicationFactor` replicas each, placed by
    /// the controller.
    public init(_ name: String, partitions: Int32, replicationFactor: Int16, configs: [String: String] = [:]) {
        self.name = name
        self.partitions = partitions
        self.replicationFactor = replicationFactor
        self.configs = configs
        self.replicaAssignment = [:]
    }

    /// A topic whose replicas are placed explicitly: partition index to broker ids, the
    /// first being the preferred leader.
    public init(_ name: String, replicaAssignment: [Int32: [Int32]], configs: [String: String] = [:]) {
        self.name = name
        self.partitions = Int32(replicaAssignment.count)
        self.replicationFactor = Int16(clamping: replicaAssignment.values.first?.count ?? 0)
        self.configs = configs
        self.replicaAssignment = replicaAssignment
    }
}

/// What ``KafkaAdmin/createTopics(_:validateOnly:ifNotExists:)`` did with one topic.
public enum TopicCreation: Sendable, Hashable {
    /// The topic was created.
    case created
    /// The topic existed already (only reported with `ifNotExists`; otherwise
    /// TOPIC_ALREADY_EXISTS is thrown). Its settings were not compared with the request.
    case alreadyExists
    /// `validateOnly` was set and the controller found the request valid; nothing was created.
    case validated
}
