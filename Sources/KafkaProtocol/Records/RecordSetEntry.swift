/// One entry of a record set: a record batch (magic 2) or a legacy message (magic 0/1).
///
/// ```swift
/// switch entry {
/// case .batch(let batch): if batch.isControl { ... }
/// case .legacy(let message): ...
/// }
/// var records = try entry.makeRecordIterator()
/// ```
public enum RecordSetEntry: Sendable {
    /// A record batch (magic 2).
    case batch(RecordBatch)
    /// A legacy message, possibly a compressed wrapper of several (magic 0 or 1).
    case legacy(LegacyMessage)

    /// The format version: 0, 1 or 2.
    public var magic: Int8 {
        switch self {
        case .batch(let batch): batch.magic
        case .legacy(let message): message.magic
        }
    }

    /// The offset of the entry's last record (also for a compacted batch that lost it).
    public var lastOffset: Int64 {
        switch self {
        case .batch(let batch): batch.lastOffset
        case .legacy(let message): message.offset
        }
    }

    /// The offset after the entry: where the next fetch starts.
    public var nextOffset: Int64 { lastOffset &+ 1 }

    /// Whether the entry holds control records (never for legacy messages).
    public var isControl: Bool {
        if case .batch(let batch) = self { return batch.isControl }
        return false
    }

    /// Whether the entry belongs to a transaction (never for legacy messages).
    public var isTransactional: Bool {
        if case .batch(let batch) = self { return batch.isTransactional }
        return false
    }

    /// The entry's size in bytes.
    public var sizeInBytes: Int {
        switch self {
        case .batch(let batch): batch.sizeInBytes
        case .legacy(let message): message.sizeInBytes
        }
    }

    /// Starts reading the entry's records.
    ///
    /// - Throws: as ``RecordBatch/makeRecordIterator(maxDecompressedSize:)`` and
    ///   ``LegacyMessage/makeRecordIterator(maxDecompressedSize:verifyChecksums:)``.
    public func makeRecordIterator(
        maxDecompressedSize: Int = CompressionCodec.defaultMaxDecompressedSize
    ) throws -> RecordIterator {
        switch self {
        case .batch(let batch): try batch.makeRecordIterator(maxDecompressedSize: maxDecompressedSize)
        case .legacy(let message): try message.makeRecordIterator(maxDecompressedSize: maxDecompressedSize)
        }
    }

    /// All records of the entry in an array (allocates; iterate for the hot path).
    public func records(maxDecompressedSize: Int = CompressionCodec.defaultMaxDecompressedSize) throws -> [BatchRecord] {
        var iterator = try makeRecordIterator(maxDecompressedSize: maxDecompressedSize)
        var records: [BatchRecord] = []
        while let record = try iterator.next() { records.append(record) }
        return records
    }
}
