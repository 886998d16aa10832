import KafkaProtocol
import NIOCore
import Testing

@testable import KafkaClient

/// The consumer's decoding of a fetched record set, on record sets built here: positions
/// inside a batch, compacted gaps, read_committed filtering with the aborted-transaction
/// list and control batches, `max.poll.records` across calls.
@Suite struct CompletedFetchTests {
    /// Offsets 0-1, a compacted gap, 5-6, an aborted transaction of producer 7 (7-8) and its
    /// ABORT marker (9), a committed transaction of producer 8 (10) and its COMMIT marker (11).
    func recordSet() throws -> ByteBuffer {
        var all = ByteBuffer()
        func batch(base: Int64, values: [String], producer: Int64 = -1, transactional: Bool = false) throws {
            var builder = RecordBatchBuilder(
                baseOffset: base, producerId: producer, producerEpoch: producer >= 0 ? 0 : -1,
                baseSequence: producer >= 0 ? 0 : -1, isTransactional: transactional)
            for value in values { builder.append(timestamp: 1, key: nil, value: ByteBuffer(string: value)) }
            var bytes = try builder.finish()
            all.writeBuffer(&bytes)
        }
        try batch(base: 0, values: ["a0", "a1"])
        try batch(base: 5, values: ["b5", "b6"])
        try batch(base: 7, values: ["x7", "x8"], producer: 7, transactional: true)
        var abort = try RecordBatchBuilder.controlBatch(
            EndTransactionMarker(type: .abort, coordinatorEpoch: 0), producerId: 7, producerEpoch: 0, baseOffset: 9, timestamp: 1)
        all.writeBuffer(&abort)
        try batch(base: 10, values: ["c10"], producer: 8, transactional: true)
        var commit = try RecordBatchBuilder.controlBatch(
            EndTransactionMarker(type: .commit, coordinatorEpoch: 0), producerId: 8, producerEpoch: 0, baseOffset: 11,
            timestamp: 1)
        all.writeBuffer(&commit)
        return all
    }

    func read(from position: Int64, readCommitted: Bool, chunk: Int) throws -> (values: [String], offsets: [Int64], next: Int64) {
        var fetch = CompletedFetch(
            partition: TopicPartition("t", 0), fetchOffset: position, records: try recordSet(), verifyChecksums: true,
            readCommitted: readCommitted, aborted: [FetchResponse.AbortedTransaction(producerId: 7, firstOffset: 7)])
        var records: [ConsumerRecord] = []
        while !fetch.isDrained {
            var taken: [ConsumerRecord] = []
            try fetch.take(chunk, into: &taken)
            #expect(taken.count <= chunk)
            records += taken
        }
        return (records.map { String(buffer: $0.value!) }, records.map(\.offset), fetch.nextOffset)
    }

    @Test func readCommittedSkipsTheAbortedTransactionAndTheMarkers() throws {
        let result = try read(from: 1, readCommitted: true, chunk: 2)
        #expect(result.values == ["a1", "b5", "b6", "c10"])
        #expect(result.offsets == [1, 5, 6, 10])
        #expect(result.next == 12)  // past the COMMIT marker
    }

    @Test func readUncommittedReturnsEverythingButTheMarkers() throws {
        let result = try read(from: 0, readCommitted: false, chunk: 500)
        #expect(result.values == ["a0", "a1", "b5", "b6", "x7", "x8", "c10"])
        #expect(result.next == 12)
    }

    @Test func aPositionPastSomeBatchesSkipsThem() throws {
        let result = try read(from: 6, readCommitted: true, chunk: 1)
        #expect(result.offsets == [6, 10])
    }

    @Test func aCorruptBatchNamesItsPartitionAndOffset() throws {
        var bytes = try recordSet()
        // Flip a byte inside the second batch's records (after its 61-byte header).
        let second = bytes.readerIndex + Int(bytes.getInteger(at: bytes.readerIndex + 8, as: Int32.self)!) + 12
        bytes.setInteger(bytes.getInteger(at: second + 62, as: UInt8.self)! ^ 0xFF, at: second + 62)
        var fetch = CompletedFetch(
            partition: TopicPartition("t", 3), fetchOffset: 0, records: bytes, verifyChecksums: true, readCommitted: false,
            aborted: nil)
        var records: [ConsumerRecord] = []
        let error = #expect(throws: KafkaClientError.self) { try fetch.take(10, into: &records) }
        #expect(records.map(\.offset) == [0, 1])
        #expect(error?.code == .corruptRecord && error?.topicPartition == TopicPartition("t", 3) && error?.offset == 2)
    }
}
