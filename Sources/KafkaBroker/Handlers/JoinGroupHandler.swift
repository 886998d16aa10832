import KafkaProtocol

extension BrokerCore {
    /// JoinGroup: joins the member (handing out a member id first in v4+), starts or joins
    /// a rebalance, and answers when the join phase completes: the leader gets every
    /// member's metadata for the chosen protocol.
    func handleJoinGroup(_ request: JoinGroupRequest, _ context: RequestContext) async -> JoinGroupResponse {
        var request = request
        if context.apiVersion == 0 { request.rebalanceTimeoutMs = request.sessionTimeoutMs }
        if isStopping { return JoinGroupResponse(errorCode: KafkaErrorCode.notCoordinator.code, leader: "", memberId: request.memberId) }
        var response = await withCheckedContinuation { continuation in
            groups.join(request, version: context.apiVersion, clientId: context.clientId, clientHost: context.clientHost, reply: continuation)
        }
        if context.apiVersion < 7 {
            response.protocolType = nil
            if response.protocolName == nil { response.protocolName = "" }
        }
        return response
    }
}
