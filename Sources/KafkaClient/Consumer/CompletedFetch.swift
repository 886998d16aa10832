import KafkaProtocol
import NIOCore

/// One partition's records from a Fetch response, not yet returned by `poll`: decoded a
/// batch at a time as `poll` takes records, so a response larger than `max.poll.records`
/// is served over several polls without copying.
///
/// With `read_committed` it skips the batches of aborted transactions the way Kafka's
/// clients do: the response lists the aborted transactions (producer id, first offset);
/// a transactional batch of a producer whose aborted transaction started at or before the
/// batch is skipped, until that producer's ABORT marker (a control batch) is reached.
/// Control batches are never returned. Batches and records before the fetch position
/// (the start of a compressed batch, compacted gaps) are skipped.
struct CompletedFetch {
    let partition: TopicPartition
    let fetchOffset: Int64
    private var reader: RecordSetReader
    private var iterator: RecordIterator?
    private var batchNextOffset: Int64 = 0
    private var batchLeaderEpoch: Int32 = -1
    private let readCommitted: Bool
    private var aborted: [FetchResponse.AbortedTransaction]
    private var abortedIndex = 0
    private var abortedProducers: Set<Int64> = []
    /// The offset after the last record or batch taken; where the next fetch starts.
    private(set) var nextOffset: Int64
    /// Whether everything was read.
    private(set) var isDrained = false

    init(
        partition: TopicPartition, fetchOffset: Int64, records: ByteBuffer, verifyChecksums: Bool, readCommitted: Bool,
        aborted: [FetchResponse.AbortedTransaction]?
    ) {
        self.partition = partition
        self.fetchOffset = fetchOffset
        self.nextOffset = fetchOffset
        self.reader = RecordSetReader(records, verifyChecksums: verifyChecksums)
        self.readCommitted = readCommitted
        self.aborted = (aborted ?? []).sorted { $0.firstOffset < $1.firstOffset }
    }

    /// Appends up to `limit` records to `output`.
    /// - Throws: ``KafkaClientError`` `corruptRecord` naming the partition and the position
    ///   at which a batch failed its CRC check or could not be decoded; ``nextOffset``
    ///   stays there.
    mutating func take(_ limit: Int, into output: inout [ConsumerRecord]) throws {
        var taken = 0
        let topic = partition.topic
        let id = partition.partition
        while taken < limit {
            if iterator != nil {
                let record: BatchRecord?
                do {
                    record = try iterator!.next()
                } catch {
                    iterator = nil
                    throw corruption(error)
                }
                if let record {
                    guard record.offset >= nextOffset else { continue }
                    output.append(
                        ConsumerRecord(
                            topic: topic, partition: id, offset: record.offset, timestamp: record.timestamp,
                            timestampType: record.timestampType, key: record.key, value: record.value,
                            headers: record.headers, leaderEpoch: batchLeaderEpoch))
                    nextOffset = record.offset + 1
                    taken += 1
                    continue
                }
                iterator = nil
                nextOffset = max(nextOffset, batchNextOffset)
                continue
            }
            let entry: RecordSetEntry?
            do {
                entry = try reader.next()
            } catch {
                throw corruption(error)
            }
            guard let entry else {
                isDrained = true
                return
            }
            if entry.nextOffset <= nextOffset { continue }
            if case .batch(let batch) = entry {
                if readCommitted && batch.producerId >= 0 {
                    while abortedIndex < aborted.count && aborted[abortedIndex].firstOffset <= batch.lastOffset {
                        abortedProducers.insert(aborted[abortedIndex].producerId)
                        abortedIndex += 1
                    }
                    if batch.isControl {
                        if Self.isAbortMarker(batch) { abortedProducers.remove(batch.producerId) }
                    } else if batch.isTransactional && abortedProducers.contains(batch.producerId) {
                        nextOffset = batch.nextOffset
                        continue
                    }
                }
                if batch.isControl {
                    nextOffset = batch.nextOffset
                    continue
                }
                batchLeaderEpoch = batch.partitionLeaderEpoch
            } else {
                batchLeaderEpoch = -1
            }
            do {
                iterator = try entry.makeRecordIterator()
            } catch {
                throw corruption(error)
            }
            batchNextOffset = entry.nextOffset
        }
    }

    private static func isAbortMarker(_ batch: RecordBatch) -> Bool {
        guard var records = try? batch.makeRecordIterator(), let first = try? records.next(), let key = first.key,
            let type = try? ControlRecordType(key: key)
        else { return false }
        return type == .abort
    }

    private func corruption(_ error: any Error) -> KafkaClientError {
        var failure = KafkaClientError(
            .corruptRecord,
            "fetched data of \(partition) at offset \(nextOffset) is corrupt: \(error). Seek past it to skip it (or set check.crcs=false to not verify CRCs)",
            cause: error)
        failure.topicPartition = partition
        failure.offset = nextOffset
        return failure
    }
}
