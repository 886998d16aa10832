import KafkaProtocol

extension BrokerCore {
    /// TxnOffsetCommit: holds offsets for the group until the producer's transaction ends;
    /// they are stored on commit and dropped on abort.
    func handleTxnOffsetCommit(_ request: TxnOffsetCommitRequest, _ context: RequestContext) -> TxnOffsetCommitResponse {
        let meta = transactions.transactions[request.transactionalId]
        var error = checkProducer(meta, producerId: request.producerId, epoch: request.producerEpoch)
        if error == .none, let meta, meta.phase != .ongoing || !meta.groups.contains(request.groupId) { error = .invalidTxnState }
        let group = groups.groups[request.groupId] ?? ConsumerGroup(groupId: request.groupId)
        if error == .none, request.generationId >= 0 || !request.memberId.isEmpty {
            error = groups.validateCommit(group: group, generation: request.generationId, memberId: request.memberId, groupInstanceId: request.groupInstanceId)
        }
        var perPartition: [TopicPartitionKey: KafkaErrorCode] = [:]
        if error == .none {
            groups.groups[request.groupId] = group
            var pending = group.pendingTransactionalOffsets[request.producerId] ?? [:]
            let now = nowMs()
            for topic in request.topics {
                for p in topic.partitions {
                    let tp = TopicPartitionKey(topic: topic.name, partition: p.partitionIndex)
                    if partition(topic.name, p.partitionIndex) == nil {
                        perPartition[tp] = .unknownTopicOrPartition
                    } else {
                        pending[tp] = CommittedOffset(offset: p.committedOffset, leaderEpoch: p.committedLeaderEpoch, metadata: p.committedMetadata, commitTimestamp: now)
                    }
                }
            }
            group.pendingTransactionalOffsets[request.producerId] = pending
        }
        return TxnOffsetCommitResponse(
            topics: request.topics.map { topic in
                .init(
                    name: topic.name,
                    partitions: topic.partitions.map { p in
                        let code = error != .none ? error : perPartition[TopicPartitionKey(topic: topic.name, partition: p.partitionIndex)] ?? .none
                        return .init(partitionIndex: p.partitionIndex, errorCode: code.code)
                    })
            })
    }
}
