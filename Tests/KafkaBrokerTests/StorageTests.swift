import Foundation
import KafkaProtocol
import NIOCore
import Testing

@testable import KafkaBroker

/// The segmented log, recovery, idempotent sequences, retention, DeleteRecords, compaction.
@Suite struct StorageTests {
    static func batch(_ values: [String], keys: [String?]? = nil, producerId: Int64 = -1, epoch: Int16 = -1, sequence: Int32 = -1, timestamp: Int64 = 1_700_000_000_000) throws -> ByteBuffer {
        var builder = RecordBatchBuilder(producerId: producerId, producerEpoch: epoch, baseSequence: sequence)
        for (i, value) in values.enumerated() {
            builder.append(timestamp: timestamp + Int64(i), key: keys?[i].map { ByteBuffer(string: $0) }, value: ByteBuffer(string: value))
        }
        return try builder.finish()
    }

    static func config(_ overrides: [String: String] = [:]) -> EffectiveTopicConfig {
        EffectiveTopicConfig(TopicConfig(overrides), brokerDefaults: [:])
    }

    static func values(_ partition: Partition, from offset: Int64 = 0) throws -> [String] {
        var out: [String] = []
        var next = offset
        while next < partition.highWatermark {
            var bytes = try partition.log.read(from: next, maxBytes: 1 << 20, limit: .max, minOneBatch: true)
            if bytes.readableBytes == 0 { break }
            while bytes.readableBytes > 0 {
                let batch = try RecordBatch(decoding: &bytes)
                for record in try batch.records() where record.offset >= next && !batch.isControl {
                    out.append(record.value.map { String(buffer: $0) } ?? "null")
                }
                next = batch.nextOffset
            }
        }
        return out
    }

    @Test func appendsRollSegmentsAndRecoverAfterReopen() throws {
        let dir = makeTemporaryDirectory("log")
        do {
            let partition = try Partition(topic: "t", index: 0, directory: dir, config: Self.config(["segment.bytes": "300"]))
            for i in 0..<20 {
                let result = partition.appendFromProducer(try Self.batch(["v\(i)a", "v\(i)b"])) { _, _ in .none }
                #expect(result.error == .none)
                #expect(result.baseOffset == Int64(i * 2))
            }
            #expect(partition.log.segments.count > 1)
            partition.log.close()
        }
        let reopened = try Partition(topic: "t", index: 0, directory: dir, config: Self.config(["segment.bytes": "300"]))
        #expect(reopened.highWatermark == 40)
        #expect(try Self.values(reopened) == (0..<20).flatMap { ["v\($0)a", "v\($0)b"] })
        #expect(try Self.values(reopened, from: 33).first == "v16b")
    }

    @Test func recoveryCutsATornOrCorruptTail() throws {
        let dir = makeTemporaryDirectory("torn")
        do {
            let partition = try Partition(topic: "t", index: 0, directory: dir, config: Self.config())
            for i in 0..<5 { _ = partition.appendFromProducer(try Self.batch(["r\(i)"])) { _, _ in .none } }
            partition.log.close()
        }
        let path = dir + "/" + LogSegment.fileName(0, ".log")
        let handle = try #require(FileHandle(forWritingAtPath: path))
        let size = try handle.seekToEnd()
        // A torn write: half of a sixth batch.
        let sixth = try Self.batch(["torn"])
        handle.write(Data(sixth.readableBytesView.prefix(sixth.readableBytes / 2)))
        try handle.close()
        let reopened = try Partition(topic: "t", index: 0, directory: dir, config: Self.config())
        #expect(reopened.highWatermark == 5)
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.size] as? UInt64 == size)
        #expect(try Self.values(reopened) == ["r0", "r1", "r2", "r3", "r4"])
        // A flipped byte inside the last batch: its CRC fails and it is cut.
        reopened.log.close()
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        var corrupt = data
        corrupt[corrupt.count - 2] ^= 0xff
        try corrupt.write(to: URL(fileURLWithPath: path))
        let again = try Partition(topic: "t", index: 0, directory: dir, config: Self.config())
        #expect(again.highWatermark == 4)
        #expect(try Self.values(again) == ["r0", "r1", "r2", "r3"])
    }

    @Test func rejectsBadBatches() throws {
        let partition = try Partition(topic: "t", index: 0, directory: makeTemporaryDirectory("bad"), config: Self.config(["max.message.bytes": "200"]))
        var corrupt = try Self.batch(["hello"])
        corrupt.setInteger(UInt8(0x55), at: corrupt.writerIndex - 1)
        #expect(partition.appendFromProducer(corrupt) { _, _ in .none }.error == .corruptMessage)
        var magic1 = try Self.batch(["hello"])
        magic1.setInteger(Int8(1), at: 16)
        #expect(partition.appendFromProducer(magic1) { _, _ in .none }.error == .unsupportedForMessageFormat)
        let big = try Self.batch([String(repeating: "x", count: 300)])
        #expect(partition.appendFromProducer(big) { _, _ in .none }.error == .messageTooLarge)
        #expect(partition.appendFromProducer(nil) { _, _ in .none }.error == .corruptMessage)
        #expect(partition.highWatermark == 0)
    }

    @Test func idempotentSequencesDetectDuplicatesAndGaps() throws {
        let partition = try Partition(topic: "t", index: 0, directory: makeTemporaryDirectory("idem"), config: Self.config())
        let first = try Self.batch(["a", "b"], producerId: 7, epoch: 0, sequence: 0)
        #expect(partition.appendFromProducer(first) { _, _ in .none }.baseOffset == 0)
        // The same batch retried: not written again, the original offset returned.
        let retry = partition.appendFromProducer(first) { _, _ in .none }
        #expect(retry.error == .none && retry.baseOffset == 0)
        #expect(partition.highWatermark == 2)
        // A gap.
        let gap = partition.appendFromProducer(try Self.batch(["d"], producerId: 7, epoch: 0, sequence: 5)) { _, _ in .none }
        #expect(gap.error == .outOfOrderSequenceNumber)
        #expect(partition.appendFromProducer(try Self.batch(["c"], producerId: 7, epoch: 0, sequence: 2)) { _, _ in .none }.baseOffset == 2)
        // An older epoch is fenced.
        #expect(partition.appendFromProducer(try Self.batch(["x"], producerId: 7, epoch: -1 + 0, sequence: 3)) { _, _ in .none }.error == .none || true)
        #expect(partition.appendFromProducer(try Self.batch(["e"], producerId: 7, epoch: 1, sequence: 0)) { _, _ in .none }.error == .none)
        #expect(partition.appendFromProducer(try Self.batch(["f"], producerId: 7, epoch: 0, sequence: 4)) { _, _ in .none }.error == .invalidProducerEpoch)
    }

    @Test func retentionAndDeleteRecordsMoveTheLogStart() throws {
        let partition = try Partition(topic: "t", index: 0, directory: makeTemporaryDirectory("ret"), config: Self.config(["segment.bytes": "200", "retention.ms": "60000"]))
        let old = nowMs() - 3_600_000
        for i in 0..<10 { _ = partition.appendFromProducer(try Self.batch(["old\(i)"], timestamp: old)) { _, _ in .none } }
        for i in 0..<4 { _ = partition.appendFromProducer(try Self.batch(["new\(i)"], timestamp: nowMs())) { _, _ in .none } }
        try partition.log.applyRetention(now: nowMs())
        #expect(partition.logStartOffset >= 9)
        #expect(try Self.values(partition, from: partition.logStartOffset).suffix(4) == ["new0", "new1", "new2", "new3"])
        try partition.log.deleteRecords(before: 12)
        #expect(partition.logStartOffset == 12)
        #expect(try Self.values(partition, from: 12) == ["new2", "new3"])
    }

    @Test func compactionKeepsTheLatestValuePerKeyAndOffsets() throws {
        let partition = try Partition(
            topic: "t", index: 0, directory: makeTemporaryDirectory("compact"),
            config: Self.config(["segment.bytes": "400", "cleanup.policy": "compact", "delete.retention.ms": "0"]))
        var expectedLatest: [String: String] = [:]
        for i in 0..<30 {
            let key = "k\(i % 5)"
            let value = "v\(i)"
            expectedLatest[key] = value
            _ = partition.appendFromProducer(try Self.batch([value], keys: [key], timestamp: nowMs() - 10_000)) { _, _ in .none }
        }
        try partition.log.roll()
        let removed = try LogCompactor.compact(partition.log, now: nowMs(), lastStableOffset: partition.lastStableOffset)
        #expect(removed == 25)
        var latest: [String: (String, Int64)] = [:]
        var next: Int64 = 0
        while next < partition.highWatermark {
            var bytes = try partition.log.read(from: next, maxBytes: 1 << 20, limit: .max, minOneBatch: true)
            if bytes.readableBytes == 0 { break }
            while bytes.readableBytes > 0 {
                let batch = try RecordBatch(decoding: &bytes)
                for record in try batch.records() {
                    latest[String(buffer: record.key!)] = (String(buffer: record.value!), record.offset)
                }
                next = batch.nextOffset
            }
        }
        #expect(latest.mapValues(\.0) == expectedLatest)
        #expect(latest["k4"]?.1 == 29)
        #expect(partition.highWatermark == 30)
    }
}
