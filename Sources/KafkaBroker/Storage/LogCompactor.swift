import Foundation
import KafkaProtocol
import NIOCore

/// Log compaction (`cleanup.policy=compact`): rewrites the closed segments below the last
/// stable offset keeping, per key, only the latest record in the whole log; tombstones
/// (null values) are removed once older than `delete.retention.ms`; records newer than
/// `min.compaction.lag.ms` and transactional or control batches are kept as they are.
/// Offsets never change: a rewritten batch keeps its base offset and last offset delta and
/// its records keep their offsets (gaps appear), recompressed with the batch's codec.
enum LogCompactor {
    /// Compacts `log`; returns the number of records removed.
    @discardableResult
    static func compact(_ log: PartitionLog, now: Int64, lastStableOffset: Int64) throws -> Int {
        let segments = log.segments
        guard segments.count > 1 else { return 0 }
        // 1. The latest offset of every key in the whole log.
        var latest: [ByteBuffer: Int64] = [:]
        for segment in segments {
            try forEachBatch(segment) { batch in
                guard !batch.isControl else { return }
                for record in try batch.records() {
                    if let key = record.key { latest[key] = record.offset }
                }
            }
        }
        // 2. Rewrite the closed segments that lie wholly below the last stable offset.
        let cleanable = segments.dropLast().prefix { $0.nextOffset <= lastStableOffset }
        var removed = 0
        var replacement: [LogSegment] = []
        let tombstoneHorizon = now - log.config.deleteRetentionMs
        let lagHorizon = now - log.config.minCompactionLagMs
        for segment in cleanable {
            var output = ByteBuffer()
            var changed = false
            try forEachBatch(segment) { batch in
                if batch.isControl || batch.isTransactional || batch.maxTimestamp > lagHorizon {
                    output.writeImmutableBuffer(batch.bytes)
                    return
                }
                let records = try batch.records()
                let kept = records.filter { record in
                    guard let key = record.key else { return true }
                    guard latest[key] == record.offset else { return false }
                    return !(record.value == nil && batch.maxTimestamp < tombstoneHorizon)
                }
                if kept.count == records.count {
                    output.writeImmutableBuffer(batch.bytes)
                    return
                }
                changed = true
                removed += records.count - kept.count
                guard !kept.isEmpty else { return }
                var rebuilt = try rebuild(batch, keeping: kept)
                output.writeBuffer(&rebuilt)
            }
            guard changed else {
                replacement.append(segment)
                continue
            }
            let cleanedPath = segment.logPath + ".cleaned"
            FileManager.default.createFile(atPath: cleanedPath, contents: Data(output.readableBytesView))
            guard rename(cleanedPath, segment.logPath) == 0 else { throw StorageError("rename \(cleanedPath) failed") }
            let fresh = try LogSegment(directory: segment.directory, baseOffset: segment.baseOffset, indexInterval: segment.indexInterval)
            try fresh.recover(validate: false) { _, _ in }
            fresh.writeIndexFiles()
            replacement.append(fresh)
        }
        if removed > 0 {
            log.replaceClosedSegments(count: cleanable.count, with: replacement)
        }
        return removed
    }

    private static func forEachBatch(_ segment: LogSegment, _ body: (RecordBatch) throws -> Void) throws {
        var position = 0
        while let header = try segment.header(at: position) {
            var bytes = try segment.read(at: position, length: header.size)
            let batch = try RecordBatch(decoding: &bytes, verifyChecksum: false)
            try body(batch)
            position += header.size
        }
    }

    /// The batch with only `records`, each keeping its offset and timestamp.
    static func rebuild(_ batch: RecordBatch, keeping records: [BatchRecord]) throws -> ByteBuffer {
        var body = ByteBuffer()
        for record in records {
            var one = ByteBuffer()
            one.writeInteger(UInt8(0))
            one.writeVarLong(record.timestamp &- batch.baseTimestamp)
            one.writeVarInt(Int32(truncatingIfNeeded: record.offset - batch.baseOffset))
            for part in [record.key, record.value] {
                if let part {
                    one.writeVarInt(Int32(part.readableBytes))
                    one.writeImmutableBuffer(part)
                } else {
                    one.writeVarInt(-1)
                }
            }
            one.writeVarInt(Int32(record.headers.count))
            one.writeImmutableBuffer(record.headers.encodedBytes)
            body.writeVarInt(Int32(one.readableBytes))
            body.writeBuffer(&one)
        }
        if batch.compression != .none {
            body = try CompressionCodec(batch.compression).compress(body)
        }
        var out = ByteBuffer()
        out.writeImmutableBuffer(batch.bytes.getSlice(at: batch.bytes.readerIndex, length: RecordBatch.headerSize)!)
        out.writeBuffer(&body)
        out.setInteger(Int32(out.readableBytes - RecordBatch.logOverhead), at: 8)
        out.setInteger(Int32(records.count), at: 57)
        let crc = out.withUnsafeReadableBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[RecordBatch.crcCoverageStart...])) }
        out.setInteger(crc, at: 17)
        return out
    }
}
