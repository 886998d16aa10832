import NIOCore

/// CRC-32 (IEEE 802.3, the zlib/gzip checksum), used by legacy message sets (magic 0 and 1).
///
/// The checksum of a legacy message covers the bytes from its `magic` field to its end.
///
/// ```swift
/// CRC32.checksum(Array("123456789".utf8))   // 0xCBF43926
/// ```
///
/// - Complexity: O(n) in the number of bytes.
public struct CRC32: Sendable, Hashable {
    /// The checksum of the bytes given so far (0 for none).
    public private(set) var value: UInt32

    /// Starts a checksum, optionally continuing from the checksum of earlier bytes.
    public init(continuingFrom value: UInt32 = 0) { self.value = value }

    /// Adds bytes to the checksum.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        value = CRCTables.ieee.update(value, bytes)
    }

    /// Adds the readable bytes of a buffer to the checksum (the buffer is not changed).
    public mutating func update(_ buffer: ByteBuffer) {
        buffer.withUnsafeReadableBytes { update($0) }
    }

    /// Adds a sequence of bytes to the checksum.
    public mutating func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        let done: Void? = bytes.withContiguousStorageIfAvailable { update(UnsafeRawBufferPointer($0)) }
        if done == nil {
            let copy = Array(bytes)
            copy.withUnsafeBytes { update($0) }
        }
    }

    /// The CRC-32 of some bytes.
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        CRCTables.ieee.update(0, bytes)
    }

    /// The CRC-32 of a buffer's readable bytes.
    public static func checksum(_ buffer: ByteBuffer) -> UInt32 {
        buffer.withUnsafeReadableBytes { checksum($0) }
    }

    /// The CRC-32 of a sequence of bytes.
    public static func checksum<Bytes: Sequence>(_ bytes: Bytes) -> UInt32 where Bytes.Element == UInt8 {
        var crc = CRC32()
        crc.update(bytes)
        return crc.value
    }
}
