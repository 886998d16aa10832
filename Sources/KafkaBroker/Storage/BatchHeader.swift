import KafkaProtocol
import NIOCore

/// The fixed 61-byte header of a stored record batch (magic 2), read without its records.
struct BatchHeader: Sendable {
    var baseOffset: Int64
    /// The whole batch's size in bytes (`batchLength` + 12).
    var size: Int
    var partitionLeaderEpoch: Int32
    var magic: Int8
    var crc: UInt32
    var attributes: RecordBatchAttributes
    var lastOffsetDelta: Int32
    var baseTimestamp: Int64
    var maxTimestamp: Int64
    var producerId: Int64
    var producerEpoch: Int16
    var baseSequence: Int32
    var recordCount: Int32

    var lastOffset: Int64 { baseOffset &+ Int64(lastOffsetDelta) }
    var nextOffset: Int64 { lastOffset &+ 1 }
    var isTransactional: Bool { attributes.isTransactional }
    var isControl: Bool { attributes.isControl }
    var lastSequence: Int32 {
        baseSequence < 0 ? -1 : Int32(truncatingIfNeeded: (Int64(baseSequence) + Int64(lastOffsetDelta)) % (Int64(Int32.max) + 1))
    }

    /// Reads the header at `index` of `buffer`; `nil` when fewer than 61 bytes are there or
    /// the length field is impossible.
    init?(_ buffer: ByteBuffer, at index: Int) {
        guard buffer.writerIndex - index >= RecordBatch.headerSize,
            let length: Int32 = buffer.getInteger(at: index + 8),
            length >= Int32(RecordBatch.headerSize - RecordBatch.logOverhead)
        else { return nil }
        baseOffset = buffer.getInteger(at: index)!
        size = Int(length) + RecordBatch.logOverhead
        partitionLeaderEpoch = buffer.getInteger(at: index + 12)!
        magic = buffer.getInteger(at: index + 16)!
        crc = buffer.getInteger(at: index + 17)!
        attributes = RecordBatchAttributes(rawValue: buffer.getInteger(at: index + 21)!)
        lastOffsetDelta = buffer.getInteger(at: index + 23)!
        baseTimestamp = buffer.getInteger(at: index + 27)!
        maxTimestamp = buffer.getInteger(at: index + 35)!
        producerId = buffer.getInteger(at: index + 43)!
        producerEpoch = buffer.getInteger(at: index + 51)!
        baseSequence = buffer.getInteger(at: index + 53)!
        recordCount = buffer.getInteger(at: index + 57)!
    }
}
