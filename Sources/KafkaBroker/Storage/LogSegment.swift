import Foundation
import KafkaProtocol
import NIOCore

/// One segment of a partition log: `<baseOffset>.log` holding record batches back to back
/// exactly as the wire carries them, with a sparse in-memory offset index and time index
/// (written to `<baseOffset>.index` / `.timeindex` when the segment is rolled or closed).
///
/// Not thread-safe: owned by its ``PartitionLog``, used from the broker's actor.
final class LogSegment {
    /// One entry of the sparse offset index: a batch's base offset and its file position.
    struct OffsetEntry { var offset: Int64; var position: Int }
    /// One entry of the sparse time index: the largest timestamp so far and the offset of
    /// the batch that reached it.
    struct TimeEntry { var timestamp: Int64; var offset: Int64 }

    let baseOffset: Int64
    let directory: String
    let file: SegmentFile
    private(set) var size: Int = 0
    /// The offset after the last batch (the base offset when empty).
    private(set) var nextOffset: Int64
    /// The largest batch timestamp in the segment (-1 when empty).
    private(set) var maxTimestamp: Int64 = -1
    /// Wall-clock time of the first append (or the file's modification time when loaded).
    private(set) var createdAtMs: Int64
    private(set) var offsetIndex: [OffsetEntry] = []
    private(set) var timeIndex: [TimeEntry] = []
    private var bytesSinceIndexEntry = Int.max
    let indexInterval: Int

    static func fileName(_ baseOffset: Int64, _ suffix: String) -> String {
        let digits = String(baseOffset)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits + suffix
    }

    var logPath: String { directory + "/" + Self.fileName(baseOffset, ".log") }

    init(directory: String, baseOffset: Int64, indexInterval: Int) throws {
        self.directory = directory
        self.baseOffset = baseOffset
        self.nextOffset = baseOffset
        self.indexInterval = max(1, indexInterval)
        self.file = try SegmentFile(path: directory + "/" + Self.fileName(baseOffset, ".log"))
        self.createdAtMs = nowMs()
    }

    var isEmpty: Bool { size == 0 }

    /// Appends one batch whose header is `header` (base offset already assigned).
    func append(_ batch: ByteBuffer, header: BatchHeader) throws {
        if size == 0 { createdAtMs = nowMs() }
        try file.write(batch, at: size)
        noteBatch(header, at: size)
        size += header.size
    }

    private func noteBatch(_ header: BatchHeader, at position: Int) {
        if bytesSinceIndexEntry >= indexInterval {
            offsetIndex.append(OffsetEntry(offset: header.baseOffset, position: position))
            bytesSinceIndexEntry = 0
        }
        bytesSinceIndexEntry += header.size
        if header.maxTimestamp > maxTimestamp {
            maxTimestamp = header.maxTimestamp
            if timeIndex.last.map({ header.maxTimestamp > $0.timestamp }) ?? true {
                timeIndex.append(TimeEntry(timestamp: header.maxTimestamp, offset: header.baseOffset))
            }
        }
        nextOffset = header.nextOffset
    }

    /// Reads the header of the batch at `position`, or `nil` past the end.
    func header(at position: Int) throws -> BatchHeader? {
        guard position + RecordBatch.headerSize <= size else { return nil }
        let bytes = try file.read(at: position, length: RecordBatch.headerSize)
        return BatchHeader(bytes, at: bytes.readerIndex)
    }

    /// The position of the batch that holds `offset`, or of the first batch after it; `nil`
    /// when every batch of the segment is below `offset`.
    func position(for offset: Int64) throws -> Int? {
        var low = 0
        var high = offsetIndex.count - 1
        var start = 0
        while low <= high {
            let mid = (low + high) / 2
            if offsetIndex[mid].offset <= offset {
                start = offsetIndex[mid].position
                low = mid + 1
            } else {
                high = mid - 1
            }
        }
        var position = start
        while let header = try header(at: position) {
            if header.lastOffset >= offset { return position }
            position += header.size
        }
        return nil
    }

    /// The position of the first batch whose max timestamp is at least `timestamp`, with
    /// that batch's header.
    func firstBatch(atOrAfterTimestamp timestamp: Int64) throws -> (Int, BatchHeader)? {
        guard maxTimestamp >= timestamp else { return nil }
        var startOffset = baseOffset
        for entry in timeIndex.reversed() where entry.timestamp < timestamp {
            startOffset = entry.offset
            break
        }
        guard var position = try position(for: startOffset) else { return nil }
        while let header = try header(at: position) {
            if header.maxTimestamp >= timestamp { return (position, header) }
            position += header.size
        }
        return nil
    }

    /// Reads bytes at `position`, at most `length`, never past the end.
    func read(at position: Int, length: Int) throws -> ByteBuffer {
        try file.read(at: position, length: max(0, min(length, size - position)))
    }

    /// Scans the file batch by batch, rebuilding the indexes; with `validate` each batch's
    /// CRC and format is checked and the file is cut at the first batch that fails (a torn
    /// or corrupt tail). Returns the bytes cut off.
    @discardableResult
    func recover(validate: Bool, expectedBaseOffset: Int64? = nil, visit: (BatchHeader, Int) throws -> Void) throws -> Int {
        let fileSize = try file.size()
        offsetIndex = []
        timeIndex = []
        bytesSinceIndexEntry = Int.max
        maxTimestamp = -1
        nextOffset = baseOffset
        if let attributes = try? FileManager.default.attributesOfItem(atPath: logPath),
            let date = attributes[.modificationDate] as? Date
        {
            createdAtMs = Int64(date.timeIntervalSince1970 * 1000)
        }
        var position = 0
        size = fileSize
        let chunk = 1 << 20
        var buffer = ByteBuffer()
        var bufferStart = 0
        while position < fileSize {
            // Keep at least one header in the buffer.
            if position + RecordBatch.headerSize > bufferStart + buffer.writerIndex || position < bufferStart {
                bufferStart = position
                buffer = try file.read(at: position, length: min(chunk, fileSize - position))
            }
            guard let header = BatchHeader(buffer, at: position - bufferStart), header.magic == RecordBatch.magic,
                position + header.size <= fileSize, header.baseOffset >= nextOffset || position == 0,
                header.lastOffsetDelta >= 0
            else { break }
            if validate {
                var whole: ByteBuffer
                if position + header.size <= bufferStart + buffer.writerIndex {
                    whole = buffer.getSlice(at: position - bufferStart, length: header.size)!
                } else {
                    whole = try file.read(at: position, length: header.size)
                }
                guard (try? RecordBatch(decoding: &whole, verifyChecksum: true)) != nil else { break }
            }
            try visit(header, position)
            noteBatch(header, at: position)
            position += header.size
        }
        let cut = fileSize - position
        if cut > 0 {
            try file.truncate(to: position)
            size = position
        }
        return cut
    }

    /// Writes the sparse indexes next to the log (`.index`: int32 relative offset + int32
    /// position; `.timeindex`: int64 timestamp + int32 relative offset).
    func writeIndexFiles() {
        var index = ByteBuffer()
        for entry in offsetIndex {
            index.writeInteger(Int32(truncatingIfNeeded: entry.offset - baseOffset))
            index.writeInteger(Int32(truncatingIfNeeded: entry.position))
        }
        var time = ByteBuffer()
        for entry in timeIndex {
            time.writeInteger(entry.timestamp)
            time.writeInteger(Int32(truncatingIfNeeded: entry.offset - baseOffset))
        }
        for (suffix, bytes) in [(".index", index), (".timeindex", time)] {
            let path = directory + "/" + Self.fileName(baseOffset, suffix)
            FileManager.default.createFile(atPath: path, contents: Data(bytes.readableBytesView))
        }
    }

    /// Closes and removes the segment's files.
    func delete() {
        file.closeFile()
        for suffix in [".log", ".index", ".timeindex"] {
            try? FileManager.default.removeItem(atPath: directory + "/" + Self.fileName(baseOffset, suffix))
        }
    }
}

/// Milliseconds since the epoch.
func nowMs() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
