import KafkaProtocol

extension BrokerCore {
    /// DescribeCluster: the cluster id and this broker as the only node and controller.
    func handleDescribeCluster(_ request: DescribeClusterRequest, _ context: RequestContext) -> DescribeClusterResponse {
        DescribeClusterResponse(
            errorCode: 0, clusterId: clusterId, controllerId: config.nodeId,
            brokers: [.init(brokerId: config.nodeId, host: advertisedHost, port: advertisedPort, rack: nil)])
    }
}
