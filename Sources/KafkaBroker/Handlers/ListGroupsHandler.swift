import KafkaProtocol

extension BrokerCore {
    /// ListGroups: every group with its protocol type, filtered by state in v4.
    func handleListGroups(_ request: ListGroupsRequest, _ context: RequestContext) -> ListGroupsResponse {
        let filter = Set(request.statesFilter.map { $0.lowercased() })
        let listed = groups.groups.values.sorted { $0.groupId < $1.groupId }.filter { filter.isEmpty || filter.contains($0.phase.rawValue.lowercased()) }
        return ListGroupsResponse(
            errorCode: 0,
            groups: listed.map { .init(groupId: $0.groupId, protocolType: $0.protocolType ?? "consumer", groupState: context.apiVersion >= 4 ? $0.phase.rawValue : "") })
    }
}
