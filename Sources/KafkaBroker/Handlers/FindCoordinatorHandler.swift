import KafkaProtocol

extension BrokerCore {
    /// FindCoordinator: this broker coordinates every group and transactional id.
    func handleFindCoordinator(_ request: FindCoordinatorRequest, _ context: RequestContext) -> FindCoordinatorResponse {
        if context.apiVersion >= 4 {
            return FindCoordinatorResponse(
                coordinators: request.coordinatorKeys.map {
                    .init(key: $0, nodeId: config.nodeId, host: advertisedHost, port: advertisedPort, errorCode: 0, errorMessage: nil)
                })
        }
        return FindCoordinatorResponse(errorCode: 0, errorMessage: nil, nodeId: config.nodeId, host: advertisedHost, port: advertisedPort)
    }
}
