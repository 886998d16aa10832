import KafkaProtocol

extension KafkaAdmin {
    /// Lists the groups of every broker (ListGroups to each; a group lives on its
    /// coordinator), sorted by id.
    /// - Throws: ``KafkaError`` for a broker's error code, ``KafkaClientError``.
    public func listGroups() async throws -> [GroupListing] {
        let metadata = try await cluster.metadata(refresh: true, topics: [])
        var groups: [String: GroupListing] = [:]
        for node in metadata.brokers.keys.sorted() {
            let connection = try await cluster.connection(toNode: node)
            let version = try connection.version(for: ListGroupsRequest.self)
            let response = try await connection.send(ListGroupsRequest(), version: version)
            if response.errorCode != 0 {
                throw KafkaError(code: response.errorCode, broker: connection.address.description, api: "ListGroups")
            }
            for group in response.groups {
                groups[group.groupId] = GroupListing(
                    groupID: group.groupId, protocolType: group.protocolType, state: version >= 4 ? group.groupState : nil)
            }
        }
        return groups.values.sorted { $0.groupID < $1.groupID }
    }

    /// Describes groups (DescribeGroups to each group's coordinator): state, assignor and
    /// members with their assigned partitions.
    /// - Throws: ``KafkaError`` for a group's error code (GROUP_AUTHORIZATION_FAILED, ...);
    ///   a group that does not exist is described in state `Dead` with no members.
    public func describeGroups(_ groupIDs: [String]) async throws -> [String: GroupDescription] {
        var result: [String: GroupDescription] = [:]
        for id in groupIDs {
            try await withCoordinator(of: id) { link in
                let response = try await link.send(
                    DescribeGroupsRequest(groups: [id]), api: "DescribeGroups", deadline: .now + config.defaultApiTimeout,
                    coordinatorError: { KafkaErrorCode(code: $0.groups.first?.errorCode ?? 0) })
                guard let group = response.groups.first(where: { $0.groupId == id }) else {
                    throw KafkaClientError(.protocolViolation, "DescribeGroups answered without group \(id)")
                }
                if group.errorCode != 0 { throw KafkaError(code: group.errorCode, api: "DescribeGroups") }
                let node = await link.node
                result[id] = GroupDescription(
                    groupID: id, state: group.groupState, protocolType: group.protocolType, assignor: group.protocolData,
                    members: group.members.map { member in
                        let assignment =
                            group.protocolType == ConsumerProtocol.protocolType
                            ? ((try? ConsumerProtocol.decodeAssignment(member.memberAssignment))?.partitions ?? []) : []
                        return GroupMemberDescription(
                            memberID: member.memberId, groupInstanceID: member.groupInstanceId, clientID: member.clientId,
                            host: member.clientHost, assignment: assignment.sorted())
                    }, coordinator: node)
            }
        }
        return result
    }

    /// Deletes groups with no members, and their committed offsets (DeleteGroups to each
    /// coordinator).
    /// - Throws: ``KafkaError`` `NON_EMPTY_GROUP` (members are active), `GROUP_ID_NOT_FOUND`, ...
    public func deleteGroups(_ groupIDs: [String]) async throws {
        for id in groupIDs {
            try await withCoordinator(of: id) { link in
                let response = try await link.send(
                    DeleteGroupsRequest(groupsNames: [id]), api: "DeleteGroups", deadline: .now + config.defaultApiTimeout,
                    coordinatorError: { KafkaErrorCode(code: $0.results.first?.errorCode ?? 0) })
                if let code = response.results.first(where: { $0.groupId == id })?.errorCode, code != 0 {
                    throw KafkaError(code: code, api: "DeleteGroups")
                }
            }
        }
    }

    /// A group's committed offsets (OffsetFetch), for `partitions` or (`nil`) all of them.
    /// Partitions without a commit are left out.
    /// - Throws: ``KafkaError``, ``KafkaClientError``.
    public func listConsumerGroupOffsets(_ groupID: String, partitions: Set<TopicPartition>? = nil) async throws
        -> [TopicPartition: OffsetAndMetadata]
    {
        try await withCoordinator(of: groupID) { link in
            try await GroupOffsets.fetch(
                coordinator: link, group: groupID, partitions: partitions, requireStable: false,
                deadline: .now + config.defaultApiTimeout)
        }
    }

    /// Sets a group's committed offsets (OffsetCommit outside any generation), as Kafka's
    /// `kafka-consumer-groups --reset-offsets` does. The group must have no active members.
    /// - Throws: ``KafkaError`` (UNKNOWN_MEMBER_ID or REBALANCE_IN_PROGRESS while members
    ///   are active, ...).
    public func alterConsumerGroupOffsets(_ groupID: String, _ offsets: [TopicPartition: OffsetAndMetadata]) async throws {
        try await withCoordinator(of: groupID) { link in
            let request = OffsetCommitRequest(
                groupId: groupID, generationIdOrMemberEpoch: -1, memberId: "", groupInstanceId: nil, retentionTimeMs: -1,
                topics: ConsumerProtocol.grouped(Array(offsets.keys)).map { topic, indices in
                    .init(
                        name: topic,
                        partitions: indices.map { index in
                            let offset = offsets[TopicPartition(topic, index)]!
                            return .init(
                                partitionIndex: index, committedOffset: offset.offset, committedLeaderEpoch: offset.leaderEpoch,
                                committedMetadata: offset.metadata ?? "")
                        })
                })
            let response = try await link.send(
                request, api: "OffsetCommit", deadline: .now + config.defaultApiTimeout,
                coordinatorError: { response in
                    KafkaErrorCode(code: response.topics.first?.partitions.first?.errorCode ?? 0)
                })
            for topic in response.topics {
                for p in topic.partitions where p.errorCode != 0 {
                    throw KafkaError(code: p.errorCode, api: "OffsetCommit", topic: topic.name, partition: p.partitionIndex)
                }
            }
        }
    }

    /// How far a group is behind, per partition it has committed offsets for: the end
    /// offset (ListOffsets latest) minus the committed offset. The number to watch first.
    /// - Throws: as ``listConsumerGroupOffsets(_:partitions:)`` and ``listOffsets(_:isolation:)``.
    public func consumerGroupLag(_ groupID: String) async throws -> [TopicPartition: PartitionLag] {
        let committed = try await listConsumerGroupOffsets(groupID)
        if committed.isEmpty { return [:] }
        let ends = try await listOffsets(Dictionary(uniqueKeysWithValues: committed.keys.map { ($0, OffsetSpec.latest) }))
        var lag: [TopicPartition: PartitionLag] = [:]
        for (partition, offset) in committed {
            guard let end = ends[partition] else { continue }
            lag[partition] = PartitionLag(committed: offset.offset, endOffset: end.offset)
        }
        return lag
    }

    private func withCoordinator<T>(of group: String, _ body: (CoordinatorLink) async throws -> T) async throws -> T {
        let link = CoordinatorLink(cluster: cluster, key: group, keyType: .group, retryBackoffMax: config.retryBackoffMax)
        do {
            let result = try await body(link)
            await link.close()
            return result
        } catch {
            await link.close()
            throw error
        }
    }
}
