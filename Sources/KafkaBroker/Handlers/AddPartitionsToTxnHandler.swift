import KafkaProtocol

extension BrokerCore {
    /// AddPartitionsToTxn: adds partitions to the producer's open transaction (starting it).
    /// v0-3 carry one transaction; v4-5 several (as brokers send them).
    func handleAddPartitionsToTxn(_ request: AddPartitionsToTxnRequest, _ context: RequestContext) -> AddPartitionsToTxnResponse {
        if context.apiVersion <= 3 {
            return AddPartitionsToTxnResponse(
                resultsByTopicV3AndBelow: addPartitions(
                    transactionalId: request.v3AndBelowTransactionalId, producerId: request.v3AndBelowProducerId,
                    epoch: request.v3AndBelowProducerEpoch, topics: request.v3AndBelowTopics, verifyOnly: false))
        }
        return AddPartitionsToTxnResponse(
            errorCode: 0,
            resultsByTransaction: request.transactions.map { txn in
                .init(
                    transactionalId: txn.transactionalId,
                    topicResults: addPartitions(
                        transactionalId: txn.transactionalId, producerId: txn.producerId, epoch: txn.producerEpoch, topics: txn.topics,
                        verifyOnly: txn.verifyOnly))
            })
    }

    private func addPartitions(
        transactionalId: String, producerId: Int64, epoch: Int16, topics requested: [AddPartitionsToTxnRequest.AddPartitionsToTxnTopic],
        verifyOnly: Bool
    ) -> [AddPartitionsToTxnResponse.AddPartitionsToTxnTopicResult] {
        func all(_ code: (String, Int32) -> KafkaErrorCode) -> [AddPartitionsToTxnResponse.AddPartitionsToTxnTopicResult] {
            requested.map { t in .init(name: t.name, resultsByPartition: t.partitions.map { .init(partitionIndex: $0, partitionErrorCode: code(t.name, $0).code) }) }
        }
        var meta = transactions.transactions[transactionalId]
        let check = checkProducer(meta, producerId: producerId, epoch: epoch)
        guard check == .none, var meta else { return all { _, _ in check } }
        if verifyOnly {
            return all { t, p in meta.phase == .ongoing && meta.partitions.contains(TopicPartitionKey(topic: t, partition: p)) ? .none : .invalidTxnState }
        }
        let unknown = requested.flatMap { t in t.partitions.filter { partition(t.name, $0) == nil }.map { TopicPartitionKey(topic: t.name, partition: $0) } }
        if !unknown.isEmpty {
            let bad = Set(unknown)
            return all { t, p in bad.contains(TopicPartitionKey(topic: t, partition: p)) ? .unknownTopicOrPartition : .operationNotAttempted }
        }
        if meta.phase != .ongoing {
            meta.phase = .ongoing
            meta.startedMs = nowMs()
            meta.partitions = []
            meta.groups = []
        }
        for t in requested {
            for p in t.partitions {
                let tp = TopicPartitionKey(topic: t.name, partition: p)
                if !meta.partitions.contains(tp) { meta.partitions.append(tp) }
            }
        }
        do { try persist(meta) } catch { return all { _, _ in .kafkaStorageError } }
        return all { _, _ in .none }
    }
}
