import KafkaProtocol

extension BrokerCore {
    /// DescribeGroups: state, protocol, and members with their metadata and assignment;
    /// an unknown group is reported as `Dead` with no members.
    func handleDescribeGroups(_ request: DescribeGroupsRequest, _ context: RequestContext) -> DescribeGroupsResponse {
        DescribeGroupsResponse(
            groups: request.groups.map { id in
                guard let group = groups.groups[id] else {
                    return .init(errorCode: 0, groupId: id, groupState: GroupPhase.dead.rawValue, protocolType: "", protocolData: "", members: [])
                }
                return .init(
                    errorCode: 0, groupId: id, groupState: group.phase.rawValue, protocolType: group.protocolType ?? "",
                    protocolData: group.protocolName ?? "",
                    members: group.members.map { m in
                        .init(
                            memberId: m.memberId, groupInstanceId: context.apiVersion >= 4 ? m.groupInstanceId : nil, clientId: m.clientId,
                            clientHost: m.clientHost, memberMetadata: m.metadata(for: group.protocolName), memberAssignment: m.assignment)
                    })
            })
    }
}
