import KafkaProtocol
import NIOCore

/// One record batch of a partition, from its first record to its acknowledgement.
///
/// Owned by the ``KafkaProducer`` actor (not `Sendable`). Records are encoded once into a
/// `RecordBatchBuilder`; when the batch closes, the builder is finished once (records
/// compressed, CRC written): by a child task of the sender for a compressed batch, so that
/// compression runs beside the actor, or on the actor when the batch is first sent. The
/// finished bytes are kept for retries; only a producer-id reset rewrites their header
/// (``stamp()``).
final class ProducerBatch {
    /// A producer-wide increasing id: batches of one partition are created, sent and
    /// retried in id order.
    let id: UInt64
    /// The partition.
    let partition: ProducerPartition
    /// When the first record was appended.
    let createdAt: ContinuousClock.Instant
    /// When the batch is ready to send even if not full (`createdAt + linger`).
    let lingerDeadline: ContinuousClock.Instant
    /// When the batch fails with a timeout if not acknowledged (`delivery.timeout.ms`).
    let deliveryDeadline: ContinuousClock.Instant

    /// The records while the batch is open, until it is finished.
    @exclusivity(unchecked) var builder: RecordBatchBuilder?
    /// The finished batch.
    var encoded: ByteBuffer?
    /// Whether a child task is finishing (compressing) the batch.
    var encoding = false
    /// The leader when encoding started.
    var encodingNode: Int32 = -1
    /// Whether the batch takes no more records.
    var isClosed = false
    /// The number of records.
    @exclusivity(unchecked) var recordCount: Int32 = 0
    /// The batch's size before compression (set when it closes).
    var uncompressedBytes = 0
    /// Bytes of `buffer.memory` held by the batch.
    @exclusivity(unchecked) var reservedBytes = 0

    /// The producer id, epoch and base sequence the batch is (or will be) written with.
    var producerId: Int64
    var producerEpoch: Int16
    var baseSequence: Int32
    /// Whether the bytes must be rewritten with the fields above before they are sent.
    var needsStamp = false

    /// How many times the batch was sent.
    var attempts = 0
    /// The error of the last failed attempt.
    var lastError: (any Error)?
    /// The node the batch was last sent to.
    var sentTo: Int32 = -1

    /// Callers of `send` waiting for their record's result, by record index.
    var waiters: [Waiter] = []

    struct Waiter {
        let index: Int32
        let timestamp: Int64
        let continuation: CheckedContinuation<RecordPosition, any Error>
    }

    init(
        id: UInt64, partition: ProducerPartition, now: ContinuousClock.Instant, config: ProducerConfig,
        producerId: Int64, producerEpoch: Int16, baseSequence: Int32, capacity: Int
    ) {
        self.id = id
        self.partition = partition
        self.createdAt = now
        self.lingerDeadline = now + config.linger
        self.deliveryDeadline = now + config.deliveryTimeout
        self.producerId = producerId
        self.producerEpoch = producerEpoch
        self.baseSequence = baseSequence
        self.builder = RecordBatchBuilder(
            compression: config.compression, producerId: producerId, producerEpoch: producerEpoch,
            baseSequence: baseSequence, isTransactional: config.transactionalID != nil, buffer: ByteBuffer(),
            initialCapacity: capacity)
    }

    /// Finishes the builder now (normally the sending request does it).
    /// - Throws: as `RecordBatchBuilder.finish()`.
    func finishNow() throws {
        if encoded == nil, let builder {
            self.builder = nil
            encoded = try builder.finish()
        }
    }

    /// Rewrites producer id, epoch and base sequence of the finished batch and its CRC.
    func stamp() {
        guard var bytes = encoded else { return }
        encoded = nil  // keep the storage uniquely referenced
        let s = bytes.readerIndex
        bytes.setInteger(producerId, at: s + 43)
        bytes.setInteger(producerEpoch, at: s + 51)
        bytes.setInteger(baseSequence, at: s + 53)
        let crc = bytes.withUnsafeReadableBytes { raw in
            CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[RecordBatch.crcCoverageStart...]))
        }
        bytes.setInteger(crc, at: s + 17)
        encoded = bytes
        needsStamp = false
    }
}

/// A partition as the producer sees it: its leader, its batches, its sequence numbers.
final class ProducerPartition {
    let topic: String
    let id: Int32
    /// The leader's node id; -1 when unknown.
    var leader: Int32 = -1
    /// The batch taking records, if any.
    var open: ProducerBatch?
    /// Closed batches waiting to be sent, in id order; retried batches go back to the front.
    var queue: [ProducerBatch] = []
    var queueHead = 0
    /// Batches sent and not yet answered, in id order.
    var inFlight: [ProducerBatch] = []
    /// The sequence number of the next batch (idempotence).
    var nextSequence: Int32 = 0
    /// Set after a retriable failure: nothing new is sent until every batch in flight has
    /// come back, so that batches go out again in order.
    var recovering = false
    /// No batch is sent before this time (retry backoff).
    var backoffUntil: ContinuousClock.Instant?
    /// The offset of the last record the broker acknowledged (-1: none or unknown).
    var lastAcknowledgedOffset: Int64 = -1

    init(topic: String, id: Int32) {
        self.topic = topic
        self.id = id
    }

    /// Whether any batch is queued.
    var hasQueued: Bool { queueHead < queue.count }
    /// The first queued batch.
    var firstQueued: ProducerBatch? { queueHead < queue.count ? queue[queueHead] : nil }

    func enqueue(_ batch: ProducerBatch) { queue.append(batch) }

    func dequeue() -> ProducerBatch {
        let batch = queue[queueHead]
        queueHead += 1
        if queueHead > 64 && queueHead * 2 > queue.count {
            queue.removeFirst(queueHead)
            queueHead = 0
        }
        return batch
    }

    /// Puts a batch back for a retry, before later batches (id order).
    func requeue(_ batch: ProducerBatch) {
        var index = queueHead
        while index < queue.count && queue[index].id < batch.id { index += 1 }
        queue.insert(batch, at: index)
    }

    /// Every batch not yet acknowledged and not in flight, in order (open one last).
    var pendingBatches: [ProducerBatch] {
        var all = Array(queue[queueHead...])
        if let open { all.append(open) }
        return all
    }
}

/// A topic as the producer sees it.
final class ProducerTopic {
    let name: String
    var partitions: [ProducerPartition] = []
    /// The sticky partition of records without a key (-1: none yet).
    var stickyPartition: Int32 = -1
    /// The next partition of the round-robin partitioner.
    var roundRobinNext: Int = 0
    /// Partition ids with a leader.
    var available: [Int32] = []
    /// The estimated compressed/uncompressed size ratio of the topic's batches (Java's
    /// `CompressionRatioEstimator`): starts at 1, follows each finished batch, falling
    /// by at most 0.005 and rising by at least 0.05 per batch.
    var compressionRatio = 1.0

    /// Takes the ratio observed on a finished batch into the estimate.
    func observeCompression(_ observed: Double) {
        if observed > compressionRatio {
            compressionRatio = max(compressionRatio + 0.05, observed)
        } else if observed < compressionRatio {
            compressionRatio = max(compressionRatio - 0.005, observed)
        }
    }

    init(name: String) { self.name = name }

    /// Takes the partitions and leaders of a Metadata answer; partitions are only added.
    func update(from metadata: TopicMetadata) {
        for p in metadata.partitions where p.id >= 0 {
            while partitions.count <= Int(p.id) { partitions.append(ProducerPartition(topic: name, id: Int32(partitions.count))) }
            partitions[Int(p.id)].leader = p.leader
        }
        available = partitions.filter { $0.leader >= 0 }.map(\.id)
    }
}
