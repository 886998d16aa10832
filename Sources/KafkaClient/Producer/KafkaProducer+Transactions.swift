import KafkaProtocol

extension KafkaProducer {
    // MARK: - Public transaction API

    /// Registers the `transactional.id` with its transaction coordinator (InitProducerId):
    /// completes or aborts a transaction a previous producer with the same id left open,
    /// fences that producer (its epoch is bumped), and gets this producer's id and epoch.
    /// Call once, before the first ``beginTransaction()``.
    ///
    /// - Throws: ``KafkaClientError`` `illegalState` without a `transactional.id` or when
    ///   already initialized, `timeout` after `max.block.ms`; ``KafkaError``
    ///   (TRANSACTIONAL_ID_AUTHORIZATION_FAILED, INVALID_TRANSACTION_TIMEOUT, ...).
    public func initTransactions() async throws {
        let transaction = try transactional()
        guard transaction.state == .uninitialized else {
            throw KafkaClientError(.illegalState, "initTransactions() was already called")
        }
        try await bumpEpoch(transaction, current: false)
        transaction.state = .ready
    }

    /// Opens a transaction: records sent from now until ``commitTransaction()`` or
    /// ``abortTransaction()`` are committed or aborted together.
    /// - Throws: ``KafkaClientError`` `illegalState` if not initialized or a transaction is
    ///   open; the fatal error if the producer was fenced.
    public func beginTransaction() throws {
        let transaction = try transactional()
        switch transaction.state {
        case .ready:
            transaction.state = .inTransaction
            transaction.added = []
            transaction.offsetsAdded = false
            transaction.abortableError = nil
        case .fatal: throw transaction.fatalError ?? KafkaClientError(.illegalState, "the producer is fenced")
        case .uninitialized: throw KafkaClientError(.illegalState, "call initTransactions() first")
        default: throw KafkaClientError(.illegalState, "a transaction is already open")
        }
    }

    /// Adds a consumer group's offsets to the open transaction (AddOffsetsToTxn, then
    /// TxnOffsetCommit to the group's coordinator): they become the group's committed
    /// offsets if, and only if, the transaction commits. This is how consume-transform-
    /// produce gets exactly-once.
    ///
    /// - Parameters:
    ///   - offsets: the next offset to consume, per input partition.
    ///   - group: the consumer's ``KafkaConsumer/groupMetadata()``; with its generation and
    ///     member id, a zombie member's offsets are rejected.
    /// - Throws: ``KafkaClientError`` `illegalState` outside a transaction, `rebalance` when
    ///   the consumer is no longer in that generation (the transaction must be aborted);
    ///   ``KafkaError`` `PRODUCER_FENCED` (fatal), other error codes (abort).
    public func sendOffsetsToTransaction(_ offsets: [TopicPartition: OffsetAndMetadata], group: ConsumerGroupMetadata)
        async throws
    {
        let transaction = try transactional()
        try transaction.checkSend()
        let deadline = ContinuousClock.now + config.maxBlock
        do {
            if !transaction.offsetsAdded {
                let id = transaction.transactionalID
                let (producerId, epoch) = (self.producerId, self.producerEpoch)
                try await transactionRequest(transaction, api: "AddOffsetsToTxn", deadline: deadline) { _ in
                    AddOffsetsToTxnRequest(
                        transactionalId: id, producerId: producerId, producerEpoch: epoch, groupId: group.groupID)
                } code: { response, _ in
                    response.errorCode
                }
                transaction.offsetsAdded = true
            }
            try await txnOffsetCommit(transaction, offsets, group: group, deadline: deadline)
        } catch {
            if let kafka = error as? KafkaError, ProducerTransaction.isFencing(kafka.code) {
                transactionFenced(kafka)
            } else if transaction.state == .inTransaction {
                transactionAbortable(error)
            }
            throw error
        }
    }

    /// Sends what is buffered, then commits the transaction (EndTxn): its records become
    /// visible to `read_committed` consumers and its offsets are committed.
    /// - Throws: the error that made the transaction abortable (a failed send or offset
    ///   commit: call ``abortTransaction()``), ``KafkaError`` `PRODUCER_FENCED` (fatal:
    ///   close the producer), ``KafkaClientError`` `illegalState`, `timeout`.
    public func commitTransaction() async throws {
        let transaction = try transactional()
        try transaction.checkSend()
        try await flush()
        if transaction.state == .abortable {
            throw transaction.abortableError ?? KafkaClientError(.illegalState, "the transaction failed; abort it")
        }
        if let fatal = transaction.fatalError { throw fatal }
        transaction.state = .completing
        do {
            try await endTransaction(transaction, commit: true)
        } catch {
            if transaction.state == .completing { transaction.state = .abortable }
            transaction.abortableError = transaction.abortableError ?? error
            throw error
        }
        transaction.state = .ready
    }

    /// Aborts the open transaction: records not yet sent are dropped (their sends fail),
    /// records sent are marked aborted (EndTxn), and `read_committed` consumers skip them.
    /// When a send of the transaction failed, the producer then bumps its epoch
    /// (InitProducerId) so that its sequence numbers start over.
    /// - Throws: ``KafkaError`` `PRODUCER_FENCED` (fatal), ``KafkaClientError``
    ///   `illegalState` (no transaction), `timeout`.
    public func abortTransaction() async throws {
        let transaction = try transactional()
        switch transaction.state {
        case .inTransaction, .abortable, .completing: break
        case .fatal: throw transaction.fatalError ?? KafkaClientError(.illegalState, "the producer is fenced")
        default: throw KafkaClientError(.illegalState, "no transaction is open")
        }
        transaction.state = .completing
        failUnsent(KafkaClientError(.illegalState, "the transaction was aborted before the record was sent"))
        try await flush()
        if let fatal = transaction.fatalError { throw fatal }
        if !transaction.added.isEmpty || transaction.offsetsAdded {
            try await endTransaction(transaction, commit: false)
        }
        if transaction.needsEpochBump {
            try await bumpEpoch(transaction, current: true)
        }
        transaction.added = []
        transaction.offsetsAdded = false
        transaction.abortableError = nil
        transaction.state = .ready
    }

    // MARK: - Internals

    func transactional() throws -> ProducerTransaction {
        if closing { throw KafkaClientError(.closed, "the producer is closed") }
        guard let transaction else {
            throw KafkaClientError(.illegalState, "transactions need a transactional.id in the producer config")
        }
        if transaction.state == .fatal, let fatal = transaction.fatalError { throw fatal }
        return transaction
    }

    /// The transaction cannot commit any more: unsent batches fail, commit throws `error`.
    func transactionAbortable(_ error: any Error) {
        guard let transaction, transaction.state == .inTransaction else { return }
        transaction.markAbortable(error)
        failUnsent(error)
    }

    /// Another producer took over the transactional id (or the transaction timed out and
    /// the coordinator bumped the epoch): nothing more can be sent.
    func transactionFenced(_ error: KafkaError) {
        guard let transaction, transaction.state != .fatal else { return }
        var fenced = error
        if fenced.code == .invalidProducerEpoch { fenced.code = .producerFenced }
        fenced.message =
            "producer for transactional.id \(transaction.transactionalID) was fenced (another producer with this id initialized, or transaction.timeout.ms passed); close it and create a new one"
        transaction.fatalError = fenced
        transaction.state = .fatal
        fatalError = fenced
        failUnsent(fenced)
    }

    /// Fails every batch not yet written to a broker (open and queued ones).
    func failUnsent(_ error: any Error) {
        for topic in topics.values {
            for partition in topic.partitions {
                if let open = partition.open { closeBatch(open) }
                for batch in partition.queue[partition.queueHead...] where !batch.encoding {
                    if partition.inFlight.contains(where: { $0 === batch }) { continue }
                    fail(batch, error)
                }
            }
        }
        wakeSender()
    }

    /// InitProducerId for the transactional id: the first one (`current: false`), or an
    /// epoch bump of the current producer id (KIP-360, InitProducerId v3+).
    func bumpEpoch(_ transaction: ProducerTransaction, current: Bool) async throws {
        let id = transaction.transactionalID
        let timeout = Int32(clamping: config.transactionTimeout.milliseconds)
        let (producerId, epoch) = current ? (self.producerId, self.producerEpoch) : (-1, -1)
        let response: ProducerIdResponse = try await transactionRequest(
            transaction, api: "InitProducerId", deadline: .now + config.maxBlock
        ) { version in
            var request = ProducerIdRequest(transactionalId: id, transactionTimeoutMs: timeout)
            if version >= 3 {
                request.producerId = producerId
                request.producerEpoch = epoch
            }
            return request
        } code: { response, _ in
            response.response.errorCode
        }
        transaction.needsEpochBump = false
        producerIdReceived(id: response.response.producerId, epoch: response.response.producerEpoch, error: nil)
        logger.info(
            "transactional.id \(id): producer id \(response.response.producerId), epoch \(response.response.producerEpoch)")
    }

    func endTransaction(_ transaction: ProducerTransaction, commit: Bool) async throws {
        let id = transaction.transactionalID
        let (producerId, epoch) = (self.producerId, self.producerEpoch)
        do {
            try await transactionRequest(transaction, api: "EndTxn", deadline: .now + config.maxBlock) { _ in
                EndTxnRequest(transactionalId: id, producerId: producerId, producerEpoch: epoch, committed: commit)
            } code: { response, _ in
                response.errorCode
            }
        } catch let error as KafkaError where ProducerTransaction.isFencing(error.code) {
            transactionFenced(error)
            throw transaction.fatalError ?? error
        }
    }

    /// Sends a request to the transaction coordinator, retrying CONCURRENT_TRANSACTIONS
    /// (the previous transaction is still being completed) until `deadline`.
    @discardableResult
    func transactionRequest<R: KafkaRequest>(
        _ transaction: ProducerTransaction, api: String, deadline: ContinuousClock.Instant, maxVersion: Int16? = nil,
        build: @escaping @Sendable (Int16) throws -> R, code: @escaping @Sendable (R.Response, Int16) -> Int16
    ) async throws -> R.Response {
        var backoff = Duration.milliseconds(20)
        while true {
            let (response, version) = try await transaction.coordinator.send(
                api: api, deadline: deadline, maxVersion: maxVersion, build: build,
                coordinatorError: { response, version in KafkaErrorCode(code: code(response, version)) })
            let error = KafkaErrorCode(code: code(response, version))
            if error == .none { return response }
            if error == .concurrentTransactions || error.isRetriable {
                if ContinuousClock.now + backoff > deadline {
                    throw KafkaClientError(
                        .timeout, "\(api) for transactional.id \(transaction.transactionalID) did not complete in time",
                        cause: KafkaError(error, api: api))
                }
                try await Task.sleep(for: backoff)
                backoff = min(backoff * 2, config.retryBackoffMax)
                continue
            }
            let failure = KafkaError(error, api: api)
            if ProducerTransaction.isFencing(error) { transactionFenced(failure) }
            throw ProducerTransaction.isFencing(error) ? (transaction.fatalError ?? failure) : failure
        }
    }
}
