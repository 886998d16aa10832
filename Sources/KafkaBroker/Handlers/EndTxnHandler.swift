import KafkaProtocol

extension BrokerCore {
    /// EndTxn: commits or aborts the producer's open transaction, writing a control marker
    /// to each of its partitions before answering. A retried EndTxn with the same outcome
    /// succeeds again.
    func handleEndTxn(_ request: EndTxnRequest, _ context: RequestContext) -> EndTxnResponse {
        let meta = transactions.transactions[request.transactionalId]
        var check = checkProducer(meta, producerId: request.producerId, epoch: request.producerEpoch)
        if check == .producerFenced && context.apiVersion < 2 { check = .invalidProducerEpoch }
        guard check == .none, var meta else { return EndTxnResponse(errorCode: check.code) }
        switch meta.phase {
        case .ongoing:
            do {
                try completeTransaction(&meta, commit: request.committed, markerEpoch: meta.producerEpoch)
            } catch {
                logger.error("EndTxn failed", metadata: ["transactionalId": "\(request.transactionalId)", "error": "\(error)"])
                return EndTxnResponse(errorCode: KafkaErrorCode.kafkaStorageError.code)
            }
            return EndTxnResponse(errorCode: 0)
        case .completeCommit:
            return EndTxnResponse(errorCode: request.committed ? 0 : KafkaErrorCode.invalidTxnState.code)
        case .completeAbort:
            return EndTxnResponse(errorCode: request.committed ? KafkaErrorCode.invalidTxnState.code : 0)
        case .empty:
            return EndTxnResponse(errorCode: KafkaErrorCode.invalidTxnState.code)
        }
    }
}
