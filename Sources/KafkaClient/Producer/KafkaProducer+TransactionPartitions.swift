import KafkaProtocol

extension KafkaProducer {
    /// Adds partitions to the open transaction (AddPartitionsToTxn v0-3, the versions for
    /// clients), in a child task of the sender; their batches are sent once this succeeds.
    nonisolated func addPartitionsToTransaction(_ partitions: [TopicPartition]) async {
        guard let (id, link, producerId, epoch) = await transactionIdentity() else { return }
        let topics = ConsumerProtocol.grouped(partitions).map {
            AddPartitionsToTxnRequest.AddPartitionsToTxnTopic(name: $0.topic, partitions: $0.partitions)
        }
        do {
            let (response, _) = try await link.send(
                api: "AddPartitionsToTxn", deadline: .now + config.maxBlock, maxVersion: 3,
                build: { _ in
                    AddPartitionsToTxnRequest(
                        v3AndBelowTransactionalId: id, v3AndBelowProducerId: producerId, v3AndBelowProducerEpoch: epoch,
                        v3AndBelowTopics: topics)
                },
                coordinatorError: { response, _ in
                    for topic in response.resultsByTopicV3AndBelow {
                        for p in topic.resultsByPartition
                        where CoordinatorLink.isCoordinatorError(KafkaErrorCode(code: p.partitionErrorCode)) {
                            return KafkaErrorCode(code: p.partitionErrorCode)
                        }
                    }
                    return .none
                })
            var results: [TopicPartition: KafkaErrorCode] = [:]
            for topic in response.resultsByTopicV3AndBelow {
                for p in topic.resultsByPartition {
                    results[TopicPartition(topic.name, p.partitionIndex)] = KafkaErrorCode(code: p.partitionErrorCode)
                }
            }
            await partitionsAdded(partitions, results: results, error: nil)
        } catch {
            await partitionsAdded(partitions, results: [:], error: error)
        }
    }

    private func transactionIdentity() -> (String, CoordinatorLink, Int64, Int16)? {
        guard let transaction else { return nil }
        return (transaction.transactionalID, transaction.coordinator, producerId, producerEpoch)
    }

    func partitionsAdded(_ partitions: [TopicPartition], results: [TopicPartition: KafkaErrorCode], error: (any Error)?) {
        guard let transaction else { return }
        transaction.adding = false
        defer { wakeSender() }
        if let error {
            logger.warning("AddPartitionsToTxn failed: \(error)")
            transactionAbortable(error)
            return
        }
        var retry: [TopicPartition] = []
        for partition in partitions {
            let code = results[partition] ?? .unknownServerError
            switch code {
            case .none:
                transaction.added.insert(partition)
            case .concurrentTransactions, .operationNotAttempted:
                retry.append(partition)
            case _ where code.isRetriable:
                retry.append(partition)
            case _ where ProducerTransaction.isFencing(code):
                transactionFenced(
                    KafkaError(code, api: "AddPartitionsToTxn", topic: partition.topic, partition: partition.partition))
                return
            default:
                transactionAbortable(
                    KafkaError(code, api: "AddPartitionsToTxn", topic: partition.topic, partition: partition.partition))
                return
            }
        }
        if !retry.isEmpty {
            transaction.pendingAdd.formUnion(retry)
            transaction.addBackoffUntil = .now + .milliseconds(20)
        }
    }

    /// TxnOffsetCommit to the group's coordinator.
    func txnOffsetCommit(
        _ transaction: ProducerTransaction, _ offsets: [TopicPartition: OffsetAndMetadata], group: ConsumerGroupMetadata,
        deadline: ContinuousClock.Instant
    ) async throws {
        let link = CoordinatorLink(
            cluster: cluster, key: group.groupID, keyType: .group, retryBackoffMax: config.retryBackoffMax)
        do {
            try await txnOffsetCommit(link: link, transaction, offsets, group: group, deadline: deadline)
            await link.close()
        } catch {
            await link.close()
            throw error
        }
    }

    private func txnOffsetCommit(
        link: CoordinatorLink, _ transaction: ProducerTransaction, _ offsets: [TopicPartition: OffsetAndMetadata],
        group: ConsumerGroupMetadata, deadline: ContinuousClock.Instant
    ) async throws {
        let id = transaction.transactionalID
        let (producerId, epoch) = (self.producerId, self.producerEpoch)
        let topics = ConsumerProtocol.grouped(Array(offsets.keys)).map { topic, indices in
            TxnOffsetCommitRequest.TxnOffsetCommitRequestTopic(
                name: topic,
                partitions: indices.map { index in
                    let offset = offsets[TopicPartition(topic, index)]!
                    return TxnOffsetCommitRequest.TxnOffsetCommitRequestPartition(
                        partitionIndex: index, committedOffset: offset.offset, committedLeaderEpoch: offset.leaderEpoch,
                        committedMetadata: offset.metadata ?? "")
                })
        }
        var backoff = Duration.milliseconds(20)
        while true {
            let (response, _) = try await link.send(
                api: "TxnOffsetCommit", deadline: deadline,
                build: { version -> TxnOffsetCommitRequest in
                    TxnOffsetCommitRequest(
                        transactionalId: id, groupId: group.groupID, producerId: producerId, producerEpoch: epoch,
                        generationId: version >= 3 ? group.generationID : -1, memberId: version >= 3 ? group.memberID : "",
                        groupInstanceId: version >= 3 ? group.groupInstanceID : nil, topics: topics)
                },
                coordinatorError: { response, _ in
                    for topic in response.topics {
                        for p in topic.partitions where CoordinatorLink.isCoordinatorError(KafkaErrorCode(code: p.errorCode)) {
                            return KafkaErrorCode(code: p.errorCode)
                        }
                    }
                    return .none
                })
            var retriable = false
            for topic in response.topics {
                for p in topic.partitions where p.errorCode != 0 {
                    let code = KafkaErrorCode(code: p.errorCode)
                    switch code {
                    case .unknownMemberId, .illegalGeneration, .fencedInstanceId:
                        throw KafkaClientError(
                            .rebalance,
                            "the consumer group \(group.groupID) moved on without this member (\(code.name)); abort the transaction",
                            cause: KafkaError(code, api: "TxnOffsetCommit", topic: topic.name, partition: p.partitionIndex))
                    case .concurrentTransactions, .unknownTopicOrPartition:
                        retriable = true
                    case _ where code.isRetriable:
                        retriable = true
                    default:
                        throw KafkaError(code, api: "TxnOffsetCommit", topic: topic.name, partition: p.partitionIndex)
                    }
                }
            }
            if !retriable { return }
            if ContinuousClock.now + backoff > deadline {
                throw KafkaClientError(.timeout, "TxnOffsetCommit for \(group.groupID) did not complete in time")
            }
            try await Task.sleep(for: backoff)
            backoff = min(backoff * 2, config.retryBackoffMax)
        }
    }
}
