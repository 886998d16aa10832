import KafkaProtocol

extension BrokerCore {
    /// DeleteGroups: deletes empty groups and their committed offsets.
    func handleDeleteGroups(_ request: DeleteGroupsRequest, _ context: RequestContext) -> DeleteGroupsResponse {
        DeleteGroupsResponse(
            results: request.groupsNames.map { id in
                guard let group = groups.groups[id] else { return .init(groupId: id, errorCode: KafkaErrorCode.groupIdNotFound.code) }
                guard group.members.isEmpty else { return .init(groupId: id, errorCode: KafkaErrorCode.nonEmptyGroup.code) }
                do { try groups.deleteGroup(group) } catch { return .init(groupId: id, errorCode: KafkaErrorCode.kafkaStorageError.code) }
                return .init(groupId: id, errorCode: 0)
            })
    }
}
