import KafkaProtocol
import Logging
import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Produces records to Kafka: batches them per partition, compresses and sends them to
/// the partitions' leaders, retries, and reports each record's offset.
///
/// ```swift
/// let producer = try KafkaProducer(config: try ProducerConfig(properties: [
///     "bootstrap.servers": "kafka:9092", "compression.type": "zstd",
/// ]))
/// let position = try await producer.send(topic: "payments", key: ByteBuffer(string: "card-7"),
///                                        value: ByteBuffer(string: #"{"amount":12}"#))
/// print(position.partition, position.offset)
/// try await producer.sendAndForget(topic: "clicks", key: nil, value: ByteBuffer(string: "home"))
/// try await producer.flush()
/// await producer.close()
/// ```
///
/// **Concurrency.** An actor: every send, flush and response is handled on it, in order.
/// A send appends its record to the partition's open batch synchronously; it suspends only
/// while the topic's metadata is unknown or the buffer (`buffer.memory`) is full. Batches
/// are sent by the producer's *sender*, one task started by the first send (the one
/// unstructured task of the producer) that lives until ``close()``: it waits for batches
/// to be ready (`batch.size` reached or `linger.ms` passed), groups them by leader into one
/// Produce request per broker (at most `max.in.flight.requests.per.connection` per
/// connection), and runs each request as a child task, so encoding, compression and I/O
/// happen off the actor. ``run()`` makes the producer a service: it returns after its task
/// is cancelled and the producer has drained and closed.
///
/// **Delivery.** With idempotence (the default) the producer gets a producer id
/// (InitProducerId) and numbers each partition's batches; the broker drops retried
/// duplicates, and a partition's batches are resent in order after a failure, so each
/// record is written once and in order. Retriable errors (leader changes, connection loss,
/// timeouts) are retried with backoff until `delivery.timeout.ms`; other errors fail the
/// batch's sends with a ``KafkaError`` naming the topic and partition.
///
/// Call ``close()`` when done: it sends what is buffered and waits for the answers.
public actor KafkaProducer {
    /// The configuration.
    public nonisolated let config: ProducerConfig
    let cluster: KafkaCluster
    let ownsCluster: Bool
    let logger: Logger
    let onDeliveryFailure: (@Sendable (DeliveryFailure) -> Void)?
    nonisolated let shutdownStream: AsyncStream<Void>
    nonisolated let shutdownSignal: AsyncStream<Void>.Continuation

    var topics: [String: ProducerTopic] = [:]
    var lastTopic: ProducerTopic?

    var nextBatchID: UInt64 = 1
    /// Closed compressed batches whose encoding has not started.
    var toEncode: [ProducerBatch] = []
    /// Batches being finished by a child task, by id.
    var encodingBatches: [UInt64: ProducerBatch] = [:]
    /// Batches being compressed, by the leader they go to.
    var encodingPerNode: [Int32: Int] = [:]
    var incomplete: Set<UInt64> = []
    var bufferedBytes = 0
    var memoryWaiters = CircularBuffer<MemoryWaiter>()

    var producerId: Int64 = -1
    var producerEpoch: Int16 = -1
    var hasProducerId = false
    var resetRequested = false
    var fetchingProducerId = false
    var producerIdBackoffUntil: ContinuousClock.Instant?
    var producerIdAttempts = 0

    var senderTask: Task<Void, Never>?
    var senderWakeup: CheckedContinuation<Void, Never>?
    var wakePending = false
    var timerDeadline: ContinuousClock.Instant?
    var nextRequestID: UInt64 = 1
    var requests: [UInt64: PendingProduce] = [:]
    var inFlightPerNode: [Int32: Int] = [:]
    var connections: [Int32: BrokerConnection] = [:]
    var connecting: Set<Int32> = []
    var nodeBackoffUntil: [Int32: ContinuousClock.Instant] = [:]

    var metadataWanted = false
    var refreshingMetadata = false
    var metadataRefreshedAt: ContinuousClock.Instant?
    var metadataBackoffUntil: ContinuousClock.Instant?

    var flushing = 0
    var flushWaiters: [(upTo: UInt64, continuation: CheckedContinuation<Void, Never>)] = []
    var closing = false
    var closed = false
    var closeDeadline: ContinuousClock.Instant?
    var runStarted = false
    var fatalError: (any Error)?
    /// With a `transactional.id`: the transaction state.
    let transaction: ProducerTransaction?

    /// Counters of what the producer has done.
    public internal(set) var statistics = ProducerStatistics()

    struct MemoryWaiter {
        let bytes: Int
        let deadline: ContinuousClock.Instant
        let continuation: CheckedContinuation<Void, any Error>
    }

    struct PendingProduce {
        let node: Int32
        let batches: [ProducerBatch]
    }

    /// Creates a producer with its own connections to the cluster. Nothing connects until
    /// the first send.
    ///
    /// - Parameters:
    ///   - config: the settings.
    ///   - logger: where retries and failures are logged.
    ///   - onDeliveryFailure: called (on the producer's actor, so keep it short) for each
    ///     batch that cannot be delivered; the only report for records sent with
    ///     ``sendAndForget(topic:partition:key:value:headers:timestamp:)``.
    /// - Throws: ``KafkaClientError`` (`invalidConfig`) for inconsistent settings.
    public init(
        config: ProducerConfig, logger: Logger = Logger(label: "kafka-producer"),
        onDeliveryFailure: (@Sendable (DeliveryFailure) -> Void)? = nil
    ) throws {
        try self.init(
            config: config, cluster: KafkaCluster(config: config.client, logger: logger), ownsCluster: true, logger: logger,
            onDeliveryFailure: onDeliveryFailure)
    }

    /// Creates a producer that shares a cluster view (connections and metadata) with other
    /// clients; ``close()`` leaves the cluster open.
    /// - Throws: ``KafkaClientError`` (`invalidConfig`) for inconsistent settings.
    public init(
        config: ProducerConfig, cluster: KafkaCluster, logger: Logger = Logger(label: "kafka-producer"),
        onDeliveryFailure: (@Sendable (DeliveryFailure) -> Void)? = nil
    ) throws {
        try self.init(config: config, cluster: cluster, ownsCluster: false, logger: logger, onDeliveryFailure: onDeliveryFailure)
    }

    private init(
        config: ProducerConfig, cluster: KafkaCluster, ownsCluster: Bool, logger: Logger,
        onDeliveryFailure: (@Sendable (DeliveryFailure) -> Void)?
    ) throws {
        try config.validate()
        self.config = config
        self.cluster = cluster
        self.ownsCluster = ownsCluster
        self.logger = logger
        self.onDeliveryFailure = onDeliveryFailure
        self.transaction = config.transactionalID.map {
            ProducerTransaction(
                transactionalID: $0,
                coordinator: CoordinatorLink(
                    cluster: cluster, key: $0, keyType: .transaction, retryBackoffMax: config.retryBackoffMax))
        }
        (shutdownStream, shutdownSignal) = AsyncStream.makeStream(of: Void.self)
    }

    // MARK: - Sending

    /// Sends a record and waits until the broker has acknowledged it.
    ///
    /// The record joins its partition's batch at once (in call order); the call then
    /// waits for the batch's Produce response. Cancelling the waiting task does not
    /// withdraw the record.
    ///
    /// - Parameters:
    ///   - topic: the topic.
    ///   - partition: the partition, or `nil` to let ``ProducerConfig/partitioner`` choose.
    ///   - key: the key bytes (`nil`: null key).
    ///   - value: the value bytes (`nil`: null value).
    ///   - headers: the record's headers.
    ///   - timestamp: milliseconds since the epoch; `nil` for now.
    /// - Returns: the record's partition and offset (offset -1 with `acks=0`).
    /// - Throws: ``KafkaError`` when the broker rejects the batch (topic and partition
    ///   named) or the topic does not appear in metadata within `max.block.ms`;
    ///   ``KafkaClientError`` `recordRejected` (too large, buffer still full after
    ///   `max.block.ms`, invalid partition or timestamp), `timeout` (not delivered within
    ///   `delivery.timeout.ms`), `closed`.
    public func send(
        topic: String, partition: Int32? = nil, key: ByteBuffer?, value: ByteBuffer?, headers: RecordHeaders = .empty,
        timestamp: Int64? = nil
    ) async throws -> RecordPosition {
        let (state, size) = try await admit(
            topic: topic, partition: partition, key: key, value: value, headers: headers, timestamp: timestamp)
        return try await withCheckedThrowingContinuation { continuation in
            do {
                try append(
                    state, partition: partition, key: key, value: value, headers: headers, timestamp: timestamp, size: size,
                    waiter: continuation)
            } catch {
                continuation.resume(throwing: error)
            }
        }
    }

    /// Sends a record given as byte arrays and waits for its acknowledgement; see
    /// ``send(topic:partition:key:value:headers:timestamp:)``.
    /// - Throws: as ``send(topic:partition:key:value:headers:timestamp:)``.
    @_disfavoredOverload
    public func send(
        topic: String, partition: Int32? = nil, key: [UInt8]?, value: [UInt8]?, headers: [(String, [UInt8]?)] = [],
        timestamp: Int64? = nil
    ) async throws -> RecordPosition {
        try await send(
            topic: topic, partition: partition, key: key.map { ByteBuffer(bytes: $0) },
            value: value.map { ByteBuffer(bytes: $0) },
            headers: Self.headers(headers), timestamp: timestamp)
    }

    /// Buffers a record and returns; its result is not awaited.
    ///
    /// Returns once the record is in its partition's batch (after waiting, like ``send(topic:partition:key:value:headers:timestamp:)``,
    /// for metadata or buffer space). A delivery failure is logged, counted in
    /// ``statistics`` and passed to the `onDeliveryFailure` handler. ``flush()`` waits for
    /// every buffered record.
    ///
    /// - Throws: the errors a send can throw before the record is buffered.
    public func sendAndForget(
        topic: String, partition: Int32? = nil, key: ByteBuffer?, value: ByteBuffer?, headers: RecordHeaders = .empty,
        timestamp: Int64? = nil
    ) async throws {
        // The common case (known topic, room in the buffer) does not suspend.
        let size = try check(topic: topic, key: key, value: value, headers: headers, timestamp: timestamp)
        if let state = try admitNow(topic, partition: partition, size: size) {
            try append(
                state, partition: partition, key: key, value: value, headers: headers, timestamp: timestamp, size: size,
                waiter: nil)
            return
        }
        let (state, admitted) = try await admit(
            topic: topic, partition: partition, key: key, value: value, headers: headers, timestamp: timestamp)
        try append(
            state, partition: partition, key: key, value: value, headers: headers, timestamp: timestamp, size: admitted,
            waiter: nil)
    }

    /// Buffers a record given as byte arrays; see ``sendAndForget(topic:partition:key:value:headers:timestamp:)``.
    /// - Throws: as ``sendAndForget(topic:partition:key:value:headers:timestamp:)``.
    @_disfavoredOverload
    public func sendAndForget(
        topic: String, partition: Int32? = nil, key: [UInt8]?, value: [UInt8]?, headers: [(String, [UInt8]?)] = [],
        timestamp: Int64? = nil
    ) async throws {
        try await sendAndForget(
            topic: topic, partition: partition, key: key.map { ByteBuffer(bytes: $0) },
            value: value.map { ByteBuffer(bytes: $0) },
            headers: Self.headers(headers), timestamp: timestamp)
    }

    /// Buffers many records with one `await` (the form a stream thread uses for a poll
    /// batch), in order; results are not awaited, as with
    /// ``sendAndForget(topic:partition:key:value:headers:timestamp:)``.
    ///
    /// Records before a failing one stay buffered; the error is thrown for the first
    /// record that cannot be buffered and later records are not buffered.
    /// - Throws: the errors a send can throw before a record is buffered.
    public func sendAndForget(_ records: [ProducerRecord]) async throws {
        for record in records {
            let size = try check(
                topic: record.topic, key: record.key, value: record.value, headers: record.headers, timestamp: record.timestamp)
            if let state = try admitNow(record.topic, partition: record.partition, size: size) {
                try append(
                    state, partition: record.partition, key: record.key, value: record.value, headers: record.headers,
                    timestamp: record.timestamp, size: size, waiter: nil)
                continue
            }
            let (state, admitted) = try await admit(
                topic: record.topic, partition: record.partition, key: record.key, value: record.value, headers: record.headers,
                timestamp: record.timestamp)
            try append(
                state, partition: record.partition, key: record.key, value: record.value, headers: record.headers,
                timestamp: record.timestamp, size: admitted, waiter: nil)
        }
    }

    /// The number of partitions of a topic, waiting (up to `max.block.ms`) for its
    /// metadata, as Java's `partitionsFor`. Also a way to fetch a topic's metadata before
    /// the first send.
    /// - Throws: as a send to an unknown topic: ``KafkaError`` `UNKNOWN_TOPIC_OR_PARTITION`
    ///   after `max.block.ms`, ``KafkaClientError`` (`metadata`, `closed`).
    public func partitionCount(of topic: String) async throws -> Int {
        if closing { throw KafkaClientError(.closed, "the producer is closed") }
        if let known = topics[topic], !known.partitions.isEmpty { return known.partitions.count }
        return try await waitForTopic(topic, deadline: .now + config.maxBlock).partitions.count
    }

    /// The offset of the last record the broker acknowledged in each of `partitions`
    /// (partitions with none are left out): after ``flush()``, where every record sent so
    /// far ended. The Streams runtime checkpoints its changelogs with it.
    public func lastAcknowledgedOffsets(_ partitions: some Sequence<TopicPartition>) -> [TopicPartition: Int64] {
        var result: [TopicPartition: Int64] = [:]
        for tp in partitions {
            guard let partition = topics[tp.topic]?.partitions.first(where: { $0.id == tp.partition }) else { continue }
            if partition.lastAcknowledgedOffset >= 0 { result[tp] = partition.lastAcknowledgedOffset }
        }
        return result
    }

    static func headers(_ pairs: [(String, [UInt8]?)]) -> RecordHeaders {
        pairs.isEmpty ? .empty : RecordHeaders(pairs.map { (key: $0.0, value: $0.1.map { ByteBuffer(bytes: $0) }) })
    }

    /// Sends every buffered record now (ignoring `linger.ms`) and waits until each record
    /// buffered before the call is acknowledged or has failed.
    ///
    /// Failures are reported to the records' senders, not thrown here.
    /// - Throws: ``KafkaClientError`` (`closed`) if the producer is closed.
    public func flush() async throws {
        if closed { throw KafkaClientError(.closed, "the producer is closed") }
        let upTo = nextBatchID &- 1
        guard let first = incomplete.min(), first <= upTo else { return }
        flushing += 1
        defer { flushing -= 1 }
        wakeSender()
        await withCheckedContinuation { flushWaiters.append((upTo, $0)) }
    }

    /// Stops taking records, sends everything buffered, waits for the answers, and closes
    /// the connections (unless the cluster is shared).
    ///
    /// Records that cannot be delivered fail as usual (at the latest after
    /// `delivery.timeout.ms`). Calling it again waits for the first close.
    public func close() async {
        await close(timeout: nil)
    }

    /// Like ``close()``, but after `timeout` fails what is still undelivered with a
    /// `closed` error instead of waiting longer.
    public func close(timeout: Duration?) async {
        if !closing {
            closing = true
            if let timeout { closeDeadline = .now + timeout }
            shutdownSignal.finish()
            for waiter in memoryWaiters {
                waiter.continuation.resume(throwing: KafkaClientError(.closed, "the producer was closed"))
            }
            memoryWaiters.removeAll()
            for topic in topics.values { for partition in topic.partitions { if let open = partition.open { closeBatch(open) } } }
        }
        wakeSender()
        if let senderTask { await senderTask.value }
        if !closed {
            closed = true
            await transaction?.coordinator.close()
            if ownsCluster { await cluster.close() }
        }
    }

    /// Runs until the calling task is cancelled (or ``close()`` is called), then drains and
    /// closes the producer: the shape of a swift-service-lifecycle `Service`.
    public func run() async {
        if !runStarted {
            runStarted = true
            for await _ in shutdownStream {}
        }
        await close()
    }

    // MARK: - Appending

    /// Checks a record, waits for its topic's metadata and for buffer space; returns the
    /// topic and the bytes reserved.
    func admit(
        topic name: String, partition: Int32?, key: ByteBuffer?, value: ByteBuffer?, headers: RecordHeaders, timestamp: Int64?
    ) async throws -> (ProducerTopic, Int) {
        let size = try check(topic: name, key: key, value: value, headers: headers, timestamp: timestamp)
        if let state = try admitNow(name, partition: partition, size: size) { return (state, size) }
        let deadline = ContinuousClock.now + config.maxBlock
        let state: ProducerTopic
        if let known = knownTopic(name) {
            state = known
        } else {
            state = try await waitForTopic(name, deadline: deadline)
            lastTopic = state
        }
        try checkPartition(partition, of: state)
        if memoryWaiters.isEmpty && bufferedBytes + size <= config.bufferMemory {
            bufferedBytes += size
        } else {
            try await waitForMemory(size, deadline: deadline, topic: name)
        }
        if closing {
            releaseMemory(size)
            throw KafkaClientError(.closed, "the producer is closed; cannot send to \(name)")
        }
        return (state, size)
    }

    /// Checks what can be checked without metadata; returns the record's size bound (the
    /// bytes of `buffer.memory` it takes).
    func check(topic name: String, key: ByteBuffer?, value: ByteBuffer?, headers: RecordHeaders, timestamp: Int64?) throws -> Int
    {
        if closing { throw KafkaClientError(.closed, "the producer is closed; cannot send to \(name)") }
        if let fatalError { throw fatalError }
        if let transaction { try transaction.checkSend() }
        if let timestamp, timestamp < 0 {
            throw KafkaClientError(
                .recordRejected, "invalid timestamp \(timestamp) for \(name): it must be at least 0 (or nil for now)")
        }
        let size =
            36 + (key?.readableBytes ?? 0) + (value?.readableBytes ?? 0)
            + (headers.isEmpty ? 0 : headers.encodedBytes.readableBytes)
        if size + RecordBatch.headerSize > config.maxRequestSize {
            throw KafkaClientError(
                .recordRejected,
                "a record for \(name) is \(size + RecordBatch.headerSize) bytes when serialized, larger than max.request.size (\(config.maxRequestSize))"
            )
        }
        if size > config.bufferMemory {
            throw KafkaClientError(
                .recordRejected,
                "a record for \(name) is \(size) bytes when serialized, larger than buffer.memory (\(config.bufferMemory))")
        }
        if senderTask == nil { senderTask = Task { await self.senderLoop() } }
        return size
    }

    /// Admits a record without suspending when its topic is known and the buffer has room
    /// (reserving `size` bytes); `nil` when the caller must take the slow path (``admit``).
    func admitNow(_ name: String, partition: Int32?, size: Int) throws -> ProducerTopic? {
        guard let state = knownTopic(name), memoryWaiters.isEmpty, bufferedBytes + size <= config.bufferMemory else { return nil }
        try checkPartition(partition, of: state)
        bufferedBytes += size
        return state
    }

    /// The topic, if its partitions are known.
    func knownTopic(_ name: String) -> ProducerTopic? {
        if let last = lastTopic, last.name == name, !last.partitions.isEmpty { return last }
        if let known = topics[name], !known.partitions.isEmpty {
            lastTopic = known
            return known
        }
        return nil
    }

    func checkPartition(_ partition: Int32?, of topic: ProducerTopic) throws {
        if let partition, partition < 0 || Int(partition) >= topic.partitions.count {
            throw KafkaClientError(
                .recordRejected,
                "partition \(partition) of \(topic.name) does not exist (it has \(topic.partitions.count) partitions)")
        }
    }

    /// Waits until metadata describes the topic, refreshing it with backoff.
    func waitForTopic(_ name: String, deadline: ContinuousClock.Instant) async throws -> ProducerTopic {
        var lastError: (any Error)?
        var refresh = false
        while true {
            do {
                let metadata = try await cluster.metadata(refresh: refresh, topics: [name])
                apply(metadata)
                if let state = topics[name], !state.partitions.isEmpty { return state }
                if let error = metadata.topics[name]?.error, error != .none, !error.isRetriable {
                    throw KafkaError(error, api: "Metadata", topic: name)
                }
                lastError = metadata.topics[name].map { KafkaError($0.error, api: "Metadata", topic: name) }
            } catch let error as KafkaError where !error.isRetriable {
                throw error
            } catch let error as KafkaClientError where error.isFatal {
                throw error
            } catch {
                lastError = error
            }
            if closing { throw KafkaClientError(.closed, "the producer is closed; cannot send to \(name)") }
            let wait = config.client.retryBackoff
            if ContinuousClock.now + wait > deadline {
                let ms = config.maxBlock.milliseconds
                if lastError is KafkaError || lastError == nil {
                    throw KafkaError(
                        .unknownTopicOrPartition,
                        message:
                            "topic \(name) not present in metadata after \(ms) ms (max.block.ms): create it or check its name",
                        api: "Metadata", topic: name, cause: lastError)
                }
                throw KafkaClientError(.metadata, "no metadata for topic \(name) after \(ms) ms (max.block.ms)", cause: lastError)
            }
            try await Task.sleep(for: wait)
            refresh = true
        }
    }

    /// Waits, in arrival order, until `bytes` of buffer memory are free.
    func waitForMemory(_ bytes: Int, deadline: ContinuousClock.Instant, topic: String) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            memoryWaiters.append(MemoryWaiter(bytes: bytes, deadline: deadline, continuation: continuation))
            wakeSender()
        }
    }

    func releaseMemory(_ bytes: Int) {
        bufferedBytes -= bytes
        while let first = memoryWaiters.first, bufferedBytes + first.bytes <= config.bufferMemory || bufferedBytes == 0 {
            memoryWaiters.removeFirst()
            bufferedBytes += first.bytes
            first.continuation.resume()
        }
    }

    /// Appends an admitted record to its partition's batch (no suspension).
    func append(
        _ topic: ProducerTopic, partition explicit: Int32?, key: ByteBuffer?, value: ByteBuffer?, headers: RecordHeaders,
        timestamp: Int64?, size: Int, waiter: CheckedContinuation<RecordPosition, any Error>?
    ) throws {
        let timestamp = timestamp ?? Self.wallClockMilliseconds()
        let count = Int32(topic.partitions.count)
        var partitionID: Int32
        var sticky = false
        let hadSticky = topic.stickyPartition >= 0
        if let explicit {
            partitionID = explicit
        } else {
            switch config.partitioner.kind {
            case .default:
                if let key {
                    partitionID = Murmur2.partition(forKey: key, partitionCount: count)
                } else {
                    partitionID = stickyPartition(topic, switching: false)
                    sticky = true
                }
            case .uniformSticky:
                partitionID = stickyPartition(topic, switching: false)
                sticky = true
            case .roundRobin:
                let candidates = topic.available.isEmpty ? Array(0..<count) : topic.available
                partitionID = candidates[topic.roundRobinNext % candidates.count]
                topic.roundRobinNext &+= 1
            case .custom(let choose):
                partitionID = choose(topic.name, key, count)
                guard partitionID >= 0 && partitionID < count else {
                    releaseMemory(size)
                    throw KafkaClientError(
                        .recordRejected,
                        "the custom partitioner chose partition \(partitionID) of \(topic.name), which has \(count)")
                }
            }
        }
        let keySize = key?.readableBytes
        let valueSize = value?.readableBytes
        let headersSize = headers.isEmpty ? 0 : headers.encodedBytes.readableBytes
        // As Java's accumulator: with compression, batch.size bounds the batch's estimated
        // compressed size (the topic's observed ratio, times 1.05); the records themselves
        // never exceed max.request.size.
        let compressed = config.compression.type != .none
        let factor = compressed ? topic.compressionRatio * 1.05 : 1.0
        let limit = Double(config.batchSize)
        let recordSize = { (builder: RecordBatchBuilder) in
            builder.encodedSize(
                timestamp: timestamp, keySize: keySize, valueSize: valueSize, headersSize: headersSize, headerCount: headers.count
            )
        }
        func fits(_ builder: RecordBatchBuilder) -> Bool {
            let total = builder.sizeInBytes + recordSize(builder)
            return total <= config.maxRequestSize && Self.estimate(total, factor) <= limit
        }
        var target = topic.partitions[Int(partitionID)]
        if let open = target.open, let builder = open.builder, !fits(builder) {
            closeBatch(open)
        }
        if sticky && hadSticky && target.open == nil && topic.partitions.count > 1 {
            // KIP-480: a new batch for the sticky partition moves it.
            partitionID = stickyPartition(topic, switching: true)
            target = topic.partitions[Int(partitionID)]
            if let open = target.open, let builder = open.builder, !fits(builder) {
                closeBatch(open)
            }
        }
        let batch =
            target.open
            ?? openBatch(target, capacity: max(min(Int(limit / factor), config.maxRequestSize), size + RecordBatch.headerSize))
        let index = batch.recordCount
        if headers.isEmpty {
            batch.builder!.append(timestamp: timestamp, key: key, value: value)
        } else {
            batch.builder!.append(timestamp: timestamp, key: key, value: value, headers: headers)
        }
        batch.recordCount += 1
        batch.reservedBytes += size
        statistics.recordsSent += 1
        if let waiter { batch.waiters.append(.init(index: index, timestamp: timestamp, continuation: waiter)) }
        let written = batch.builder!.sizeInBytes
        if Self.estimate(written, factor) >= limit || written >= config.maxRequestSize { closeBatch(batch) }
    }

    /// A batch's estimated size on the wire: header plus records times the compression factor.
    static func estimate(_ uncompressed: Int, _ factor: Double) -> Double {
        Double(RecordBatch.headerSize) + Double(uncompressed - RecordBatch.headerSize) * factor
    }

    /// The topic's sticky partition; with `switching`, a new one (different from the
    /// current when there is a choice), at random among partitions with a leader.
    func stickyPartition(_ topic: ProducerTopic, switching: Bool) -> Int32 {
        let current = topic.stickyPartition
        if current >= 0 && !switching { return current }
        let candidates = topic.available.isEmpty ? Array(0..<Int32(topic.partitions.count)) : topic.available
        var chosen = candidates.randomElement() ?? 0
        if candidates.count > 1 {
            while chosen == current { chosen = candidates.randomElement() ?? 0 }
        }
        topic.stickyPartition = chosen
        return chosen
    }

    func openBatch(_ partition: ProducerPartition, capacity: Int) -> ProducerBatch {
        let now = ContinuousClock.now
        let batch = ProducerBatch(
            id: nextBatchID, partition: partition, now: now, config: config, producerId: producerId, producerEpoch: producerEpoch,
            baseSequence: config.enableIdempotence ? partition.nextSequence : -1, capacity: capacity)
        nextBatchID &+= 1
        incomplete.insert(batch.id)
        partition.open = batch
        statistics.batches += 1
        if senderWakeup != nil, timerDeadline.map({ batch.lingerDeadline < $0 }) ?? true { wakeSender() }
        return batch
    }

    /// Closes a partition's open batch: it takes no more records and waits to be sent.
    func closeBatch(_ batch: ProducerBatch) {
        guard !batch.isClosed else { return }
        batch.isClosed = true
        batch.uncompressedBytes = batch.builder?.sizeInBytes ?? 0
        let partition = batch.partition
        if partition.open === batch { partition.open = nil }
        if config.enableIdempotence {
            partition.nextSequence = Self.incrementSequence(batch.baseSequence, by: batch.recordCount)
        }
        partition.enqueue(batch)
        if config.compression.type != .none { toEncode.append(batch) }
        wakeSender()
    }

    /// Kafka's sequence arithmetic: sequences wrap from `Int32.max` to 0.
    static func incrementSequence(_ sequence: Int32, by increment: Int32) -> Int32 {
        if sequence > Int32.max - increment { return increment - (Int32.max - sequence) - 1 }
        return sequence + increment
    }

    /// Milliseconds since the Unix epoch, from the system's real-time clock.
    static func wallClockMilliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
    }
}
