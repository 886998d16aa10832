import NIOCore

/// CRC-32C (Castagnoli), the checksum of Kafka record batches (magic 2).
///
/// Pure Swift, slicing-by-8 (eight 256-entry tables, eight bytes per step). The checksum of
/// a v2 batch covers the bytes from its `attributes` field to the end of the batch.
///
/// ```swift
/// CRC32C.checksum(Array("123456789".utf8))   // 0xE3069283
/// var crc = CRC32C()
/// crc.update(part1); crc.update(part2)       // same as checksum(part1 + part2)
/// ```
///
/// - Complexity: O(n) in the number of bytes.
public struct CRC32C: Sendable, Hashable {
    /// The checksum of the bytes given so far (0 for none).
    public private(set) var value: UInt32

    /// Starts a checksum, optionally continuing from the checksum of earlier bytes.
    public init(continuingFrom value: UInt32 = 0) { self.value = value }

    /// Adds bytes to the checksum.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        value = CRCTables.castagnoli.update(value, bytes)
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

    /// The CRC-32C of some bytes.
    public static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        CRCTables.castagnoli.update(0, bytes)
    }

    /// The CRC-32C of a buffer's readable bytes.
    public static func checksum(_ buffer: ByteBuffer) -> UInt32 {
        buffer.withUnsafeReadableBytes { checksum($0) }
    }

    /// The CRC-32C of a sequence of bytes.
    public static func checksum<Bytes: Sequence>(_ bytes: Bytes) -> UInt32 where Bytes.Element == UInt8 {
        var crc = CRC32C()
        crc.update(bytes)
        return crc.value
    }
}

/// Slicing-by-8 lookup tables for one reflected CRC-32 polynomial.
@usableFromInline
struct CRCTables: Sendable {
    /// 8 × 256 entries; table k maps a byte to its CRC contribution k bytes further on.
    private let table: [UInt32]

    /// CRC-32C, reflected polynomial 0x82F63B78.
    static let castagnoli = CRCTables(polynomial: 0x82F6_3B78)
    /// CRC-32 (IEEE 802.3, zlib), reflected polynomial 0xEDB88320.
    static let ieee = CRCTables(polynomial: 0xEDB8_8320)

    private init(polynomial: UInt32) {
        var table = [UInt32](repeating: 0, count: 8 * 256)
        for i in 0..<256 {
            var crc = UInt32(i)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ polynomial : crc >> 1 }
            table[i] = crc
        }
        for k in 1..<8 {
            for i in 0..<256 {
                let previous = table[(k - 1) * 256 + i]
                table[k * 256 + i] = (previous >> 8) ^ table[Int(previous & 0xFF)]
            }
        }
        self.table = table
    }

    /// Continues the checksum `crc` (of earlier bytes) over `bytes`.
    func update(_ crc: UInt32, _ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return crc }
        return table.withUnsafeBufferPointer { t in
            var c = ~crc
            var p = base
            var n = bytes.count
            while n >= 8 {
                let w = UInt64(littleEndian: p.loadUnaligned(as: UInt64.self)) ^ UInt64(c)
                c =
                    t[0x700 | Int(w & 0xFF)] ^ t[0x600 | Int((w >> 8) & 0xFF)]
                    ^ t[0x500 | Int((w >> 16) & 0xFF)] ^ t[0x400 | Int((w >> 24) & 0xFF)]
                    ^ t[0x300 | Int((w >> 32) & 0xFF)] ^ t[0x200 | Int((w >> 40) & 0xFF)]
                    ^ t[0x100 | Int((w >> 48) & 0xFF)] ^ t[Int(w >> 56)]
                p += 8
                n -= 8
            }
            while n > 0 {
                c = t[Int((c ^ UInt32(p.load(as: UInt8.self))) & 0xFF)] ^ (c >> 8)
                p += 1
                n -= 1
            }
            return ~c
        }
    }
}
