import KafkaProtocol
import Logging
import NIOCore

/// A Produce request written to a broker, for the child task that awaits its answer.
struct WrittenProduce: Sendable {
    enum Answer: Sendable {
        case response(EventLoopFuture<ProduceResponse>)
        case written(EventLoopFuture<Void>)
        case failed(any Error)
    }
    let id: UInt64
    let broker: String
    let answer: Answer

    /// Waits for the answer.
    func outcome() async -> ProduceOutcome {
        switch answer {
        case .response(let future):
            do { return .response(try await future.get(), broker: broker) } catch { return .failed(error) }
        case .written(let future):
            do {
                try await future.get()
                return .written
            } catch {
                return .failed(error)
            }
        case .failed(let error):
            return .failed(error)
        }
    }
}

/// What came of a Produce request.
enum ProduceOutcome: Sendable {
    /// The response, from this broker.
    case response(ProduceResponse, broker: String)
    /// Written with acks=0 (no response).
    case written
    /// No response: connection failure, timeout, unsupported version.
    case failed(any Error)
}

extension KafkaProducer {
    // MARK: - The sender

    /// The sender: sends ready batches until the producer is closed and drained.
    func senderLoop() async {
        await withDiscardingTaskGroup { group in
            while true {
                let now = ContinuousClock.now
                let work = step(now)
                for written in work.requests {
                    group.addTask { await self.complete(written.id, outcome: await written.outcome()) }
                }
                for node in work.connect {
                    group.addTask { await self.connect(node) }
                }
                for (_, batches) in work.encode {
                    // One task per broker compresses its batches in turn (as librdkafka's
                    // broker thread): compression of one broker's batches is serial, beside
                    // the appends and other brokers' compression.
                    group.addTask {
                        for (id, builder) in batches { await self.encoded(id, await Self.finish(builder)) }
                    }
                }
                if !work.closeConnections.isEmpty {
                    let doomed = work.closeConnections
                    group.addTask { for connection in doomed { await connection.close() } }
                }
                if let topics = work.refreshTopics {
                    group.addTask { await self.refreshMetadata(topics) }
                }
                if work.initProducerId {
                    group.addTask { await self.initProducerId() }
                }
                if let partitions = work.addPartitions {
                    group.addTask { await self.addPartitionsToTransaction(partitions) }
                }
                if closing && incomplete.isEmpty && requests.isEmpty && !fetchingProducerId && !refreshingMetadata
                    && connecting.isEmpty && encodingBatches.isEmpty && !(transaction?.adding ?? false)
                {
                    break
                }
                if let deadline = work.nextDeadline, timerDeadline.map({ deadline < $0 }) ?? true {
                    timerDeadline = deadline
                    group.addTask {
                        try? await Task.sleep(until: deadline, clock: .continuous)
                        await self.timerFired(deadline)
                    }
                }
                await waitForWork()
            }
            group.cancelAll()
        }
    }

    func wakeSender() {
        if let wakeup = senderWakeup {
            senderWakeup = nil
            wakeup.resume()
        } else {
            wakePending = true
        }
    }

    func waitForWork() async {
        if wakePending {
            wakePending = false
            return
        }
        await withCheckedContinuation { senderWakeup = $0 }
        wakePending = false
    }

    func timerFired(_ deadline: ContinuousClock.Instant) {
        if timerDeadline == deadline { timerDeadline = nil }
        wakeSender()
    }

    struct StepResult {
        var requests: [WrittenProduce] = []
        var connect: [Int32] = []
        var encode: [Int32: [(UInt64, RecordBatchBuilder)]] = [:]
        var closeConnections: [BrokerConnection] = []
        var refreshTopics: [String]?
        var initProducerId = false
        var addPartitions: [TopicPartition]?
        var nextDeadline: ContinuousClock.Instant?

        mutating func wake(at instant: ContinuousClock.Instant) {
            if nextDeadline.map({ instant < $0 }) ?? true { nextDeadline = instant }
        }
    }

    /// One pass of the sender: expires what is overdue, closes batches that are ready,
    /// and builds the requests that can go now.
    func step(_ now: ContinuousClock.Instant) -> StepResult {
        var result = StepResult()
        expireMemoryWaiters(now, &result)
        if let closeDeadline, now >= closeDeadline {
            abortAll(KafkaClientError(.closed, "the producer was closed before the record was delivered"))
            if ownsCluster && !requests.isEmpty {
                // Fail what is in flight now rather than at the request timeout.
                result.closeConnections = Array(connections.values)
                connections.removeAll()
            }
        } else if let closeDeadline {
            result.wake(at: closeDeadline)
        }

        // Metadata.
        let stale = metadataRefreshedAt.map { now - $0 >= config.client.metadataMaxAge } ?? false
        if (metadataWanted || stale) && !refreshingMetadata && !topics.isEmpty {
            if let until = metadataBackoffUntil, now < until {
                result.wake(at: until)
            } else {
                refreshingMetadata = true
                metadataWanted = false
                result.refreshTopics = Array(topics.keys)
            }
        }

        // Producer id: nothing is sent without one; a reset waits until nothing is in flight.
        var canSend = fatalError == nil
        if config.enableIdempotence && (!hasProducerId || resetRequested) {
            canSend = false
            // A transactional producer gets its id from initTransactions() only.
            if transaction == nil && !fetchingProducerId && requests.isEmpty && !incomplete.isEmpty {
                if let until = producerIdBackoffUntil, now < until {
                    result.wake(at: until)
                } else {
                    fetchingProducerId = true
                    result.initProducerId = true
                }
            }
        }

        // flush() and close() send everything now; a full buffer makes batches ready to
        // go as soon as they can be sent, without waiting for linger.ms.
        let urgent = flushing > 0 || closing
        let pressed = !memoryWaiters.isEmpty

        let perPartitionLimit = config.enableIdempotence ? min(config.maxInFlight, 5) : config.maxInFlight
        var byNode: [Int32: [ProducerPartition]] = [:]
        // A partition's open batch keeps taking records until it is full or until it can
        // be sent after `linger.ms` (as Java's accumulator drains batches): while requests
        // are in flight, batches grow instead of queueing up small.
        var nodeReady: [Int32: Bool] = [:]
        func ready(_ node: Int32) -> Bool {
            if let known = nodeReady[node] { return known }
            let active = connections[node]?.isActive ?? false
            if !active { wantConnection(node, now, &result) }
            let answer = active && (inFlightPerNode[node] ?? 0) < config.maxInFlight
            nodeReady[node] = answer
            return answer
        }
        for topic in topics.values {
            for partition in topic.partitions {
                let leader = partition.leader
                if let open = partition.open {
                    if urgent || now >= open.deliveryDeadline {
                        closeBatch(open)
                    } else if now < open.lingerDeadline && !pressed {
                        result.wake(at: open.lingerDeadline)
                    } else if !partition.hasQueued && canSend && leader >= 0 && isSendable(partition, now)
                        && ready(leader) && (encodingPerNode[leader] ?? 0) == 0
                    {
                        // (A broker's next batches wait while its previous ones compress: like
                        // librdkafka's broker thread, batches grow when compression is the
                        // bottleneck, and larger batches compress better and faster.)
                        closeBatch(open)
                    } else if leader < 0 {
                        metadataWanted = true
                    } else if let until = partition.backoffUntil, now < until {
                        result.wake(at: until)
                    }
                }
                expireQueued(partition, now)
                guard let first = partition.firstQueued else { continue }
                result.wake(at: first.deliveryDeadline)
                guard canSend else { continue }
                guard leader >= 0 else {
                    metadataWanted = true
                    continue
                }
                if let until = partition.backoffUntil, now < until {
                    result.wake(at: until)
                    continue
                }
                guard isSendable(partition, now) else { continue }
                if let transaction, !transaction.added.contains(TopicPartition(partition.topic, partition.id)) {
                    // A partition joins the transaction (AddPartitionsToTxn) before its first batch.
                    transaction.pendingAdd.insert(TopicPartition(partition.topic, partition.id))
                    continue
                }
                byNode[leader, default: []].append(partition)
            }
        }
        if metadataWanted && !refreshingMetadata {
            result.wake(at: metadataBackoffUntil ?? now)
        }
        if let transaction, !transaction.pendingAdd.isEmpty, !transaction.adding {
            if let until = transaction.addBackoffUntil, now < until {
                result.wake(at: until)
            } else if transaction.state == .inTransaction || transaction.state == .completing {
                transaction.adding = true
                result.addPartitions = transaction.pendingAdd.sorted()
                transaction.pendingAdd = []
            }
        }

        for (node, partitions) in byNode {
            guard let connection = connections[node], connection.isActive else {
                wantConnection(node, now, &result)
                continue
            }
            let version: Int16
            do {
                version = try connection.version(for: ProduceRequest.self)
                guard version >= 3 else {
                    throw KafkaClientError(
                        .unsupportedVersion, "the broker speaks Produce up to v\(version); record batches (magic 2) need v3",
                        broker: connection.address.description)
                }
            } catch {
                for partition in partitions { while let batch = partition.firstQueued { fail(batch, error) } }
                continue
            }
            var inFlight = inFlightPerNode[node] ?? 0
            while inFlight < config.maxInFlight {
                var batches: [ProducerBatch] = []
                var topicData: [ProduceRequest.TopicProduceData] = []
                var topicIndex: [String: Int] = [:]
                var size = 0
                for partition in partitions {
                    guard !partition.recovering, partition.inFlight.count < perPartitionLimit, let batch = partition.firstQueued,
                        !batch.encoding
                    else { continue }
                    // A compressed batch is finished by a child task (started below for
                    // batches closed in this pass); only uncompressed ones are finished here.
                    if batch.encoded == nil && config.compression.type != .none && batch.builder != nil { continue }
                    do {
                        try batch.finishNow()
                    } catch {
                        fail(batch, error)
                        continue
                    }
                    if config.enableIdempotence {
                        let flagged = batch.needsStamp
                        let batchID = batch.producerId
                        let batchEpoch = batch.producerEpoch
                        if flagged || batchID != producerId || batchEpoch != producerEpoch {
                            batch.producerId = producerId
                            batch.producerEpoch = producerEpoch
                            batch.stamp()
                        }
                    }
                    let bytes = batch.encoded?.readableBytes ?? 0
                    if !batches.isEmpty && size + bytes > config.maxRequestSize { continue }
                    _ = partition.dequeue()
                    partition.inFlight.append(batch)
                    batch.attempts += 1
                    batch.sentTo = node
                    if batch.attempts > 1 { statistics.retries += 1 }
                    let data = ProduceRequest.PartitionProduceData(partitionIndex: partition.id, records: batch.encoded)
                    if let at = topicIndex[partition.topic] {
                        topicData[at].partitions.append(data)
                    } else {
                        topicIndex[partition.topic] = topicData.count
                        topicData.append(.init(name: partition.topic, partitions: [data]))
                    }
                    batches.append(batch)
                    size += bytes
                }
                if batches.isEmpty { break }
                let id = nextRequestID
                nextRequestID &+= 1
                requests[id] = PendingProduce(node: node, batches: batches)
                inFlight += 1
                statistics.requests += 1
                let request = ProduceRequest(
                    transactionalId: config.transactionalID, acks: config.acks.rawValue,
                    timeoutMs: Int32(clamping: config.client.requestTimeout.milliseconds), topics: topicData)
                // Written here, on the actor, so requests to a broker leave in the order built.
                let answer: WrittenProduce.Answer =
                    config.acks == .none
                    ? .written(connection.writeWithoutResponse(request, version: version))
                    : .response(connection.write(request, version: version))
                result.requests.append(WrittenProduce(id: id, broker: connection.address.description, answer: answer))
                logger.trace(
                    "Produce request \(id) to node \(node): \(batches.map { "\($0.partition.topic)-\($0.partition.id) batch \($0.id) (\($0.recordCount))" })"
                )
            }
            inFlightPerNode[node] = inFlight
        }
        // Compress the batches closed since the last pass in child tasks; they are sent
        // once finished (a partition waits for its first batch).
        for batch in toEncode where incomplete.contains(batch.id) {
            guard let builder = batch.builder else { continue }
            batch.builder = nil
            batch.encoding = true
            batch.encodingNode = batch.partition.leader
            encodingPerNode[batch.encodingNode, default: 0] += 1
            encodingBatches[batch.id] = batch
            result.encode[batch.encodingNode, default: []].append((batch.id, builder))
        }
        toEncode.removeAll(keepingCapacity: true)
        return result
    }

    /// Whether a partition may send its next batch now, as far as the partition itself goes
    /// (the broker connection and its in-flight limit are checked separately).
    func isSendable(_ partition: ProducerPartition, _ now: ContinuousClock.Instant) -> Bool {
        if let until = partition.backoffUntil {
            if now < until { return false }
            partition.backoffUntil = nil
        }
        if partition.recovering {
            if !partition.inFlight.isEmpty { return false }
            partition.recovering = false
        }
        if let sent = partition.inFlight.first, sent.sentTo != partition.leader { return false }
        let limit = config.enableIdempotence ? min(config.maxInFlight, 5) : config.maxInFlight
        return partition.inFlight.count < limit
    }

    /// Starts connecting to a broker unless that is under way or backing off.
    func wantConnection(_ node: Int32, _ now: ContinuousClock.Instant, _ result: inout StepResult) {
        connections[node] = nil
        guard !connecting.contains(node) else { return }
        if let until = nodeBackoffUntil[node], now < until {
            result.wake(at: until)
        } else {
            connecting.insert(node)
            result.connect.append(node)
        }
    }

    // MARK: - Requests

    /// Finishes (compresses) a batch off the actor, on the global executor, so that
    /// compression runs beside appends.
    @concurrent
    nonisolated static func finish(_ builder: RecordBatchBuilder) async -> Result<ByteBuffer, any Error> {
        Result { try builder.finish() }
    }

    /// A child task finished (compressed) a batch.
    func encoded(_ id: UInt64, _ result: Result<ByteBuffer, any Error>) {
        guard let batch = encodingBatches.removeValue(forKey: id) else { return }
        batch.encoding = false
        encodingPerNode[batch.encodingNode, default: 1] -= 1
        defer { wakeSender() }
        guard incomplete.contains(id) else { return }
        switch result {
        case .success(let bytes):
            batch.encoded = bytes
            let records = batch.uncompressedBytes - RecordBatch.headerSize
            if records > 0, let topic = topics[batch.partition.topic] {
                topic.observeCompression(Double(bytes.readableBytes - RecordBatch.headerSize) / Double(records))
            }
        case .failure(let error): fail(batch, error)
        }
    }

    /// Connects to a broker (in a child task of the sender).
    nonisolated func connect(_ node: Int32) async {
        do {
            let connection = try await cluster.connection(toNode: node)
            await connected(node, connection, error: nil)
        } catch {
            await connected(node, nil, error: error)
        }
    }

    func connected(_ node: Int32, _ connection: BrokerConnection?, error: (any Error)?) {
        connecting.remove(node)
        defer { wakeSender() }
        if let connection {
            connections[node] = connection
            nodeBackoffUntil[node] = nil
            return
        }
        // The broker is unreachable: its batches stay queued (until delivery.timeout.ms)
        // while metadata is refreshed, in case the leadership moved.
        logger.debug("cannot connect to broker \(node): \(error.map { "\($0)" } ?? "?")")
        metadataWanted = true
        nodeBackoffUntil[node] = .now + config.client.retryBackoff
        for topic in topics.values {
            for partition in topic.partitions where partition.leader == node {
                if let first = partition.firstQueued { first.lastError = error }
            }
        }
    }

    /// Applies a Produce outcome to its batches: success, retry or failure.
    func complete(_ id: UInt64, outcome: ProduceOutcome) {
        guard let pending = requests.removeValue(forKey: id) else { return }
        inFlightPerNode[pending.node, default: 1] -= 1
        defer { wakeSender() }
        let now = ContinuousClock.now
        switch outcome {
        case .written:
            for batch in pending.batches where incomplete.contains(batch.id) {
                succeed(batch, baseOffset: -1, logAppendTime: -1)
            }
        case .failed(let error):
            metadataWanted = true
            for batch in pending.batches where incomplete.contains(batch.id) {
                retryOrFail(batch, error, now)
            }
        case .response(let response, let broker):
            var results: [String: [Int32: ProduceResponse.PartitionProduceResponse]] = [:]
            for topic in response.responses {
                for partition in topic.partitions { results[topic.name, default: [:]][partition.partitionIndex] = partition }
            }
            for batch in pending.batches where incomplete.contains(batch.id) {
                let partition = batch.partition
                guard let result = results[partition.topic]?[partition.id] else {
                    retryOrFail(
                        batch,
                        KafkaClientError(
                            .protocolViolation, "the Produce response has no result for \(partition.topic)-\(partition.id)",
                            broker: broker),
                        now)
                    continue
                }
                handle(batch, result, broker: broker, now)
            }
        }
    }

    /// Acts on one partition's result in a Produce response.
    func handle(
        _ batch: ProducerBatch, _ result: ProduceResponse.PartitionProduceResponse, broker: String, _ now: ContinuousClock.Instant
    ) {
        let code = KafkaErrorCode(code: result.errorCode)
        let partition = batch.partition
        let error = KafkaError(
            code, message: result.errorMessage, broker: broker, api: "Produce", topic: partition.topic, partition: partition.id)
        if transaction != nil && ProducerTransaction.isFencing(code) {
            transactionFenced(error)
            fail(batch, error)
            return
        }
        switch code {
        case .none:
            succeed(batch, baseOffset: result.baseOffset, logAppendTime: result.logAppendTimeMs)
        case .duplicateSequenceNumber:
            // The broker already has this batch (an earlier attempt was written).
            succeed(batch, baseOffset: result.baseOffset, logAppendTime: result.logAppendTimeMs)
        case .unknownProducerId, .invalidProducerEpoch:
            // The broker has no state for this producer id (or another epoch): the batch was
            // not written. Get a new producer id, renumber, and send it again.
            requestProducerIdReset("\(code.name) for \(partition.topic)-\(partition.id)")
            retryOrFail(batch, error, now)
        case .outOfOrderSequenceNumber:
            let earlierPending =
                partition.inFlight.contains { $0.id < batch.id } || (partition.firstQueued.map { $0.id < batch.id } ?? false)
            if !config.enableIdempotence || (!earlierPending && !resetRequested && batch.producerId == producerId) {
                // The broker expected another sequence although every earlier batch was
                // acknowledged: it lost records (as Java, the batch fails; the producer id
                // is reset so that later batches go through).
                fail(batch, error)
            } else {
                // An earlier batch failed or is being retried: resend after it, in order.
                retryOrFail(batch, error, now)
            }
        default:
            if Self.invalidatesMetadata(code) { metadataWanted = true }
            if code.isRetriable {
                retryOrFail(batch, error, now)
            } else {
                fail(batch, error)
            }
        }
    }

    /// Errors after which Kafka's clients refresh metadata (`InvalidMetadataException`).
    static func invalidatesMetadata(_ code: KafkaErrorCode) -> Bool {
        [
            KafkaErrorCode.notLeaderOrFollower, .unknownTopicOrPartition, .leaderNotAvailable, .fencedLeaderEpoch,
            .unknownLeaderEpoch, .unknownTopicId, .kafkaStorageError, .replicaNotAvailable,
        ].contains(code)
    }

    func requestProducerIdReset(_ reason: String) {
        if let transaction {
            // Within a transaction a sequence gap cannot be repaired: the transaction must
            // be aborted, and the epoch is bumped after the abort.
            if transaction.state == .inTransaction {
                logger.warning("the transaction must be aborted after \(reason)")
                transactionAbortable(KafkaClientError(.illegalState, "the transaction cannot commit after \(reason); abort it"))
            }
            transaction.needsEpochBump = true
            return
        }
        guard config.enableIdempotence, !resetRequested else { return }
        logger.info("resetting the producer id after \(reason)")
        resetRequested = true
    }

    /// Sends a batch again after a backoff, or fails it if out of retries or time.
    func retryOrFail(_ batch: ProducerBatch, _ error: any Error, _ now: ContinuousClock.Instant) {
        let partition = batch.partition
        partition.inFlight.removeAll { $0 === batch }
        batch.lastError = error
        if batch.attempts > config.retries {
            fail(batch, error)
            return
        }
        if now >= batch.deliveryDeadline || closeDeadline.map({ now >= $0 }) ?? false {
            fail(batch, expiredError(batch, now, cause: error))
            return
        }
        logger.debug("retrying \(batch.recordCount) record(s) to \(partition.topic)-\(partition.id) after \(error)")
        partition.requeue(batch)
        partition.recovering = true
        let base = config.client.retryBackoff * (1 << min(max(batch.attempts - 1, 0), 20))
        let backoff = min(base, max(config.retryBackoffMax, config.client.retryBackoff))
        let jittered = backoff * Double.random(in: 0.8...1.2)
        let until = now + jittered
        if partition.backoffUntil.map({ until > $0 }) ?? true { partition.backoffUntil = until }
    }

    func expiredError(_ batch: ProducerBatch, _ now: ContinuousClock.Instant, cause: (any Error)?) -> KafkaClientError {
        let partition = batch.partition
        let ms = (now - batch.createdAt).milliseconds
        return KafkaClientError(
            .timeout,
            "expiring \(batch.recordCount) record(s) for \(partition.topic)-\(partition.id): \(ms) ms passed since the batch was created (delivery.timeout.ms \(config.deliveryTimeout.milliseconds))",
            cause: cause)
    }

    /// Fails queued batches whose delivery timeout passed (they are in id order, so the
    /// oldest are first).
    func expireQueued(_ partition: ProducerPartition, _ now: ContinuousClock.Instant) {
        while let first = partition.firstQueued, now >= first.deliveryDeadline {
            fail(first, expiredError(first, now, cause: first.lastError))
        }
    }

    func expireMemoryWaiters(_ now: ContinuousClock.Instant, _ result: inout StepResult) {
        guard !memoryWaiters.isEmpty else { return }
        var kept = CircularBuffer<MemoryWaiter>()
        for waiter in memoryWaiters {
            if now >= waiter.deadline {
                waiter.continuation.resume(
                    throwing: KafkaClientError(
                        .recordRejected,
                        "buffer.memory (\(config.bufferMemory) bytes) still full after max.block.ms (\(config.maxBlock.milliseconds) ms)"
                    ))
            } else {
                kept.append(waiter)
                result.wake(at: waiter.deadline)
            }
        }
        memoryWaiters = kept
    }

    /// Fails everything not yet delivered (close with a timeout).
    func abortAll(_ error: any Error) {
        for topic in topics.values {
            for partition in topic.partitions {
                if let open = partition.open { closeBatch(open) }
                for batch in partition.inFlight { fail(batch, error) }
                while let batch = partition.firstQueued { fail(batch, error) }
            }
        }
    }

    // MARK: - Results

    func succeed(_ batch: ProducerBatch, baseOffset: Int64, logAppendTime: Int64) {
        let partition = batch.partition
        partition.inFlight.removeAll { $0 === batch }
        for waiter in batch.waiters {
            let offset = baseOffset >= 0 ? baseOffset + Int64(waiter.index) : -1
            waiter.continuation.resume(
                returning: RecordPosition(
                    topic: partition.topic, partition: partition.id, offset: offset,
                    timestamp: logAppendTime >= 0 ? logAppendTime : waiter.timestamp))
        }
        batch.waiters = []
        if baseOffset >= 0 {
            partition.lastAcknowledgedOffset = max(partition.lastAcknowledgedOffset, baseOffset + Int64(batch.recordCount) - 1)
        }
        statistics.recordsDelivered += Int(batch.recordCount)
        finish(batch)
    }

    func fail(_ batch: ProducerBatch, _ error: any Error) {
        let partition = batch.partition
        partition.inFlight.removeAll { $0 === batch }
        if partition.firstQueued === batch {
            _ = partition.dequeue()
        } else if let index = partition.queue[partition.queueHead...].firstIndex(where: { $0 === batch }) {
            partition.queue.remove(at: index)
        }
        if partition.open === batch { partition.open = nil }
        for waiter in batch.waiters { waiter.continuation.resume(throwing: error) }
        batch.waiters = []
        statistics.recordsFailed += Int(batch.recordCount)
        logger.warning("\(batch.recordCount) record(s) to \(partition.topic)-\(partition.id) failed: \(error)")
        onDeliveryFailure?(
            DeliveryFailure(topic: partition.topic, partition: partition.id, recordCount: Int(batch.recordCount), error: error))
        // A failed batch leaves a gap in the partition's sequence numbers.
        if config.enableIdempotence && batch.baseSequence >= 0 { requestProducerIdReset("a failed batch") }
        finish(batch)
    }

    func finish(_ batch: ProducerBatch) {
        incomplete.remove(batch.id)
        batch.encoded = nil
        batch.builder = nil
        releaseMemory(batch.reservedBytes)
        batch.reservedBytes = 0
        if !flushWaiters.isEmpty {
            let oldest = incomplete.min() ?? UInt64.max
            flushWaiters.removeAll { waiter in
                guard waiter.upTo < oldest else { return false }
                waiter.continuation.resume()
                return true
            }
        }
    }

    // MARK: - Metadata and producer id

    nonisolated func refreshMetadata(_ names: [String]) async {
        do {
            let metadata = try await cluster.metadata(refresh: true, topics: names)
            await metadataRefreshed(metadata, error: nil)
        } catch {
            await metadataRefreshed(nil, error: error)
        }
    }

    func metadataRefreshed(_ metadata: ClusterMetadata?, error: (any Error)?) {
        refreshingMetadata = false
        let now = ContinuousClock.now
        metadataBackoffUntil = now + config.client.retryBackoff
        if let metadata {
            apply(metadata)
            metadataRefreshedAt = now
        } else {
            metadataWanted = true
            logger.debug("metadata refresh failed: \(error.map { "\($0)" } ?? "?")")
        }
        wakeSender()
    }

    /// Updates known topics (and creates the ones asked for) from metadata.
    func apply(_ metadata: ClusterMetadata) {
        for (name, topicMetadata) in metadata.topics where topicMetadata.error == .none || topics[name] != nil {
            guard topicMetadata.error == .none || !topicMetadata.partitions.isEmpty else { continue }
            let topic = topics[name] ?? ProducerTopic(name: name)
            topic.update(from: topicMetadata)
            if !topic.partitions.isEmpty { topics[name] = topic }
        }
    }

    nonisolated func initProducerId() async {
        do {
            let connection = try await cluster.anyConnection()
            let response = try await connection.send(ProducerIdRequest(transactionalId: nil, transactionTimeoutMs: -1)).response
            if response.errorCode != 0 {
                throw KafkaError(code: response.errorCode, broker: connection.address.description, api: "InitProducerId")
            }
            await producerIdReceived(id: response.producerId, epoch: response.producerEpoch, error: nil)
        } catch {
            await producerIdReceived(id: -1, epoch: -1, error: error)
        }
    }

    func producerIdReceived(id: Int64, epoch: Int16, error: (any Error)?) {
        fetchingProducerId = false
        defer { wakeSender() }
        if let error {
            producerIdAttempts += 1
            logger.warning("InitProducerId failed (attempt \(producerIdAttempts)): \(error)")
            let fatalCodes: [KafkaErrorCode] = [
                .clusterAuthorizationFailed, .transactionalIdAuthorizationFailed, .unsupportedVersion,
            ]
            if let code = (error as? KafkaError)?.code, fatalCodes.contains(code) {
                fatalError = error
            } else if (error as? KafkaClientError)?.code == .unsupportedVersion {
                fatalError = KafkaClientError(
                    .unsupportedVersion, "the broker cannot give this producer a producer id; set enable.idempotence=false",
                    cause: error)
            }
            if let fatalError {
                // Idempotence is impossible: every send fails from now on.
                abortAll(fatalError)
                return
            }
            producerIdBackoffUntil =
                .now + min(config.client.retryBackoff * (1 << min(producerIdAttempts, 10)), config.retryBackoffMax)
            return
        }
        producerIdAttempts = 0
        producerId = id
        producerEpoch = epoch
        hasProducerId = true
        resetRequested = false
        statistics.producerIdInitializations += 1
        logger.debug("producer id \(id), epoch \(epoch)")
        // Renumber every partition's unsent batches from 0 under the new id.
        for topic in topics.values {
            for partition in topic.partitions {
                if let open = partition.open { closeBatch(open) }
                var sequence: Int32 = 0
                for batch in partition.pendingBatches {
                    if batch.baseSequence != sequence || batch.producerId != id || batch.producerEpoch != epoch {
                        batch.baseSequence = sequence
                        batch.needsStamp = true
                    }
                    sequence = Self.incrementSequence(sequence, by: batch.recordCount)
                }
                partition.nextSequence = sequence
            }
        }
    }
}
