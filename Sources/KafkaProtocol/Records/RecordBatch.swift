import NIOCore

/// A record batch (message format v2, magic 2): the header fields, and its records read
/// lazily.
///
/// Layout (big-endian), 61 header bytes then the records:
///
/// | offset | field | | offset | field |
/// |---|---|---|---|---|
/// | 0 | baseOffset int64 | | 27 | baseTimestamp int64 |
/// | 8 | batchLength int32 (bytes after this field) | | 35 | maxTimestamp int64 |
/// | 12 | partitionLeaderEpoch int32 | | 43 | producerId int64 |
/// | 16 | magic int8 (2) | | 51 | producerEpoch int16 |
/// | 17 | crc uint32 (CRC-32C of bytes 21...end) | | 53 | baseSequence int32 |
/// | 21 | attributes int16 | | 57 | record count int32 |
/// | 23 | lastOffsetDelta int32 | | 61 | records (compressed as a whole if attributes say so) |
///
/// Decoding a batch reads its header and checks its length and CRC; its records are
/// decoded only when iterated (``makeRecordIterator(maxDecompressedSize:)``), each as
/// slices of the batch, or of the decompressed records for a compressed batch.
///
/// ```swift
/// var reader = RecordSetReader(fetchedRecords)
/// while let entry = try reader.next() {
///     guard case .batch(let batch) = entry, !batch.isControl else { continue }
///     var records = try batch.makeRecordIterator()
///     while let record = try records.next() { handle(record) }
/// }
/// ```
public struct RecordBatch: Sendable {
    /// Bytes before the records: the header including the record count.
    public static let headerSize = 61
    /// Bytes before the `batchLength` field counts: `baseOffset` and `batchLength`.
    public static let logOverhead = 12
    /// Where the CRC-covered bytes start (the `attributes` field).
    public static let crcCoverageStart = 21
    /// The magic byte of this format.
    public static let magic: Int8 = 2

    /// The offset of the first record (records carry deltas from it).
    public var baseOffset: Int64
    /// The batch's size in bytes after this field (total size minus 12).
    public var batchLength: Int32
    /// The leader epoch of the partition when the batch was appended (-1 if unknown).
    public var partitionLeaderEpoch: Int32
    /// The format version: 2.
    public var magic: Int8
    /// The CRC-32C stored in the batch.
    public var crc: UInt32
    /// Codec, timestamp type, transactional, control and delete-horizon flags.
    public var attributes: RecordBatchAttributes
    /// The last record's offset minus ``baseOffset`` (kept when compaction removes records).
    public var lastOffsetDelta: Int32
    /// The first record's timestamp, or the delete horizon when ``RecordBatchAttributes/hasDeleteHorizon``.
    public var baseTimestamp: Int64
    /// The largest record timestamp, or the log-append time.
    public var maxTimestamp: Int64
    /// The idempotent/transactional producer id (-1 for none).
    public var producerId: Int64
    /// The producer epoch (-1 for none).
    public var producerEpoch: Int16
    /// The first record's sequence number (-1 for none).
    public var baseSequence: Int32
    /// The number of records in the batch.
    public var recordCount: Int32
    /// The records section as stored: compressed if ``compression`` is not `.none`.
    public var recordsData: ByteBuffer
    /// The whole batch as read (a slice of the input).
    public var bytes: ByteBuffer

    /// The codec of the records section.
    public var compression: CompressionType { attributes.compression }
    /// Create time or log-append time.
    public var timestampType: TimestampType { attributes.timestampType }
    /// Whether the batch belongs to a transaction.
    public var isTransactional: Bool { attributes.isTransactional }
    /// Whether the batch holds control records (transaction markers).
    public var isControl: Bool { attributes.isControl }
    /// The offset of the last record.
    public var lastOffset: Int64 { baseOffset &+ Int64(lastOffsetDelta) }
    /// The offset after the batch: where the next fetch starts.
    public var nextOffset: Int64 { lastOffset &+ 1 }
    /// The batch's size in bytes.
    public var sizeInBytes: Int { Self.logOverhead + Int(batchLength) }

    /// Reads one complete batch from `buffer`, moving its reader index past the batch.
    ///
    /// - Parameter verifyChecksum: whether to check the CRC-32C (Kafka's `check.crcs`).
    /// - Throws: `ProtocolError(.truncated)` if the buffer holds less than the whole batch
    ///   (``RecordSetReader`` reports a truncated last batch as incomplete instead);
    ///   `.corrupt` for a bad length or CRC; `.invalidValue` for a negative record count;
    ///   `.unsupportedVersion` if the magic byte is not 2. The buffer is unchanged on a throw.
    public init(decoding buffer: inout ByteBuffer, verifyChecksum: Bool = true) throws {
        let start = buffer.readerIndex
        guard let length = buffer.getInteger(at: start + 8, as: Int32.self) else {
            throw ProtocolError.truncated("record batch header", need: Self.logOverhead, have: buffer.readableBytes)
        }
        guard length >= Int32(Self.headerSize - Self.logOverhead) else {
            throw ProtocolError(
                .corrupt, "record batch length \(length) is below the minimum \(Self.headerSize - Self.logOverhead)")
        }
        let total = Self.logOverhead + Int(length)
        guard let bytes = buffer.getSlice(at: start, length: total) else {
            throw ProtocolError.truncated("record batch", need: total, have: buffer.readableBytes)
        }
        try self.init(batch: bytes, verifyChecksum: verifyChecksum)
        buffer.moveReaderIndex(forwardBy: total)
    }

    /// Decodes a buffer holding exactly one batch.
    init(batch bytes: ByteBuffer, verifyChecksum: Bool) throws {
        let s = bytes.readerIndex
        // The caller checked that the buffer holds `headerSize` bytes at least.
        magic = bytes.getInteger(at: s + 16)!
        guard magic == Self.magic else {
            throw ProtocolError(.unsupportedVersion, "record batch has magic \(magic), expected 2")
        }
        baseOffset = bytes.getInteger(at: s)!
        batchLength = bytes.getInteger(at: s + 8)!
        partitionLeaderEpoch = bytes.getInteger(at: s + 12)!
        crc = bytes.getInteger(at: s + 17)!
        attributes = RecordBatchAttributes(rawValue: bytes.getInteger(at: s + 21)!)
        lastOffsetDelta = bytes.getInteger(at: s + 23)!
        baseTimestamp = bytes.getInteger(at: s + 27)!
        maxTimestamp = bytes.getInteger(at: s + 35)!
        producerId = bytes.getInteger(at: s + 43)!
        producerEpoch = bytes.getInteger(at: s + 51)!
        baseSequence = bytes.getInteger(at: s + 53)!
        recordCount = bytes.getInteger(at: s + 57)!
        recordsData = bytes.getSlice(at: s + Self.headerSize, length: bytes.readableBytes - Self.headerSize)!
        self.bytes = bytes
        if verifyChecksum {
            let actual = computeChecksum()
            guard actual == crc else {
                throw ProtocolError(
                    .corrupt,
                    "record batch at offset \(baseOffset) has CRC 0x\(String(crc, radix: 16)) but its bytes give 0x\(String(actual, radix: 16))"
                )
            }
        }
        guard recordCount >= 0 else {
            throw ProtocolError(.invalidValue, "record batch at offset \(baseOffset) has record count \(recordCount)")
        }
    }

    /// The CRC-32C of the batch's bytes from `attributes` to the end (what ``crc`` should be).
    public func computeChecksum() -> UInt32 {
        bytes.withUnsafeReadableBytes { raw in
            CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[Self.crcCoverageStart...]))
        }
    }

    /// Whether the stored CRC matches the batch's bytes.
    public var isChecksumValid: Bool { computeChecksum() == crc }

    /// Starts reading the records, decompressing them first if the batch is compressed.
    ///
    /// - Parameter maxDecompressedSize: the most bytes the records may decompress to.
    /// - Throws: `ProtocolError(.oversized)` past that limit, `.corrupt` for compressed
    ///   data that does not decompress, `.invalidValue` for an unknown codec. Records
    ///   themselves are checked as the iterator reaches them.
    public func makeRecordIterator(
        maxDecompressedSize: Int = CompressionCodec.defaultMaxDecompressedSize
    ) throws -> RecordIterator {
        let data: ByteBuffer
        if compression == .none {
            data = recordsData
        } else {
            data = try CompressionCodec(compression).decompress(recordsData, maxSize: maxDecompressedSize)
        }
        return RecordIterator(
            batch: BatchRecordDecoder(
                data: data, remaining: Int(recordCount), baseOffset: baseOffset,
                baseTimestamp: baseTimestamp,
                logAppendTime: timestampType == .logAppendTime ? maxTimestamp : nil))
    }

    /// All records of the batch in an array (allocates; iterate for the hot path).
    ///
    /// - Throws: as ``makeRecordIterator(maxDecompressedSize:)`` and ``RecordIterator/next()``.
    public func records(maxDecompressedSize: Int = CompressionCodec.defaultMaxDecompressedSize) throws -> [BatchRecord] {
        var iterator = try makeRecordIterator(maxDecompressedSize: maxDecompressedSize)
        var records: [BatchRecord] = []
        records.reserveCapacity(Int(min(recordCount, 4096)))
        while let record = try iterator.next() { records.append(record) }
        return records
    }
}

/// Decodes the records of a v2 batch one at a time.
struct BatchRecordDecoder: Sendable {
    var data: ByteBuffer
    var remaining: Int
    let baseOffset: Int64
    let baseTimestamp: Int64
    let logAppendTime: Int64?

    /// Positions of one record's parts, relative to its first byte.
    struct Layout {
        var size = 0
        var timestampDelta: Int64 = 0
        var offsetDelta: Int32 = 0
        var keyStart = 0
        var keyLength: Int32 = -1
        var valueStart = 0
        var valueLength: Int32 = -1
        var headersStart = 0
        var headersLength = 0
        var headerCount: Int32 = 0
    }

    @inline(__always)
    mutating func next() throws -> BatchRecord? {
        guard remaining > 0 else {
            if data.readableBytes != 0 {
                throw ProtocolError(
                    .corrupt, "\(data.readableBytes) bytes follow the last record of the batch at offset \(baseOffset)")
            }
            return nil
        }
        let layout = try data.withUnsafeReadableBytes { try Self.parse($0) }
        let start = data.readerIndex
        defer {
            data.moveReaderIndex(forwardBy: layout.size)
            remaining -= 1
        }
        return BatchRecord(
            offset: baseOffset &+ Int64(layout.offsetDelta),
            timestamp: logAppendTime ?? (baseTimestamp &+ layout.timestampDelta),
            timestampType: logAppendTime == nil ? .createTime : .logAppendTime,
            key: layout.keyLength < 0 ? nil : data.getSlice(at: start + layout.keyStart, length: Int(layout.keyLength)),
            value: layout.valueLength < 0 ? nil : data.getSlice(at: start + layout.valueStart, length: Int(layout.valueLength)),
            headers: layout.headerCount == 0
                ? RecordHeaders()
                : RecordHeaders(
                    uncheckedBytes: data.getSlice(at: start + layout.headersStart, length: layout.headersLength)!,
                    count: Int(layout.headerCount)))
    }

    /// Parses the record at the start of `raw`, checking every length.
    @inline(__always)
    static func parse(_ raw: UnsafeRawBufferPointer) throws -> Layout {
        var r = RawReader(raw)
        var layout = Layout()
        let bodySize = try r.varInt("record length")
        guard bodySize >= 0 else { throw ProtocolError(.invalidValue, "record length \(bodySize) is negative") }
        guard Int(bodySize) <= r.remaining else {
            throw ProtocolError(
                .corrupt, "record of \(bodySize) bytes does not fit in the \(r.remaining) bytes left in its batch")
        }
        r.end = r.position + Int(bodySize)
        layout.size = r.end
        _ = try r.byte("record attributes")
        layout.timestampDelta = try r.varLong("record timestamp delta")
        layout.offsetDelta = try r.varInt("record offset delta")
        layout.keyLength = try r.varInt("record key length")
        guard layout.keyLength >= -1 else {
            throw ProtocolError(.invalidValue, "record key length \(layout.keyLength) is invalid")
        }
        layout.keyStart = r.position
        if layout.keyLength > 0 { try r.skip(Int(layout.keyLength), "record key") }
        layout.valueLength = try r.varInt("record value length")
        guard layout.valueLength >= -1 else {
            throw ProtocolError(.invalidValue, "record value length \(layout.valueLength) is invalid")
        }
        layout.valueStart = r.position
        if layout.valueLength > 0 { try r.skip(Int(layout.valueLength), "record value") }
        layout.headerCount = try r.varInt("record header count")
        guard layout.headerCount >= 0 else {
            throw ProtocolError(.invalidValue, "record header count \(layout.headerCount) is negative")
        }
        layout.headersStart = r.position
        try RecordHeaders.skipHeaders(&r, count: Int(layout.headerCount))
        layout.headersLength = r.position - layout.headersStart
        guard r.remaining == 0 else {
            throw ProtocolError(.corrupt, "record declares \(bodySize) bytes but its fields end \(r.remaining) bytes earlier")
        }
        return layout
    }
}
