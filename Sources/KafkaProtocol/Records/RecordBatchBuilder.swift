import NIOCore

/// Builds one record batch (magic 2) in place: records are encoded once, straight into
/// the output buffer after room for the header, and ``finish()`` fills in the header,
/// compresses the records section if asked, and writes the lengths and the CRC.
///
/// Offsets are assigned in order from ``baseOffset`` (a producer uses 0; the broker
/// rewrites the base offset, which the CRC does not cover). The first record's timestamp
/// becomes the batch's base timestamp.
///
/// ```swift
/// var builder = RecordBatchBuilder(compression: .zstd, producerId: 7, producerEpoch: 0, baseSequence: 0)
/// builder.append(timestamp: now, key: ByteBuffer(string: "k"), value: ByteBuffer(string: "v"))
/// builder.append(timestamp: now, key: nil, value: payload, headers: [(key: "trace", value: id)])
/// let bytes = try builder.finish()       // one batch, ready for a Produce request
/// ```
///
/// - Complexity: O(n) in the bytes appended; compression adds one pass and one copy of
///   the compressed bytes.
public struct RecordBatchBuilder: Sendable {
    /// The offset of the first record.
    public let baseOffset: Int64
    /// The codec of the records section.
    public let compression: CompressionCodec
    /// The log-append time, when the batch has log-append time (records take it as their
    /// timestamp); `nil` for create time.
    public let logAppendTime: Int64?
    /// The producer id (-1 for none).
    public let producerId: Int64
    /// The producer epoch (-1 for none).
    public let producerEpoch: Int16
    /// The first record's sequence number (-1 for none).
    public let baseSequence: Int32
    /// Whether the batch belongs to a transaction.
    public let isTransactional: Bool
    /// Whether the batch holds control records.
    public let isControl: Bool
    /// The partition leader epoch (-1 for a producer).
    public let partitionLeaderEpoch: Int32

    private var buffer: ByteBuffer
    private let batchStart: Int
    /// The number of records appended.
    public private(set) var recordCount: Int32 = 0
    private var baseTimestamp: Int64 = -1
    private var maxTimestamp: Int64 = -1

    /// Starts a batch.
    ///
    /// - Parameters:
    ///   - buffer: the batch is appended at its writer index; bytes already in it stay
    ///     before the batch (several batches can share one buffer).
    ///   - initialCapacity: bytes to reserve for the batch.
    ///   - Other parameters: the batch header fields (see ``RecordBatch``).
    public init(
        baseOffset: Int64 = 0,
        compression: CompressionCodec = .none,
        logAppendTime: Int64? = nil,
        producerId: Int64 = -1,
        producerEpoch: Int16 = -1,
        baseSequence: Int32 = -1,
        isTransactional: Bool = false,
        isControl: Bool = false,
        partitionLeaderEpoch: Int32 = -1,
        buffer: ByteBuffer = ByteBuffer(),
        initialCapacity: Int = 16 * 1024
    ) {
        self.baseOffset = baseOffset
        self.compression = compression
        self.logAppendTime = logAppendTime
        self.producerId = producerId
        self.producerEpoch = producerEpoch
        self.baseSequence = baseSequence
        self.isTransactional = isTransactional
        self.isControl = isControl
        self.partitionLeaderEpoch = partitionLeaderEpoch
        var buffer = buffer
        buffer.reserveCapacity(minimumWritableBytes: max(initialCapacity, RecordBatch.headerSize))
        batchStart = buffer.writerIndex
        buffer.writeRepeatingByte(0, count: RecordBatch.headerSize)
        self.buffer = buffer
    }

    /// Whether no record was appended.
    public var isEmpty: Bool { recordCount == 0 }

    /// The batch's size so far, header included, before compression.
    public var sizeInBytes: Int { buffer.writerIndex - batchStart }

    /// The encoded size of a record with these parts, its length prefix included: what
    /// ``sizeInBytes`` grows by when it is appended at this point.
    public func encodedSize(timestamp: Int64, keySize: Int?, valueSize: Int?, headersSize: Int = 0, headerCount: Int = 0) -> Int {
        let body = bodySize(
            timestampDelta: recordTimestamp(timestamp) &- (recordCount == 0 ? recordTimestamp(timestamp) : baseTimestamp),
            keySize: keySize, valueSize: valueSize, headersSize: headersSize, headerCount: headerCount)
        return ByteBuffer.varIntSize(Int32(body)) + body
    }

    /// Appends a record with no headers.
    public mutating func append(timestamp: Int64, key: ByteBuffer?, value: ByteBuffer?) {
        appendRecord(timestamp: timestamp, key: key, value: value, headerCount: 0, headersSize: 0) { _ in }
    }

    /// Appends a record with headers given as key/value pairs.
    public mutating func append(
        timestamp: Int64, key: ByteBuffer?, value: ByteBuffer?, headers: [(key: String, value: ByteBuffer?)]
    ) {
        var size = 0
        for header in headers {
            let keySize = header.key.utf8.count
            size += ByteBuffer.varIntSize(Int32(keySize)) + keySize
            size += Self.bytesFieldSize(header.value?.readableBytes)
        }
        appendRecord(timestamp: timestamp, key: key, value: value, headerCount: headers.count, headersSize: size) { writer in
            for header in headers {
                var key = header.key
                key.withUTF8 { utf8 in
                    writer.varInt(Int32(truncatingIfNeeded: utf8.count))
                    writer.bytes(UnsafeRawBufferPointer(utf8))
                }
                Self.write(header.value, into: &writer)
            }
        }
    }

    /// Appends a record with headers already encoded (for example those of a record read
    /// from another batch); their bytes are copied as they are.
    public mutating func append(timestamp: Int64, key: ByteBuffer?, value: ByteBuffer?, headers: RecordHeaders) {
        appendRecord(
            timestamp: timestamp, key: key, value: value, headerCount: headers.count,
            headersSize: headers.encodedBytes.readableBytes
        ) { writer in
            headers.encodedBytes.withUnsafeReadableBytes { writer.bytes($0) }
        }
    }

    /// Appends a record read elsewhere: its timestamp, key, value and headers (its offset
    /// is not kept; the record gets the next offset of this batch).
    public mutating func append(_ record: BatchRecord) {
        append(timestamp: record.timestamp, key: record.key, value: record.value, headers: record.headers)
    }

    /// Appends a transaction marker as a control record. The batch should be a control
    /// batch (``isControl``) holding only this record.
    public mutating func append(_ marker: EndTransactionMarker, timestamp: Int64) {
        append(timestamp: timestamp, key: marker.key, value: marker.value)
    }

    private func recordTimestamp(_ timestamp: Int64) -> Int64 { logAppendTime ?? timestamp }

    private static func bytesFieldSize(_ size: Int?) -> Int {
        guard let size else { return 1 }
        return ByteBuffer.varIntSize(Int32(truncatingIfNeeded: size)) + size
    }

    private func bodySize(timestampDelta: Int64, keySize: Int?, valueSize: Int?, headersSize: Int, headerCount: Int) -> Int {
        1 + ByteBuffer.varLongSize(timestampDelta) + ByteBuffer.varIntSize(recordCount)
            + Self.bytesFieldSize(keySize) + Self.bytesFieldSize(valueSize)
            + ByteBuffer.varIntSize(Int32(truncatingIfNeeded: headerCount)) + headersSize
    }

    @inline(__always)
    private static func write(_ field: ByteBuffer?, into writer: inout RawWriter) {
        if let field {
            writer.varInt(Int32(truncatingIfNeeded: field.readableBytes))
            field.withUnsafeReadableBytes { writer.bytes($0) }
        } else {
            writer.varInt(-1)
        }
    }

    private mutating func appendRecord(
        timestamp: Int64, key: ByteBuffer?, value: ByteBuffer?, headerCount: Int, headersSize: Int,
        writeHeaders: (inout RawWriter) -> Void
    ) {
        let timestamp = recordTimestamp(timestamp)
        if recordCount == 0 {
            baseTimestamp = timestamp
            maxTimestamp = timestamp
        } else if timestamp > maxTimestamp {
            maxTimestamp = timestamp
        }
        let timestampDelta = timestamp &- baseTimestamp
        let body = bodySize(
            timestampDelta: timestampDelta, keySize: key?.readableBytes, valueSize: value?.readableBytes,
            headersSize: headersSize, headerCount: headerCount)
        let total = ByteBuffer.varIntSize(Int32(truncatingIfNeeded: body)) + body
        let offsetDelta = recordCount
        // One write access for the whole record: the sizes above are exact.
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: total) { out in
            var writer = RawWriter(out.baseAddress!)
            writer.varInt(Int32(truncatingIfNeeded: body))
            writer.byte(0)  // record attributes: unused
            writer.varLong(timestampDelta)
            writer.varInt(offsetDelta)
            Self.write(key, into: &writer)
            Self.write(value, into: &writer)
            writer.varInt(Int32(truncatingIfNeeded: headerCount))
            writeHeaders(&writer)
            assert(writer.position == total, "record size computed as \(total), written \(writer.position)")
            return writer.position
        }
        recordCount += 1
    }

    /// Completes the batch and returns the buffer holding it (after any bytes the buffer
    /// held before). A batch with no records writes nothing, as Kafka's builder does.
    ///
    /// - Throws: `ProtocolError(.invalidValue)` for a compression level out of range, or
    ///   `.oversized` for a batch over 2 GiB.
    public consuming func finish() throws -> ByteBuffer {
        guard recordCount > 0 else {
            buffer.moveWriterIndex(to: batchStart)
            return buffer
        }
        let recordsStart = batchStart + RecordBatch.headerSize
        if compression.type != .none {
            var compressed = ByteBufferAllocator().buffer(capacity: (buffer.writerIndex - recordsStart) / 2 + 64)
            try buffer.withUnsafeReadableBytes { raw in
                let begin = recordsStart - buffer.readerIndex
                try compression.compress(UnsafeRawBufferPointer(rebasing: raw[begin...]), appendingTo: &compressed)
            }
            buffer.moveWriterIndex(to: recordsStart)
            buffer.writeBuffer(&compressed)
        }
        let batchLength = buffer.writerIndex - batchStart - RecordBatch.logOverhead
        guard batchLength <= Int(Int32.max) else {
            throw ProtocolError(.oversized, "record batch of \(batchLength) bytes is over 2 GiB")
        }
        let attributes = RecordBatchAttributes(
            compression: compression.type,
            timestampType: logAppendTime == nil ? .createTime : .logAppendTime,
            isTransactional: isTransactional, isControl: isControl)
        let s = batchStart
        buffer.setInteger(baseOffset, at: s)
        buffer.setInteger(Int32(batchLength), at: s + 8)
        buffer.setInteger(partitionLeaderEpoch, at: s + 12)
        buffer.setInteger(RecordBatch.magic, at: s + 16)
        buffer.setInteger(attributes.rawValue, at: s + 21)
        buffer.setInteger(recordCount - 1, at: s + 23)
        buffer.setInteger(baseTimestamp, at: s + 27)
        buffer.setInteger(logAppendTime ?? maxTimestamp, at: s + 35)
        buffer.setInteger(producerId, at: s + 43)
        buffer.setInteger(producerEpoch, at: s + 51)
        buffer.setInteger(baseSequence, at: s + 53)
        buffer.setInteger(recordCount, at: s + 57)
        let crc = buffer.withUnsafeReadableBytes { raw in
            CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[(s + RecordBatch.crcCoverageStart - buffer.readerIndex)...]))
        }
        buffer.setInteger(crc, at: s + 17)
        return buffer
    }

    /// A control batch holding one transaction marker, as a transaction coordinator
    /// writes it: control and transactional, with the producer's id and epoch.
    ///
    /// - Throws: as ``finish()``.
    public static func controlBatch(
        _ marker: EndTransactionMarker,
        producerId: Int64,
        producerEpoch: Int16,
        baseOffset: Int64 = 0,
        timestamp: Int64,
        partitionLeaderEpoch: Int32 = -1
    ) throws -> ByteBuffer {
        var builder = RecordBatchBuilder(
            baseOffset: baseOffset, producerId: producerId, producerEpoch: producerEpoch,
            isTransactional: true, isControl: true, partitionLeaderEpoch: partitionLeaderEpoch,
            initialCapacity: 128)
        builder.append(marker, timestamp: timestamp)
        return try builder.finish()
    }
}
