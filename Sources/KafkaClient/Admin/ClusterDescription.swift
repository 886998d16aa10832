/// The cluster as ``KafkaAdmin/describeCluster()`` reports it.
public struct ClusterDescription: Sendable, Hashable {
    /// The cluster id, if the broker reports one.
    public var clusterID: String?
    /// The controller's broker id as reported; -1 (or an id that is no broker, as
    /// librdkafka's mock cluster reports by default) when there is none.
    public var controllerID: Int32
    /// The brokers, ordered by id.
    public var brokers: [BrokerNode]

    /// Creates a description.
    public init(clusterID: String?, controllerID: Int32, brokers: [BrokerNode]) {
        self.clusterID = clusterID
        self.controllerID = controllerID
        self.brokers = brokers
    }

    /// The controller, if ``controllerID`` is one of ``brokers``.
    public var controller: BrokerNode? { brokers.first { $0.id == controllerID } }
}

/// A broker of the cluster.
public struct BrokerNode: Sendable, Hashable, CustomStringConvertible {
    /// The broker (node) id.
    public var id: Int32
    /// The host and port it advertises.
    public var address: BrokerAddress
    /// Its rack, if one is configured.
    public var rack: String?

    /// Creates a broker description.
    public init(id: Int32, address: BrokerAddress, rack: String? = nil) {
        self.id = id
        self.address = address
        self.rack = rack
    }

    /// `id@host:port`.
    public var description: String { "\(id)@\(address)" }
}
