import KafkaProtocol

extension KafkaAdmin {
    /// Describes the cluster: its id, controller and brokers. Uses DescribeCluster (v0) when
    /// the broker supports it (Kafka 2.8+), else Metadata.
    ///
    /// - Throws: ``KafkaError`` for an error code in the response (CLUSTER_AUTHORIZATION_FAILED);
    ///   ``KafkaClientError`` `timeout` when no broker answers in time.
    public func describeCluster() async throws -> ClusterDescription {
        try await executeOnce("DescribeCluster") { connection, _ in
            let broker = connection.address.description
            if (try? connection.version(for: DescribeClusterRequest.self)) != nil {
                let response = try await connection.send(DescribeClusterRequest())
                let code = KafkaErrorCode(code: response.errorCode)
                guard code == .none else {
                    let error = KafkaError(code, message: response.errorMessage, broker: broker, api: "DescribeCluster")
                    return code.isRetriable ? .retry(error) : .fail(error)
                }
                return .done(
                    ClusterDescription(
                        clusterID: response.clusterId, controllerID: response.controllerId,
                        brokers: response.brokers.map {
                            BrokerNode(id: $0.brokerId, address: BrokerAddress(host: $0.host, port: Int($0.port)), rack: $0.rack)
                        }.sorted { $0.id < $1.id }))
            }
            let version = try connection.version(for: MetadataRequest.self)
            // An empty topic list asks for no topics (v1+; v0 reads it as all topics).
            let response = try await connection.send(MetadataRequest(topics: [], allowAutoTopicCreation: false), version: version)
            return .done(
                ClusterDescription(
                    clusterID: response.clusterId, controllerID: response.controllerId,
                    brokers: response.brokers.map {
                        BrokerNode(id: $0.nodeId, address: BrokerAddress(host: $0.host, port: Int($0.port)), rack: $0.rack)
                    }.sorted { $0.id < $1.id }))
        }
    }
}
