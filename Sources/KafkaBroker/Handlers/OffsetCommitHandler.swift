import KafkaProtocol

extension BrokerCore {
    /// OffsetCommit: checks the member and generation (generation -1 with no member id for
    /// a group without members), then stores the offsets durably in the offsets log.
    func handleOffsetCommit(_ request: OffsetCommitRequest, _ context: RequestContext) -> OffsetCommitResponse {
        let group = groups.groups[request.groupId]
        var failure: KafkaErrorCode = request.groupId.isEmpty ? .invalidGroupId : groups.validateCommit(
            group: group, generation: request.generationIdOrMemberEpoch, memberId: request.memberId, groupInstanceId: request.groupInstanceId)
        var perPartition: [TopicPartitionKey: KafkaErrorCode] = [:]
        var toStore: [TopicPartitionKey: CommittedOffset] = [:]
        let now = nowMs()
        if failure == .none {
            for topic in request.topics {
                for p in topic.partitions {
                    let tp = TopicPartitionKey(topic: topic.name, partition: p.partitionIndex)
                    if partition(topic.name, p.partitionIndex) == nil {
                        perPartition[tp] = .unknownTopicOrPartition
                    } else if (p.committedMetadata?.utf8.count ?? 0) > 4096 {
                        perPartition[tp] = .offsetMetadataTooLarge
                    } else {
                        toStore[tp] = CommittedOffset(offset: p.committedOffset, leaderEpoch: p.committedLeaderEpoch, metadata: p.committedMetadata, commitTimestamp: now)
                    }
                }
            }
            if !toStore.isEmpty {
                let target = group ?? {
                    let created = ConsumerGroup(groupId: request.groupId)
                    groups.groups[request.groupId] = created
                    return created
                }()
                do { try groups.storeOffsets(target, toStore) } catch { failure = .kafkaStorageError }
            }
        }
        return OffsetCommitResponse(
            topics: request.topics.map { topic in
                .init(
                    name: topic.name,
                    partitions: topic.partitions.map { p in
                        let code = failure != .none ? failure : perPartition[TopicPartitionKey(topic: topic.name, partition: p.partitionIndex)] ?? .none
                        return .init(partitionIndex: p.partitionIndex, errorCode: code.code)
                    })
            })
    }
}
