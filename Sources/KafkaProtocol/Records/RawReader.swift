/// A cursor over raw bytes for the record decoders' hot path: varints and fixed fields
/// read straight from memory, every read bounds-checked against `end`.
struct RawReader {
    let base: UnsafeRawPointer
    var position: Int
    var end: Int

    init(_ bytes: UnsafeRawBufferPointer) {
        // An empty buffer may have no base address; any non-null pointer works since no
        // read happens when `end` is 0.
        base = bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!
        position = 0
        end = bytes.count
    }

    var remaining: Int { end - position }

    @inline(__always)
    mutating func byte(_ what: @autoclosure () -> String) throws -> UInt8 {
        guard position < end else { throw ProtocolError.truncated(what(), need: 1, have: 0) }
        let value = base.load(fromByteOffset: position, as: UInt8.self)
        position += 1
        return value
    }

    /// A zigzag varint (at most 5 bytes).
    @inline(__always)
    mutating func varInt(_ what: @autoclosure () -> String) throws -> Int32 {
        var result: UInt32 = 0
        var shift: UInt32 = 0
        while true {
            guard position < end else { throw ProtocolError.truncated(what(), need: 1, have: 0) }
            let b = base.load(fromByteOffset: position, as: UInt8.self)
            position += 1
            if shift == 28 && b > 0x0F { throw ProtocolError(.invalidValue, "\(what()) varint is longer than 32 bits") }
            result |= UInt32(b & 0x7F) << shift
            if b & 0x80 == 0 { break }
            shift += 7
        }
        return Int32(bitPattern: (result >> 1) ^ (0 &- (result & 1)))
    }

    /// A zigzag varlong (at most 10 bytes).
    @inline(__always)
    mutating func varLong(_ what: @autoclosure () -> String) throws -> Int64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < end else { throw ProtocolError.truncated(what(), need: 1, have: 0) }
            let b = base.load(fromByteOffset: position, as: UInt8.self)
            position += 1
            if shift == 63 && b > 0x01 { throw ProtocolError(.invalidValue, "\(what()) varlong is longer than 64 bits") }
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { break }
            shift += 7
        }
        return Int64(bitPattern: (result >> 1) ^ (0 &- (result & 1)))
    }

    /// Skips `count` bytes, which must be there.
    @inline(__always)
    mutating func skip(_ count: Int, _ what: @autoclosure () -> String) throws {
        guard count <= end - position else { throw ProtocolError.truncated(what(), need: count, have: end - position) }
        position += count
    }

    /// A big-endian fixed-width integer.
    @inline(__always)
    mutating func fixed<T: FixedWidthInteger>(_: T.Type, _ what: @autoclosure () -> String) throws -> T {
        let size = MemoryLayout<T>.size
        guard size <= end - position else { throw ProtocolError.truncated(what(), need: size, have: end - position) }
        let value = T(bigEndian: base.loadUnaligned(fromByteOffset: position, as: T.self))
        position += size
        return value
    }
}
