import KafkaProtocol

extension BrokerCore {
    /// AddOffsetsToTxn: adds a consumer group to the open transaction, so that offsets
    /// committed with TxnOffsetCommit become visible when it commits.
    func handleAddOffsetsToTxn(_ request: AddOffsetsToTxnRequest, _ context: RequestContext) -> AddOffsetsToTxnResponse {
        let check = checkProducer(transactions.transactions[request.transactionalId], producerId: request.producerId, epoch: request.producerEpoch)
        guard check == .none, var meta = transactions.transactions[request.transactionalId] else { return AddOffsetsToTxnResponse(errorCode: check.code) }
        if meta.phase != .ongoing {
            meta.phase = .ongoing
            meta.startedMs = nowMs()
            meta.partitions = []
            meta.groups = []
        }
        if !meta.groups.contains(request.groupId) { meta.groups.append(request.groupId) }
        do { try persist(meta) } catch { return AddOffsetsToTxnResponse(errorCode: KafkaErrorCode.kafkaStorageError.code) }
        return AddOffsetsToTxnResponse(errorCode: 0)
    }
}
