import KafkaProtocol

extension BrokerCore {
    /// SyncGroup: the leader hands in the assignment; every member gets its own share
    /// once the leader's arrives.
    func handleSyncGroup(_ request: SyncGroupRequest, _ context: RequestContext) async -> SyncGroupResponse {
        if isStopping { return SyncGroupResponse(errorCode: KafkaErrorCode.notCoordinator.code) }
        return await withCheckedContinuation { continuation in groups.sync(request, reply: continuation) }
    }
}
