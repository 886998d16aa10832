import KafkaProtocol

extension BrokerCore {
    /// InitProducerId: a new producer id (epoch 0) for an idempotent producer; for a
    /// transactional id, the same producer id with the epoch bumped (fencing the previous
    /// instance), after aborting the transaction it left open.
    func handleInitProducerId(_ request: InitProducerIdRequest, _ context: RequestContext) -> InitProducerIdResponse {
        func fail(_ code: KafkaErrorCode) -> InitProducerIdResponse { InitProducerIdResponse(errorCode: code.code, producerId: -1, producerEpoch: -1) }
        do {
            guard let transactionalId = request.transactionalId, !transactionalId.isEmpty else {
                return InitProducerIdResponse(errorCode: 0, producerId: try allocateProducerId(), producerEpoch: 0)
            }
            guard request.transactionTimeoutMs > 0, request.transactionTimeoutMs <= config.transactionMaxTimeoutMs else {
                return fail(.invalidTransactionTimeout)
            }
            var meta: TransactionMetadata
            if var existing = transactions.transactions[transactionalId] {
                if existing.producerEpoch >= Int16.max - 2 {
                    existing.producerId = try allocateProducerId()
                    existing.producerEpoch = -1
                }
                existing.producerEpoch += 1
                if existing.phase == .ongoing {
                    try completeTransaction(&existing, commit: false, markerEpoch: existing.producerEpoch)
                }
                meta = existing
            } else {
                meta = TransactionMetadata(
                    transactionalId: transactionalId, producerId: try allocateProducerId(), producerEpoch: 0,
                    timeoutMs: request.transactionTimeoutMs, phase: .empty, partitions: [], groups: [], startedMs: 0)
            }
            meta.timeoutMs = request.transactionTimeoutMs
            meta.phase = .empty
            try persist(meta)
            return InitProducerIdResponse(errorCode: 0, producerId: meta.producerId, producerEpoch: meta.producerEpoch)
        } catch {
            logger.error("InitProducerId failed", metadata: ["error": "\(error)"])
            return fail(.kafkaStorageError)
        }
    }
}
