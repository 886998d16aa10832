import NIOCore

/// Reads the entries of a record set — the `records` bytes of a Fetch response partition,
/// or a log segment — one batch at a time, without copying.
///
/// Each entry is a record batch (magic 2) or a legacy message (magic 0/1); formats may
/// mix. A broker may cut the last batch short to fit its size limits: the reader then
/// stops, returns `nil`, and reports the cut bytes in ``incompleteTrailingBytes`` instead
/// of throwing. If the *first* batch is incomplete, no batch fits the fetch size and the
/// consumer must fetch more bytes.
///
/// ```swift
/// var reader = RecordSetReader(partition.records)
/// while let entry = try reader.next() {
///     var records = try entry.makeRecordIterator()
///     while let record = try records.next() { ... }
///     position = entry.nextOffset
/// }
/// if reader.isIncomplete && position == fetchOffset { /* fetch with a larger size */ }
/// ```
public struct RecordSetReader: Sendable {
    private var buffer: ByteBuffer
    /// Whether CRCs are checked (Kafka's `check.crcs`, on by default).
    public let verifyChecksums: Bool
    /// The bytes of a truncated last entry that were not returned (0 if none).
    public private(set) var incompleteTrailingBytes = 0

    /// Creates a reader over a buffer's readable bytes.
    public init(_ records: ByteBuffer, verifyChecksums: Bool = true) {
        self.buffer = records
        self.verifyChecksums = verifyChecksums
    }

    /// Whether the record set ended with a truncated entry.
    public var isIncomplete: Bool { incompleteTrailingBytes > 0 }

    /// The next complete entry, or `nil` at the end (or at a truncated last entry).
    ///
    /// - Throws: `ProtocolError(.corrupt)` for an entry whose size is below the minimum,
    ///   whose magic is not 0, 1 or 2, or whose CRC does not match; `.invalidValue` for
    ///   bad fields. After a throw the reader should be dropped.
    public mutating func next() throws -> RecordSetEntry? {
        let available = buffer.readableBytes
        guard available > 0 else { return nil }
        guard available >= RecordBatch.logOverhead,
            let size = buffer.getInteger(at: buffer.readerIndex + 8, as: Int32.self)
        else {
            return stopIncomplete()
        }
        guard size >= 14 else {
            throw ProtocolError(.corrupt, "record set entry size \(size) is below the minimum 14")
        }
        guard available >= RecordBatch.logOverhead + Int(size) else { return stopIncomplete() }
        let magic = buffer.getInteger(at: buffer.readerIndex + 16, as: Int8.self)!
        switch magic {
        case 2:
            return .batch(try RecordBatch(decoding: &buffer, verifyChecksum: verifyChecksums))
        case 0, 1:
            return .legacy(try LegacyMessage(decoding: &buffer, verifyChecksum: verifyChecksums))
        default:
            throw ProtocolError(.corrupt, "record set entry has magic \(magic); only 0, 1 and 2 exist")
        }
    }

    private mutating func stopIncomplete() -> RecordSetEntry? {
        incompleteTrailingBytes = buffer.readableBytes
        buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
        return nil
    }
}
