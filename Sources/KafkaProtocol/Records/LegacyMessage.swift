import NIOCore

/// A message of the legacy message-set formats (magic 0 and 1), read-only.
///
/// Layout (big-endian): offset int64, message size int32, crc uint32 (CRC-32 of the
/// bytes from magic to the end), magic int8, attributes int8 (bits 0–2 codec, bit 3
/// log-append time in magic 1), timestamp int64 (magic 1 only), key bytes (int32 length,
/// -1 null), value bytes.
///
/// A compressed message is a *wrapper*: its value is a compressed message set of inner
/// messages. In magic 1 the inner offsets are relative (0, 1, ...) and the wrapper's
/// offset is the absolute offset of the last inner message; in magic 0 inner offsets are
/// absolute. Iterating a wrapper yields its inner messages with absolute offsets.
public struct LegacyMessage: Sendable {
    /// The bytes before a message's CRC: offset and size.
    public static let logOverhead = 12

    /// The message's offset (for a magic-1 wrapper, the offset of its last inner message).
    public var offset: Int64
    /// The CRC-32 stored in the message.
    public var crc: UInt32
    /// The format version: 0 or 1.
    public var magic: Int8
    /// Codec (bits 0–2) and, in magic 1, timestamp type (bit 3).
    public var attributes: Int8
    /// The timestamp in magic 1; -1 in magic 0.
    public var timestamp: Int64
    /// The key; `nil` for null.
    public var key: ByteBuffer?
    /// The value; `nil` for null. A wrapper's value is the compressed inner message set.
    public var value: ByteBuffer?
    /// The whole message as read, offset and size included (a slice of the input).
    public var bytes: ByteBuffer

    /// The codec of a wrapper's value; `.none` for a plain message.
    public var compression: CompressionType { CompressionType(rawValue: attributes & 0x07) }
    /// `.noTimestamp` in magic 0; create time or log-append time in magic 1.
    public var timestampType: TimestampType {
        magic == 0 ? .noTimestamp : (attributes & 0x08 != 0 ? .logAppendTime : .createTime)
    }
    /// The offset after this message (and after all inner messages of a wrapper).
    public var nextOffset: Int64 { offset &+ 1 }
    /// The message's size in bytes, offset and size fields included.
    public var sizeInBytes: Int { bytes.readableBytes }

    /// Reads one complete message from `buffer`, moving its reader index past it.
    ///
    /// - Parameter verifyChecksum: whether to check the CRC-32.
    /// - Throws: `ProtocolError(.truncated)` if the buffer holds less than the message;
    ///   `.corrupt` for a bad size or CRC; `.invalidValue` for bad key/value lengths;
    ///   `.unsupportedVersion` for a magic other than 0 or 1. The buffer is unchanged on a throw.
    public init(decoding buffer: inout ByteBuffer, verifyChecksum: Bool = true) throws {
        let start = buffer.readerIndex
        guard let size = buffer.getInteger(at: start + 8, as: Int32.self) else {
            throw ProtocolError.truncated("legacy message header", need: Self.logOverhead, have: buffer.readableBytes)
        }
        guard size >= 14 else { throw ProtocolError(.corrupt, "legacy message size \(size) is below the minimum 14") }
        let total = Self.logOverhead + Int(size)
        guard let bytes = buffer.getSlice(at: start, length: total) else {
            throw ProtocolError.truncated("legacy message", need: total, have: buffer.readableBytes)
        }
        try self.init(message: bytes, verifyChecksum: verifyChecksum)
        buffer.moveReaderIndex(forwardBy: total)
    }

    /// Decodes a buffer holding exactly one message of at least 26 bytes.
    init(message bytes: ByteBuffer, verifyChecksum: Bool) throws {
        var b = bytes
        offset = try b.readKafkaInt64()
        _ = try b.readKafkaInt32()
        crc = try b.readKafkaUInt32()
        magic = try b.readKafkaInt8()
        guard magic == 0 || magic == 1 else {
            throw ProtocolError(.unsupportedVersion, "legacy message has magic \(magic), expected 0 or 1")
        }
        if magic == 1 && bytes.readableBytes < Self.logOverhead + 22 {
            throw ProtocolError(.corrupt, "legacy message of magic 1 is shorter than the minimum 22 bytes")
        }
        self.bytes = bytes
        if verifyChecksum {
            let actual = bytes.withUnsafeReadableBytes { CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[16...])) }
            guard actual == crc else {
                throw ProtocolError(
                    .corrupt,
                    "legacy message at offset \(offset) has CRC 0x\(String(crc, radix: 16)) but its bytes give 0x\(String(actual, radix: 16))"
                )
            }
        }
        attributes = try b.readKafkaInt8()
        timestamp = magic == 1 ? try b.readKafkaInt64() : -1
        key = try Self.readBytes(&b, "legacy message key")
        value = try Self.readBytes(&b, "legacy message value")
        guard b.readableBytes == 0 else {
            throw ProtocolError(.corrupt, "\(b.readableBytes) bytes follow the value of the legacy message at offset \(offset)")
        }
    }

    private static func readBytes(_ b: inout ByteBuffer, _ what: String) throws -> ByteBuffer? {
        let length = try b.readKafkaInt32()
        guard length >= -1 else { throw ProtocolError(.invalidValue, "\(what) length \(length) is invalid") }
        if length == -1 { return nil }
        guard let slice = b.readSlice(length: Int(length)) else {
            throw ProtocolError.truncated(what, need: Int(length), have: b.readableBytes)
        }
        return slice
    }

    /// Starts reading the message's records: itself, or a wrapper's inner messages.
    ///
    /// - Parameters:
    ///   - maxDecompressedSize: the most bytes a wrapper's value may decompress to.
    ///   - verifyChecksums: whether to check the inner messages' CRCs.
    /// - Throws: `ProtocolError(.oversized)` past the limit; `.corrupt` for a wrapper whose
    ///   value is null or does not decompress to complete messages of the same magic;
    ///   `.invalidValue` for a codec legacy messages cannot use (zstd, unknown).
    public func makeRecordIterator(
        maxDecompressedSize: Int = CompressionCodec.defaultMaxDecompressedSize,
        verifyChecksums: Bool = true
    ) throws -> RecordIterator {
        RecordIterator(
            legacy: try LegacyRecordDecoder(
                message: self, maxDecompressedSize: maxDecompressedSize, verifyChecksums: verifyChecksums))
    }

    /// The message as a record (plain messages; a wrapper's own key and value otherwise).
    func record(offset: Int64, timestamp: Int64, timestampType: TimestampType) -> BatchRecord {
        BatchRecord(offset: offset, timestamp: timestamp, timestampType: timestampType, key: key, value: value)
    }
}

/// Yields a plain legacy message, or the inner messages of a wrapper.
struct LegacyRecordDecoder: Sendable {
    private var single: BatchRecord?
    private var inner: ByteBuffer
    private let verifyChecksums: Bool
    private let wrapperMagic: Int8
    /// Added to inner offsets: `wrapperOffset - lastRelativeOffset` in magic 1, 0 in magic 0.
    private let offsetBase: Int64
    /// The wrapper's timestamp when it has log-append time.
    private let logAppendTime: Int64?

    init(message: LegacyMessage, maxDecompressedSize: Int, verifyChecksums: Bool) throws {
        self.verifyChecksums = verifyChecksums
        wrapperMagic = message.magic
        guard message.compression != .none else {
            single = message.record(offset: message.offset, timestamp: message.timestamp, timestampType: message.timestampType)
            inner = ByteBuffer()
            offsetBase = 0
            logAppendTime = nil
            return
        }
        let codec = message.compression
        guard codec == .gzip || codec == .snappy || codec == .lz4 else {
            throw ProtocolError(
                .invalidValue,
                "legacy message at offset \(message.offset) uses codec \(codec.name), which magic \(message.magic) does not allow"
            )
        }
        guard let value = message.value else {
            throw ProtocolError(.corrupt, "compressed legacy message at offset \(message.offset) has a null value")
        }
        inner = try CompressionCodec(codec).decompress(value, maxSize: maxDecompressedSize, lenientLZ4HeaderChecksum: true)
        logAppendTime = message.timestampType == .logAppendTime ? message.timestamp : nil
        if message.magic == 1 {
            // Inner offsets are relative; the wrapper carries the last one's absolute offset.
            var scan = inner
            var last: Int64 = -1
            while scan.readableBytes > 0 {
                guard let relative = scan.getInteger(at: scan.readerIndex, as: Int64.self),
                    let size = scan.getInteger(at: scan.readerIndex + 8, as: Int32.self), size >= 0,
                    scan.readableBytes >= LegacyMessage.logOverhead + Int(size)
                else {
                    throw ProtocolError(
                        .corrupt, "compressed legacy message at offset \(message.offset) holds a truncated inner message")
                }
                last = relative
                scan.moveReaderIndex(forwardBy: LegacyMessage.logOverhead + Int(size))
            }
            offsetBase = message.offset &- last
        } else {
            offsetBase = 0
        }
    }

    mutating func next() throws -> BatchRecord? {
        if let record = single {
            single = nil
            return record
        }
        guard inner.readableBytes > 0 else { return nil }
        let message: LegacyMessage
        do {
            message = try LegacyMessage(decoding: &inner, verifyChecksum: verifyChecksums)
        } catch let error as ProtocolError where error.code == .truncated {
            throw ProtocolError(.corrupt, "compressed legacy message holds a truncated inner message: \(error.message)")
        }
        guard message.magic == wrapperMagic else {
            throw ProtocolError(
                .corrupt, "inner legacy message has magic \(message.magic) inside a wrapper of magic \(wrapperMagic)")
        }
        guard message.compression == .none else {
            throw ProtocolError(.corrupt, "compressed legacy message holds another compressed message")
        }
        let offset = offsetBase &+ message.offset
        if wrapperMagic == 0 {
            return message.record(offset: offset, timestamp: -1, timestampType: .noTimestamp)
        }
        if let logAppendTime {
            return message.record(offset: offset, timestamp: logAppendTime, timestampType: .logAppendTime)
        }
        return message.record(offset: offset, timestamp: message.timestamp, timestampType: .createTime)
    }
}
