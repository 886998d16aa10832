import NIOCore

/// Reads the records of one batch or legacy message, one at a time.
///
/// Each record is decoded when ``next()`` reaches it; a malformed record throws there,
/// after the records before it were returned.
///
/// ```swift
/// var records = try batch.makeRecordIterator()
/// while let record = try records.next() { ... }
/// ```
public struct RecordIterator: Sendable {
    // Two stored decoders and a flag rather than an enum or optionals: the v2 path then
    // mutates its decoder in place, with no copy (and no retain) per record.
    private var batch: BatchRecordDecoder
    private var legacy: LegacyRecordDecoder?
    private let isLegacy: Bool

    init(batch: BatchRecordDecoder) {
        self.batch = batch
        self.legacy = nil
        self.isLegacy = false
    }

    init(legacy: LegacyRecordDecoder) {
        self.batch = BatchRecordDecoder(data: ByteBuffer(), remaining: 0, baseOffset: 0, baseTimestamp: 0, logAppendTime: nil)
        self.legacy = legacy
        self.isLegacy = true
    }

    /// The next record, or `nil` after the last.
    ///
    /// - Throws: `ProtocolError(.corrupt)` or `.invalidValue` for a record whose lengths
    ///   do not fit, `.truncated` for one cut short, `.corrupt` if bytes remain after the
    ///   batch's declared record count.
    public mutating func next() throws -> BatchRecord? {
        if !isLegacy { return try batch.next() }
        return try legacy?.next()
    }
}
