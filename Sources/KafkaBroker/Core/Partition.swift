import KafkaProtocol
import NIOCore

/// One partition of a topic on this broker: its ``PartitionLog`` plus the state derived
/// from it: idempotent-producer sequences, open transactions, aborted transactions and the
/// last stable offset. Rebuilt from the log on start.
///
/// Not thread-safe: owned by the broker's actor.
final class Partition {
    /// An idempotent producer's state in this partition.
    struct ProducerEntry {
        var epoch: Int16
        /// The last batches appended (up to 5, Kafka's in-flight limit): sequences and offset.
        var recent: [(firstSequence: Int32, lastSequence: Int32, baseOffset: Int64)] = []
        var lastSequence: Int32 { recent.last?.lastSequence ?? -1 }
    }

    /// A transaction that ended with an abort marker: its producer and offset range.
    struct AbortedTransaction {
        var producerId: Int64
        var firstOffset: Int64
        var lastOffset: Int64
    }

    /// What a produce to this partition returned.
    struct AppendResult {
        var error: KafkaErrorCode = .none
        var message: String?
        var baseOffset: Int64 = -1
        var logAppendTime: Int64 = -1
    }

    let topic: String
    let index: Int32
    let log: PartitionLog
    private(set) var producers: [Int64: ProducerEntry] = [:]
    /// Open transactions: producer id → first offset.
    private(set) var ongoingTransactions: [Int64: Int64] = [:]
    private(set) var abortedTransactions: [AbortedTransaction] = []

    init(topic: String, index: Int32, directory: String, config: EffectiveTopicConfig) throws {
        self.topic = topic
        self.index = index
        var producers: [Int64: ProducerEntry] = [:]
        var ongoing: [Int64: Int64] = [:]
        var aborted: [AbortedTransaction] = []
        log = try PartitionLog(directory: directory, config: config) { header, segment, position in
            guard header.producerId >= 0 else { return }
            if header.isControl {
                var bytes = try segment.read(at: position, length: header.size)
                let batch = try RecordBatch(decoding: &bytes, verifyChecksum: false)
                if let record = try batch.records().first, let marker = try? EndTransactionMarker(record: record),
                    marker.type == .abort, let first = ongoing[header.producerId]
                {
                    aborted.append(AbortedTransaction(producerId: header.producerId, firstOffset: first, lastOffset: header.baseOffset))
                }
                ongoing[header.producerId] = nil
                var entry = producers[header.producerId] ?? ProducerEntry(epoch: header.producerEpoch)
                entry.epoch = max(entry.epoch, header.producerEpoch)
                producers[header.producerId] = entry
                return
            }
            if header.isTransactional, ongoing[header.producerId] == nil { ongoing[header.producerId] = header.baseOffset }
            var entry = producers[header.producerId] ?? ProducerEntry(epoch: header.producerEpoch)
            if header.producerEpoch != entry.epoch {
                entry = ProducerEntry(epoch: header.producerEpoch)
            }
            if header.baseSequence >= 0 {
                entry.recent.append((header.baseSequence, header.lastSequence, header.baseOffset))
                if entry.recent.count > 5 { entry.recent.removeFirst() }
            }
            producers[header.producerId] = entry
        }
        self.producers = producers
        self.ongoingTransactions = ongoing
        self.abortedTransactions = aborted
    }

    /// The high watermark: with one replica, the log end offset.
    var highWatermark: Int64 { log.logEndOffset }
    /// The last stable offset: the first offset of the oldest open transaction, else the high watermark.
    var lastStableOffset: Int64 { ongoingTransactions.values.min() ?? highWatermark }
    var logStartOffset: Int64 { log.logStartOffset }

    /// Validates and appends the batches of a Produce request's partition data.
    ///
    /// - Parameter transactionCheck: for a transactional batch, whether its producer id and
    ///   epoch have this partition in an open transaction.
    func appendFromProducer(_ records: ByteBuffer?, transactionCheck: (Int64, Int16) -> KafkaErrorCode) -> AppendResult {
        guard var records, records.readableBytes > 0 else {
            return AppendResult(error: .corruptMessage, message: "the produce request holds no record batch")
        }
        guard records.readableBytes <= log.config.segmentBytes else {
            return AppendResult(error: .recordListTooLarge, message: "\(records.readableBytes) bytes exceed segment.bytes")
        }
        var batches: [(ByteBuffer, BatchHeader)] = []
        while records.readableBytes > 0 {
            guard let magic: Int8 = records.getInteger(at: records.readerIndex + 16) else {
                return AppendResult(error: .corruptMessage, message: "truncated record batch")
            }
            guard magic == RecordBatch.magic else {
                return AppendResult(error: .unsupportedForMessageFormat, message: "record batch magic \(magic) is not supported; use magic 2")
            }
            let batch: RecordBatch
            do {
                batch = try RecordBatch(decoding: &records, verifyChecksum: true)
            } catch {
                return AppendResult(error: .corruptMessage, message: "invalid record batch: \(error)")
            }
            guard batch.sizeInBytes <= log.config.maxMessageBytes else {
                return AppendResult(error: .messageTooLarge, message: "record batch of \(batch.sizeInBytes) bytes exceeds max.message.bytes \(log.config.maxMessageBytes)")
            }
            guard !batch.isControl else {
                return AppendResult(error: .invalidRecord, message: "clients may not write control batches")
            }
            guard batch.recordCount > 0, Int64(batch.lastOffsetDelta) == Int64(batch.recordCount) - 1 else {
                return AppendResult(error: .invalidRecord, message: "record batch has \(batch.recordCount) records but last offset delta \(batch.lastOffsetDelta)")
            }
            do {
                var iterator = try batch.makeRecordIterator()
                var count: Int32 = 0
                while try iterator.next() != nil { count += 1 }
                guard count == batch.recordCount else {
                    return AppendResult(error: .invalidRecord, message: "record batch declares \(batch.recordCount) records but holds \(count)")
                }
            } catch {
                return AppendResult(error: .corruptMessage, message: "records do not decode: \(error)")
            }
            let slice = batch.bytes
            batches.append((slice, BatchHeader(slice, at: slice.readerIndex)!))
        }
        // Idempotence and transactions, checked before anything is written.
        var duplicateOffset: Int64?
        for (_, header) in batches where header.producerId >= 0 {
            if header.isTransactional {
                let error = transactionCheck(header.producerId, header.producerEpoch)
                if error != .none { return AppendResult(error: error, message: "transactional batch outside a transaction") }
            }
            guard let entry = producers[header.producerId] else { continue }
            if header.producerEpoch < entry.epoch {
                return AppendResult(error: .invalidProducerEpoch, message: "producer epoch \(header.producerEpoch) is older than \(entry.epoch)")
            }
            guard header.baseSequence >= 0 else { continue }
            if header.producerEpoch > entry.epoch {
                if header.baseSequence != 0 && !entry.recent.isEmpty {
                    return AppendResult(error: .outOfOrderSequenceNumber, message: "a new producer epoch must start at sequence 0, got \(header.baseSequence)")
                }
                continue
            }
            if let cached = entry.recent.first(where: { $0.firstSequence == header.baseSequence && $0.lastSequence == header.lastSequence }) {
                duplicateOffset = cached.baseOffset
                continue
            }
            let expected = entry.lastSequence == Int32.max ? 0 : entry.lastSequence + 1
            if entry.lastSequence >= 0, header.baseSequence != expected {
                if header.baseSequence < expected && header.baseSequence >= (entry.recent.first?.firstSequence ?? 0) {
                    return AppendResult(error: .duplicateSequenceNumber, message: "sequence \(header.baseSequence) was already written")
                }
                return AppendResult(error: .outOfOrderSequenceNumber, message: "expected sequence \(expected), got \(header.baseSequence)")
            }
        }
        if let duplicateOffset, batches.count == 1 {
            return AppendResult(baseOffset: duplicateOffset)
        }
        var result = AppendResult()
        let appendTime = nowMs()
        do {
            for (bytes, header) in batches {
                var bytes = bytes
                var header = header
                if log.config.logAppendTime {
                    let attributes = header.attributes.rawValue | 0x08
                    bytes.setInteger(attributes, at: bytes.readerIndex + 21)
                    bytes.setInteger(appendTime, at: bytes.readerIndex + 35)
                    let crc = bytes.withUnsafeReadableBytes { raw in
                        CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[RecordBatch.crcCoverageStart...]))
                    }
                    bytes.setInteger(crc, at: bytes.readerIndex + 17)
                    header = BatchHeader(bytes, at: bytes.readerIndex)!
                    result.logAppendTime = appendTime
                }
                let stored = try log.append(bytes, header: header)
                if result.baseOffset < 0 { result.baseOffset = stored.baseOffset }
                noteProducerBatch(stored)
            }
        } catch {
            return AppendResult(error: .kafkaStorageError, message: "\(error)")
        }
        return result
    }

    private func noteProducerBatch(_ header: BatchHeader) {
        guard header.producerId >= 0 else { return }
        var entry = producers[header.producerId] ?? ProducerEntry(epoch: header.producerEpoch)
        if header.producerEpoch != entry.epoch { entry = ProducerEntry(epoch: header.producerEpoch) }
        if header.baseSequence >= 0 {
            entry.recent.append((header.baseSequence, header.lastSequence, header.baseOffset))
            if entry.recent.count > 5 { entry.recent.removeFirst() }
        }
        producers[header.producerId] = entry
        if header.isTransactional, ongoingTransactions[header.producerId] == nil {
            ongoingTransactions[header.producerId] = header.baseOffset
        }
    }

    /// Writes a commit or abort marker for the producer's transaction, closing it here.
    func writeMarker(producerId: Int64, producerEpoch: Int16, commit: Bool, coordinatorEpoch: Int32 = 0) throws {
        let marker = EndTransactionMarker(type: commit ? .commit : .abort, coordinatorEpoch: coordinatorEpoch)
        let bytes = try RecordBatchBuilder.controlBatch(marker, producerId: producerId, producerEpoch: producerEpoch, timestamp: nowMs())
        let stored = try log.append(bytes, header: BatchHeader(bytes, at: bytes.readerIndex)!)
        if !commit, let first = ongoingTransactions[producerId] {
            abortedTransactions.append(AbortedTransaction(producerId: producerId, firstOffset: first, lastOffset: stored.baseOffset))
        }
        ongoingTransactions[producerId] = nil
        var entry = producers[producerId] ?? ProducerEntry(epoch: producerEpoch)
        if producerEpoch > entry.epoch { entry = ProducerEntry(epoch: producerEpoch) }
        producers[producerId] = entry
    }

    /// Aborted transactions that overlap `[from, to)`, for a read_committed fetch.
    func abortedTransactions(from: Int64, to: Int64) -> [AbortedTransaction] {
        abortedTransactions.filter { $0.lastOffset >= from && $0.firstOffset < to }
    }

    /// Drops aborted-transaction entries below the log start offset.
    func pruneAbortedTransactions() {
        let start = log.logStartOffset
        abortedTransactions.removeAll { $0.lastOffset < start }
    }
}
