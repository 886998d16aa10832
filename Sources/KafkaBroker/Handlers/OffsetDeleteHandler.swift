import KafkaProtocol
import NIOCore

extension BrokerCore {
    /// OffsetDelete: removes a group's committed offsets for partitions of topics the group
    /// no longer subscribes to (tombstones in the offsets log). Topics a member of a
    /// non-empty consumer group subscribes to answer GROUP_SUBSCRIBED_TO_TOPIC, as Kafka does.
    func handleOffsetDelete(_ request: OffsetDeleteRequest, _ context: RequestContext) -> OffsetDeleteResponse {
        guard !isStopping else { return OffsetDeleteResponse(errorCode: KafkaErrorCode.notCoordinator.code, topics: []) }
        guard let group = groups.groups[request.groupId] else {
            return OffsetDeleteResponse(errorCode: KafkaErrorCode.groupIdNotFound.code, topics: [])
        }
        let subscribed = subscribedTopics(group)
        var deleted: [TopicPartitionKey] = []
        let topics = request.topics.map { topic in
            OffsetDeleteResponse.OffsetDeleteResponseTopic(
                name: topic.name,
                partitions: topic.partitions.map { p in
                    let code: KafkaErrorCode
                    if subscribed.contains(topic.name) {
                        code = .groupSubscribedToTopic
                    } else if partition(topic.name, p.partitionIndex) == nil {
                        code = .unknownTopicOrPartition
                    } else {
                        code = .none
                        deleted.append(TopicPartitionKey(topic: topic.name, partition: p.partitionIndex))
                    }
                    return .init(partitionIndex: p.partitionIndex, errorCode: code.code)
                })
        }
        do {
            try groups.deleteOffsets(group, deleted)
        } catch {
            return OffsetDeleteResponse(errorCode: KafkaErrorCode.kafkaStorageError.code, topics: [])
        }
        return OffsetDeleteResponse(errorCode: 0, topics: topics)
    }

    /// The topics the members of a consumer-protocol group subscribe to (from their
    /// JoinGroup metadata); none for an empty group or another protocol type.
    private func subscribedTopics(_ group: ConsumerGroup) -> Set<String> {
        guard group.protocolType == "consumer" else { return [] }
        var topics: Set<String> = []
        for member in group.members {
            for (_, metadata) in member.protocols {
                var bytes = metadata
                guard let version = bytes.getInteger(at: bytes.readerIndex, as: Int16.self) else { continue }
                bytes.moveReaderIndex(forwardBy: 2)
                if let subscription = try? ConsumerProtocolSubscription(from: &bytes, version: version) {
                    topics.formUnion(subscription.topics)
                }
            }
        }
        return topics
    }
}
