import KafkaProtocol

extension BrokerCore {
    /// LeaveGroup: removes the member (v0-2) or members (v3+) and rebalances the rest.
    func handleLeaveGroup(_ request: LeaveGroupRequest, _ context: RequestContext) -> LeaveGroupResponse {
        if context.apiVersion < 3 {
            return LeaveGroupResponse(errorCode: groups.leave(groupId: request.groupId, memberId: request.memberId, groupInstanceId: nil).code)
        }
        guard groups.groups[request.groupId] != nil else { return LeaveGroupResponse(errorCode: KafkaErrorCode.unknownMemberId.code) }
        let results = request.members.map { member in
            LeaveGroupResponse.MemberResponse(
                memberId: member.memberId, groupInstanceId: member.groupInstanceId,
                errorCode: groups.leave(groupId: request.groupId, memberId: member.memberId, groupInstanceId: member.groupInstanceId).code)
        }
        return LeaveGroupResponse(errorCode: 0, members: results)
    }
}
