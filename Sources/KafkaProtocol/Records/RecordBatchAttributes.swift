/// The `attributes` field of a record batch (magic 2).
///
/// Bits 0–2 compression codec, bit 3 timestamp type (1 = log-append time), bit 4
/// transactional, bit 5 control batch, bit 6 delete horizon set (the base timestamp is the
/// delete horizon of a compacted batch). Other bits are kept as read.
///
/// ```swift
/// var attributes = RecordBatchAttributes(compression: .zstd, isTransactional: true)
/// attributes.rawValue   // 0x14
/// ```
public struct RecordBatchAttributes: RawRepresentable, Sendable, Hashable {
    /// The field as on the wire.
    public var rawValue: Int16

    /// Creates attributes from the wire value.
    @inlinable public init(rawValue: Int16) { self.rawValue = rawValue }

    /// Creates attributes from their parts.
    public init(
        compression: CompressionType = .none,
        timestampType: TimestampType = .createTime,
        isTransactional: Bool = false,
        isControl: Bool = false,
        hasDeleteHorizon: Bool = false
    ) {
        rawValue = 0
        self.compression = compression
        self.timestampType = timestampType
        self.isTransactional = isTransactional
        self.isControl = isControl
        self.hasDeleteHorizon = hasDeleteHorizon
    }

    /// The codec of the records section (bits 0–2).
    @inlinable public var compression: CompressionType {
        get { CompressionType(rawValue: Int8(rawValue & 0x07)) }
        set { rawValue = (rawValue & ~0x07) | (Int16(newValue.rawValue) & 0x07) }
    }

    /// Create time or log-append time (bit 3).
    @inlinable public var timestampType: TimestampType {
        get { rawValue & 0x08 != 0 ? .logAppendTime : .createTime }
        set { set(0x08, newValue == .logAppendTime) }
    }

    /// Whether the batch belongs to a transaction (bit 4).
    @inlinable public var isTransactional: Bool {
        get { rawValue & 0x10 != 0 }
        set { set(0x10, newValue) }
    }

    /// Whether the batch holds control records (commit/abort markers; bit 5).
    @inlinable public var isControl: Bool {
        get { rawValue & 0x20 != 0 }
        set { set(0x20, newValue) }
    }

    /// Whether the base timestamp is the delete horizon set by log compaction (bit 6).
    @inlinable public var hasDeleteHorizon: Bool {
        get { rawValue & 0x40 != 0 }
        set { set(0x40, newValue) }
    }

    @inlinable mutating func set(_ bit: Int16, _ on: Bool) {
        rawValue = on ? rawValue | bit : rawValue & ~bit
    }
}
