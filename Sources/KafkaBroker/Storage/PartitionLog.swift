import Foundation
import KafkaProtocol
import NIOCore

/// The segmented, file-backed log of one partition: a directory of ``LogSegment``s,
/// the log start offset, appends with offset assignment, reads by offset, segment rolling,
/// the flush policy, retention and DeleteRecords.
///
/// Not thread-safe: owned by a ``Partition``, used from the broker's actor.
final class PartitionLog {
    let directory: String
    var config: EffectiveTopicConfig
    private(set) var segments: [LogSegment] = []
    private(set) var logStartOffset: Int64 = 0
    private var unflushedMessages: Int64 = 0
    private var lastFlushMs: Int64 = nowMs()

    /// The offset the next batch gets (the log end offset).
    var logEndOffset: Int64 { segments.last?.nextOffset ?? logStartOffset }
    /// Bytes stored over all segments.
    var sizeInBytes: Int { segments.reduce(0) { $0 + $1.size } }

    private var startOffsetPath: String { directory + "/log-start-offset" }

    /// Opens the log in `directory` (creating it), recovering every segment: headers are
    /// scanned to rebuild the indexes, and the last segment is validated batch by batch with
    /// its CRC and cut at the first bad batch. `visit` sees every surviving batch in order.
    init(directory: String, config: EffectiveTopicConfig, visit: (BatchHeader, LogSegment, Int) throws -> Void) throws {
        self.directory = directory
        self.config = config
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let bases = names.compactMap { name -> Int64? in
            guard name.hasSuffix(".log") else { return nil }
            return Int64(name.dropLast(4))
        }.sorted()
        for (i, base) in bases.enumerated() {
            let segment = try LogSegment(directory: directory, baseOffset: base, indexInterval: config.indexIntervalBytes)
            let isLast = i == bases.count - 1
            try segment.recover(validate: isLast) { header, position in try visit(header, segment, position) }
            if !isLast && segment.isEmpty {
                segment.delete()
                continue
            }
            segments.append(segment)
        }
        if segments.isEmpty {
            segments.append(try LogSegment(directory: directory, baseOffset: 0, indexInterval: config.indexIntervalBytes))
        }
        logStartOffset = segments[0].baseOffset
        if let text = try? String(contentsOfFile: startOffsetPath, encoding: .utf8),
            let stored = Int64(text.trimmingCharacters(in: .whitespacesAndNewlines))
        {
            logStartOffset = min(max(logStartOffset, stored), logEndOffset)
        }
    }

    /// Appends one batch, writing `offset` as its base offset and the leader epoch 0, and
    /// returns its header as stored. Rolls a new segment first when the active one is full
    /// or old; applies the flush policy after.
    @discardableResult
    func append(_ batch: ByteBuffer, header: BatchHeader) throws -> BatchHeader {
        var batch = batch
        var header = header
        let offset = logEndOffset
        batch.setInteger(offset, at: batch.readerIndex)
        batch.setInteger(Int32(0), at: batch.readerIndex + 12)
        header.baseOffset = offset
        header.partitionLeaderEpoch = 0
        try rollIfNeeded(incoming: header.size)
        try segments[segments.count - 1].append(batch, header: header)
        unflushedMessages += Int64(header.recordCount)
        let now = nowMs()
        if unflushedMessages >= config.flushMessages || (config.flushMs < Int64.max && now - lastFlushMs >= config.flushMs) {
            try flush()
        }
        return header
    }

    private func rollIfNeeded(incoming: Int) throws {
        let active = segments[segments.count - 1]
        guard !active.isEmpty else { return }
        let full = active.size + incoming > config.segmentBytes
        let old = config.segmentMs < Int64.max && nowMs() - active.createdAtMs >= config.segmentMs
        guard full || old else { return }
        try roll()
    }

    /// Closes the active segment and starts a new one at the log end offset.
    func roll() throws {
        let active = segments[segments.count - 1]
        guard !active.isEmpty else { return }
        try active.file.sync()
        active.writeIndexFiles()
        segments.append(try LogSegment(directory: directory, baseOffset: logEndOffset, indexInterval: config.indexIntervalBytes))
    }

    /// Forces the active segment to disk.
    func flush() throws {
        try segments.last?.file.sync()
        unflushedMessages = 0
        lastFlushMs = nowMs()
    }

    /// Flushes when `flush.ms` has passed since the last flush (called periodically).
    func flushIfDue(now: Int64) throws {
        if unflushedMessages > 0, config.flushMs < Int64.max, now - lastFlushMs >= config.flushMs { try flush() }
    }

    /// Reads whole batches starting with the one that holds `offset`: at most `maxBytes`
    /// (but always the first batch whole when `minOneBatch`), and only batches below `limit`.
    func read(from offset: Int64, maxBytes: Int, limit: Int64, minOneBatch: Bool) throws -> ByteBuffer {
        guard offset < limit, offset >= logStartOffset else { return ByteBuffer() }
        guard var index = segmentIndex(for: offset) else { return ByteBuffer() }
        var position: Int?
        while index < segments.count {
            position = try segments[index].position(for: offset)
            if position != nil { break }
            index += 1
        }
        guard let start = position else { return ByteBuffer() }
        let segment = segments[index]
        guard let first = try segment.header(at: start), first.baseOffset < limit else { return ByteBuffer() }
        let want = max(minOneBatch ? first.size : 0, maxBytes)
        var bytes = try segment.read(at: start, length: want)
        // Keep whole batches below the limit.
        var end = bytes.readerIndex
        while let header = BatchHeader(bytes, at: end), header.baseOffset < limit, end + header.size <= bytes.writerIndex {
            end += header.size
        }
        bytes.moveWriterIndex(to: end)
        return bytes
    }

    /// The index of the segment that may hold `offset`.
    private func segmentIndex(for offset: Int64) -> Int? {
        var low = 0
        var high = segments.count - 1
        var found: Int?
        while low <= high {
            let mid = (low + high) / 2
            if segments[mid].baseOffset <= offset {
                found = mid
                low = mid + 1
            } else {
                high = mid - 1
            }
        }
        return found ?? (segments.isEmpty ? nil : 0)
    }

    /// The offset of the first batch with a timestamp at or after `timestamp`, with that
    /// batch's max timestamp; `nil` when none.
    func offset(forTimestamp timestamp: Int64) throws -> (offset: Int64, timestamp: Int64)? {
        for segment in segments where segment.maxTimestamp >= timestamp {
            if let (_, header) = try segment.firstBatch(atOrAfterTimestamp: timestamp) {
                return (max(header.baseOffset, logStartOffset), header.maxTimestamp)
            }
        }
        return nil
    }

    /// The largest timestamp in the log and the base offset of the batch that has it.
    func maxTimestampAndOffset() throws -> (offset: Int64, timestamp: Int64)? {
        var best: (Int64, Int64)?
        for segment in segments where segment.maxTimestamp >= 0 {
            if best == nil || segment.maxTimestamp > best!.1 {
                if let (_, header) = try segment.firstBatch(atOrAfterTimestamp: segment.maxTimestamp) {
                    best = (header.baseOffset, header.maxTimestamp)
                }
            }
        }
        return best.map { (offset: $0.0, timestamp: $0.1) }
    }

    /// Moves the log start offset to `offset` (DeleteRecords) and removes segments wholly below it.
    func deleteRecords(before offset: Int64) throws {
        guard offset > logStartOffset else { return }
        logStartOffset = min(offset, logEndOffset)
        try "\(logStartOffset)".write(toFile: startOffsetPath, atomically: true, encoding: .utf8)
        removeSegmentsBelowStart()
    }

    private func removeSegmentsBelowStart() {
        while segments.count > 1, segments[1].baseOffset <= logStartOffset {
            segments.removeFirst().delete()
        }
    }

    /// Deletes old closed segments by `retention.ms` and `retention.bytes` (when the
    /// cleanup policy includes `delete`). Returns the number of segments removed.
    @discardableResult
    func applyRetention(now: Int64) throws -> Int {
        guard config.delete else { return 0 }
        var removed = 0
        var total = sizeInBytes
        while segments.count > 1 {
            let oldest = segments[0]
            let expired = config.retentionMs >= 0 && oldest.maxTimestamp >= 0 && now - oldest.maxTimestamp > config.retentionMs
            let tooBig = config.retentionBytes >= 0 && total - oldest.size >= config.retentionBytes
            guard expired || tooBig else { break }
            total -= oldest.size
            segments.removeFirst()
            oldest.delete()
            removed += 1
        }
        if removed > 0, segments[0].baseOffset > logStartOffset {
            logStartOffset = segments[0].baseOffset
            try? "\(logStartOffset)".write(toFile: startOffsetPath, atomically: true, encoding: .utf8)
        }
        return removed
    }

    /// Replaces the closed segments `0..<count` by `replacement` (compaction). The new
    /// segments' files have already replaced the old ones on disk (by rename), so the old
    /// segments are only closed.
    func replaceClosedSegments(count: Int, with replacement: [LogSegment]) {
        let old = segments[0..<count]
        segments.replaceSubrange(0..<count, with: replacement)
        for segment in old where !replacement.contains(where: { $0 === segment }) { segment.file.closeFile() }
    }

    /// Syncs the active segment and writes its index files.
    func close() {
        try? segments.last?.file.sync()
        segments.last?.writeIndexFiles()
        for segment in segments { segment.file.closeFile() }
    }

    /// Removes the whole directory.
    func deleteAll() {
        for segment in segments { segment.file.closeFile() }
        try? FileManager.default.removeItem(atPath: directory)
    }
}
