import Foundation
import KafkaProtocol

/// The transaction coordinator, as part of the broker's actor: producer ids and epochs,
/// the partitions and groups of each open transaction, commit/abort markers, timeouts.
extension BrokerCore {
    /// Hands out a new producer id, reserving ids in blocks in the transaction log so that
    /// none is reused after a restart.
    func allocateProducerId() throws -> Int64 {
        if transactions.nextProducerId >= transactions.reservedUntil {
            let end = transactions.nextProducerId + TransactionState.blockSize
            try transactionLog.append([("producer-id-block", Data("\(end)".utf8))])
            transactions.reservedUntil = end
        }
        let id = transactions.nextProducerId
        transactions.nextProducerId += 1
        return id
    }

    func persist(_ meta: TransactionMetadata) throws {
        try transactionLog.append([("txn\u{0}" + meta.transactionalId, try JSONEncoder().encode(meta))])
        if let old = transactions.transactions[meta.transactionalId], old.producerId != meta.producerId {
            transactions.byProducerId[old.producerId] = nil
        }
        transactions.transactions[meta.transactionalId] = meta
        transactions.byProducerId[meta.producerId] = meta.transactionalId
    }

    /// Checks the producer id and epoch of a transactional request: `.none` when current.
    func checkProducer(_ meta: TransactionMetadata?, producerId: Int64, epoch: Int16) -> KafkaErrorCode {
        guard let meta, meta.producerId == producerId else { return .invalidProducerIdMapping }
        if epoch < meta.producerEpoch { return .producerFenced }
        if epoch > meta.producerEpoch { return .invalidProducerEpoch }
        return .none
    }

    /// Whether a transactional batch of `producerId`/`epoch` may be written to `partition`.
    func transactionCheck(topic: String, partition: Int32, producerId: Int64, epoch: Int16) -> KafkaErrorCode {
        guard let id = transactions.byProducerId[producerId], let meta = transactions.transactions[id] else { return .invalidProducerIdMapping }
        if epoch < meta.producerEpoch { return .invalidProducerEpoch }
        guard meta.phase == .ongoing, meta.partitions.contains(TopicPartitionKey(topic: topic, partition: partition)) else { return .invalidTxnState }
        return .none
    }

    /// Ends a transaction: writes a marker to each of its partitions, applies (commit) or
    /// drops (abort) its pending group offsets, and records the outcome.
    func completeTransaction(_ meta: inout TransactionMetadata, commit: Bool, markerEpoch: Int16) throws {
        for tp in meta.partitions {
            if let partition = partition(tp.topic, tp.partition) {
                try partition.writeMarker(producerId: meta.producerId, producerEpoch: markerEpoch, commit: commit)
            }
        }
        for groupId in meta.groups {
            guard let group = groups.groups[groupId] else { continue }
            if let pending = group.pendingTransactionalOffsets.removeValue(forKey: meta.producerId), commit {
                try groups.storeOffsets(group, pending)
            }
        }
        meta.phase = commit ? .completeCommit : .completeAbort
        meta.partitions = []
        meta.groups = []
        try persist(meta)
        logger.debug("transaction ended", metadata: ["transactionalId": "\(meta.transactionalId)", "commit": "\(commit)"])
    }

    /// Aborts open transactions older than their timeout, bumping the epoch to fence the producer.
    func expireTransactions(now: Int64) {
        for (_, meta) in transactions.transactions where meta.phase == .ongoing && now - meta.startedMs > Int64(meta.timeoutMs) {
            var updated = meta
            do {
                if updated.producerEpoch < Int16.max - 1 { updated.producerEpoch += 1 }
                try completeTransaction(&updated, commit: false, markerEpoch: updated.producerEpoch)
                logger.info("aborted timed-out transaction", metadata: ["transactionalId": "\(meta.transactionalId)"])
            } catch {
                logger.warning("could not abort timed-out transaction", metadata: ["transactionalId": "\(meta.transactionalId)", "error": "\(error)"])
            }
        }
    }
}
