import KafkaProtocol

extension BrokerCore {
    /// Heartbeat: keeps the member's session alive; REBALANCE_IN_PROGRESS tells it to re-join.
    func handleHeartbeat(_ request: HeartbeatRequest, _ context: RequestContext) -> HeartbeatResponse {
        HeartbeatResponse(errorCode: groups.heartbeat(request).code)
    }
}
