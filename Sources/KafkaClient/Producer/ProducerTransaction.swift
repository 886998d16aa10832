import KafkaProtocol

/// The transaction state of a transactional ``KafkaProducer`` (owned by its actor), as
/// Java's `TransactionManager` keeps it.
final class ProducerTransaction {
    /// Where the producer is in the transaction protocol.
    enum State: Equatable {
        /// `initTransactions` has not completed.
        case uninitialized
        /// No transaction open.
        case ready
        /// Between `beginTransaction` and commit/abort.
        case inTransaction
        /// Committing or aborting.
        case completing
        /// A send or offset commit failed: the transaction can only be aborted.
        case abortable
        /// Fenced or otherwise unusable: the producer must be closed.
        case fatal
    }

    let transactionalID: String
    let coordinator: CoordinatorLink
    var state: State = .uninitialized
    /// Partitions added to the open transaction (AddPartitionsToTxn answered).
    var added: Set<TopicPartition> = []
    /// Partitions with batches waiting to be added.
    var pendingAdd: Set<TopicPartition> = []
    /// An AddPartitionsToTxn request is in flight.
    var adding = false
    /// Not before this instant (after CONCURRENT_TRANSACTIONS, ...).
    var addBackoffUntil: ContinuousClock.Instant?
    /// Whether offsets were added (AddOffsetsToTxn) to the open transaction.
    var offsetsAdded = false
    /// Why the transaction became abortable.
    var abortableError: (any Error)?
    /// Why the producer became unusable.
    var fatalError: (any Error)?
    /// A batch of the transaction failed (its sequence numbers are gone): after the abort
    /// the producer bumps its epoch.
    var needsEpochBump = false

    init(transactionalID: String, coordinator: CoordinatorLink) {
        self.transactionalID = transactionalID
        self.coordinator = coordinator
    }

    /// Whether a record may be sent now.
    /// - Throws: ``KafkaClientError`` `illegalState`, or the fatal / abortable error.
    func checkSend() throws {
        switch state {
        case .inTransaction: return
        case .abortable:
            throw abortableError ?? KafkaClientError(.illegalState, "the transaction failed; abort it")
        case .fatal:
            throw fatalError ?? KafkaClientError(.illegalState, "the producer is fenced; close it")
        case .uninitialized:
            throw KafkaClientError(.illegalState, "call initTransactions() before sending with a transactional.id")
        case .ready:
            throw KafkaClientError(.illegalState, "call beginTransaction() before sending with a transactional.id")
        case .completing:
            throw KafkaClientError(.illegalState, "the transaction is being committed or aborted; begin a new one")
        }
    }

    /// Records the first error that dooms the open transaction.
    func markAbortable(_ error: any Error) {
        needsEpochBump = true
        guard state == .inTransaction || state == .completing else { return }
        abortableError = error
        state = .abortable
    }

    /// Errors meaning another producer with this transactional id took over.
    static func isFencing(_ code: KafkaErrorCode) -> Bool {
        code == .producerFenced || code == .invalidProducerEpoch || code == .transactionalIdAuthorizationFailed
    }
}
