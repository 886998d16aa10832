/// Writes varints and bytes straight to memory that the caller sized exactly: the record
/// encoder's hot path, one buffer access per record instead of one per field.
struct RawWriter {
    let base: UnsafeMutableRawPointer
    var position = 0

    init(_ base: UnsafeMutableRawPointer) { self.base = base }

    @inline(__always)
    mutating func byte(_ value: UInt8) {
        base.storeBytes(of: value, toByteOffset: position, as: UInt8.self)
        position += 1
    }

    /// A zigzag varint.
    @inline(__always)
    mutating func varInt(_ value: Int32) {
        var v = UInt32(bitPattern: (value << 1) ^ (value >> 31))
        while v >= 0x80 {
            byte(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        byte(UInt8(v))
    }

    /// A zigzag varlong.
    @inline(__always)
    mutating func varLong(_ value: Int64) {
        var v = UInt64(bitPattern: (value << 1) ^ (value >> 63))
        while v >= 0x80 {
            byte(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        byte(UInt8(v))
    }

    @inline(__always)
    mutating func bytes(_ bytes: UnsafeRawBufferPointer) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        (base + position).copyMemory(from: source, byteCount: bytes.count)
        position += bytes.count
    }
}
