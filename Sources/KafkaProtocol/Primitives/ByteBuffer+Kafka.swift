import NIOCore

// Kafka's primitive types on ByteBuffer. `read…` consume bytes and throw `ProtocolError`
// when the buffer is short or a value is invalid; `write…` append. Integers are big-endian.
// "compact" forms (flexible versions) use unsigned varint lengths + 1.

extension ByteBuffer {
    // MARK: fixed-width integers

    @inlinable
    @usableFromInline mutating func readFixed<T: FixedWidthInteger>(_ type: T.Type, _ what: @autoclosure () -> String) throws -> T {
        guard let value = readInteger(endianness: .big, as: T.self) else {
            throw ProtocolError.truncated(what(), need: MemoryLayout<T>.size, have: readableBytes)
        }
        return value
    }

    /// Reads an `int8`.
    @inlinable public mutating func readKafkaInt8() throws -> Int8 { try readFixed(Int8.self, "int8") }
    /// Reads an `int16`.
    @inlinable public mutating func readKafkaInt16() throws -> Int16 { try readFixed(Int16.self, "int16") }
    /// Reads a `uint16`.
    @inlinable public mutating func readKafkaUInt16() throws -> UInt16 { try readFixed(UInt16.self, "uint16") }
    /// Reads an `int32`.
    @inlinable public mutating func readKafkaInt32() throws -> Int32 { try readFixed(Int32.self, "int32") }
    /// Reads a `uint32`.
    @inlinable public mutating func readKafkaUInt32() throws -> UInt32 { try readFixed(UInt32.self, "uint32") }
    /// Reads an `int64`.
    @inlinable public mutating func readKafkaInt64() throws -> Int64 { try readFixed(Int64.self, "int64") }

    /// Reads a `float64` (IEEE 754, big-endian).
    @inlinable public mutating func readKafkaFloat64() throws -> Double {
        Double(bitPattern: try readFixed(UInt64.self, "float64"))
    }

    /// Reads a `boolean` (any non-zero byte is true).
    @inlinable public mutating func readKafkaBool() throws -> Bool { try readFixed(UInt8.self, "boolean") != 0 }

    /// Writes an `int8`.
    @inlinable public mutating func writeKafkaInt8(_ v: Int8) { writeInteger(v, endianness: .big) }
    /// Writes an `int16`.
    @inlinable public mutating func writeKafkaInt16(_ v: Int16) { writeInteger(v, endianness: .big) }
    /// Writes a `uint16`.
    @inlinable public mutating func writeKafkaUInt16(_ v: UInt16) { writeInteger(v, endianness: .big) }
    /// Writes an `int32`.
    @inlinable public mutating func writeKafkaInt32(_ v: Int32) { writeInteger(v, endianness: .big) }
    /// Writes a `uint32`.
    @inlinable public mutating func writeKafkaUInt32(_ v: UInt32) { writeInteger(v, endianness: .big) }
    /// Writes an `int64`.
    @inlinable public mutating func writeKafkaInt64(_ v: Int64) { writeInteger(v, endianness: .big) }
    /// Writes a `float64`.
    @inlinable public mutating func writeKafkaFloat64(_ v: Double) { writeInteger(v.bitPattern, endianness: .big) }
    /// Writes a `boolean`.
    @inlinable public mutating func writeKafkaBool(_ v: Bool) { writeInteger(v ? 1 : 0, as: UInt8.self) }

    // MARK: varints

    /// Reads an unsigned varint (at most 5 bytes, 32 bits).
    @inlinable public mutating func readUnsignedVarInt() throws -> UInt32 {
        var result: UInt32 = 0
        var shift: UInt32 = 0
        while true {
            guard let byte = readInteger(as: UInt8.self) else {
                throw ProtocolError.truncated("unsigned varint", need: 1, have: 0)
            }
            if shift == 28 && byte > 0x0F {
                throw ProtocolError(.invalidValue, "unsigned varint is longer than 32 bits")
            }
            result |= UInt32(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
    }

    /// Reads an unsigned varlong (at most 10 bytes, 64 bits).
    @inlinable public mutating func readUnsignedVarLong() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard let byte = readInteger(as: UInt8.self) else {
                throw ProtocolError.truncated("unsigned varlong", need: 1, have: 0)
            }
            if shift == 63 && byte > 0x01 {
                throw ProtocolError(.invalidValue, "unsigned varlong is longer than 64 bits")
            }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
    }

    /// Reads a zigzag-encoded signed varint (`int32`).
    @inlinable public mutating func readVarInt() throws -> Int32 {
        let raw = try readUnsignedVarInt()
        return Int32(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    /// Reads a zigzag-encoded signed varlong (`int64`).
    @inlinable public mutating func readVarLong() throws -> Int64 {
        let raw = try readUnsignedVarLong()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    /// Writes an unsigned varint.
    @inlinable public mutating func writeUnsignedVarInt(_ value: UInt32) {
        var v = value
        while v >= 0x80 {
            writeInteger(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        writeInteger(UInt8(v))
    }

    /// Writes an unsigned varlong.
    @inlinable public mutating func writeUnsignedVarLong(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            writeInteger(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        writeInteger(UInt8(v))
    }

    /// Writes a zigzag-encoded signed varint.
    @inlinable public mutating func writeVarInt(_ value: Int32) {
        writeUnsignedVarInt(UInt32(bitPattern: (value << 1) ^ (value >> 31)))
    }

    /// Writes a zigzag-encoded signed varlong.
    @inlinable public mutating func writeVarLong(_ value: Int64) {
        writeUnsignedVarLong(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    /// The number of bytes `writeVarInt` uses for `value`.
    @inlinable public static func varIntSize(_ value: Int32) -> Int {
        unsignedVarIntSize(UInt32(bitPattern: (value << 1) ^ (value >> 31)))
    }

    /// The number of bytes `writeVarLong` uses for `value`.
    @inlinable public static func varLongSize(_ value: Int64) -> Int {
        var v = UInt64(bitPattern: (value << 1) ^ (value >> 63))
        var n = 1
        while v >= 0x80 {
            v >>= 7
            n += 1
        }
        return n
    }

    /// The number of bytes `writeUnsignedVarInt` uses for `value`.
    @inlinable public static func unsignedVarIntSize(_ value: UInt32) -> Int {
        var v = value
        var n = 1
        while v >= 0x80 {
            v >>= 7
            n += 1
        }
        return n
    }

    // MARK: lengths

    /// Reads a length prefix: `int16`/`int32` (classic) or unsigned varint minus one
    /// (compact). Returns `nil` for null (-1).
    @inlinable
    @usableFromInline mutating func readLength(compact: Bool, wide: Bool, _ what: String) throws -> Int? {
        let length: Int
        if compact {
            length = Int(try readUnsignedVarInt()) - 1
        } else if wide {
            length = Int(try readKafkaInt32())
        } else {
            length = Int(try readKafkaInt16())
        }
        if length < -1 { throw ProtocolError(.invalidValue, "\(what) has negative length \(length)") }
        return length == -1 ? nil : length
    }

    @inlinable
    @usableFromInline mutating func writeLength(_ length: Int?, compact: Bool, wide: Bool) {
        let value = length ?? -1
        if compact {
            writeUnsignedVarInt(UInt32(value + 1))
        } else if wide {
            writeKafkaInt32(Int32(value))
        } else {
            writeKafkaInt16(Int16(value))
        }
    }

    // MARK: strings

    /// Reads a nullable string (`int16` length, or compact).
    public mutating func readKafkaNullableString(compact: Bool) throws -> String? {
        guard let length = try readLength(compact: compact, wide: false, "string") else { return nil }
        guard let view = readSlice(length: length) else {
            throw ProtocolError.truncated("string", need: length, have: readableBytes)
        }
        guard let text = String(validating: view.readableBytesView, as: UTF8.self) else {
            throw ProtocolError(.invalidUTF8, "string of \(length) bytes is not valid UTF-8")
        }
        return text
    }

    /// Reads a non-null string.
    public mutating func readKafkaString(compact: Bool) throws -> String {
        guard let text = try readKafkaNullableString(compact: compact) else {
            throw ProtocolError(.invalidValue, "non-nullable string is null")
        }
        return text
    }

    /// Writes a nullable string. Internal: a classic string over 32767 bytes cannot be
    /// written; the public `writeKafkaNullableString(_:compact:field:)` checks that first.
    @usableFromInline mutating func writeKafkaNullableString(_ value: String?, compact: Bool) {
        guard let value else {
            writeLength(nil, compact: compact, wide: false)
            return
        }
        writeLength(value.utf8.count, compact: compact, wide: false)
        writeString(value)
    }

    /// Writes a non-null string (internal; see `writeKafkaString(_:compact:field:)`).
    @usableFromInline mutating func writeKafkaString(_ value: String, compact: Bool) {
        writeKafkaNullableString(value, compact: compact)
    }

    // MARK: bytes

    /// Reads nullable bytes (`int32` length, or compact) as a slice sharing this buffer's storage.
    public mutating func readKafkaNullableBytes(compact: Bool) throws -> ByteBuffer? {
        guard let length = try readLength(compact: compact, wide: true, "bytes") else { return nil }
        guard let slice = readSlice(length: length) else {
            throw ProtocolError.truncated("bytes", need: length, have: readableBytes)
        }
        return slice
    }

    /// Reads non-null bytes.
    public mutating func readKafkaBytes(compact: Bool) throws -> ByteBuffer {
        guard let bytes = try readKafkaNullableBytes(compact: compact) else {
            throw ProtocolError(.invalidValue, "non-nullable bytes are null")
        }
        return bytes
    }

    /// Writes nullable bytes.
    public mutating func writeKafkaNullableBytes(_ value: ByteBuffer?, compact: Bool) {
        guard let value else {
            writeLength(nil, compact: compact, wide: true)
            return
        }
        writeLength(value.readableBytes, compact: compact, wide: true)
        writeImmutableBuffer(value)
    }

    /// Writes non-null bytes.
    public mutating func writeKafkaBytes(_ value: ByteBuffer, compact: Bool) {
        writeKafkaNullableBytes(value, compact: compact)
    }

    // MARK: arrays

    /// Reads an array length (`int32`, or compact); `nil` for a null array. Rejects counts
    /// larger than the bytes left, so a corrupt count cannot make the decoder allocate.
    public mutating func readKafkaArrayCount(compact: Bool) throws -> Int? {
        guard let count = try readLength(compact: compact, wide: true, "array") else { return nil }
        if count > readableBytes {
            throw ProtocolError(.invalidValue, "array claims \(count) elements but only \(readableBytes) bytes are left")
        }
        return count
    }

    /// Writes an array length; `nil` for a null array.
    public mutating func writeKafkaArrayCount(_ count: Int?, compact: Bool) {
        writeLength(count, compact: compact, wide: true)
    }

    // MARK: UUID

    /// Reads a 16-byte UUID.
    public mutating func readKafkaUUID() throws -> KafkaUUID {
        KafkaUUID(high: try readFixed(UInt64.self, "uuid"), low: try readFixed(UInt64.self, "uuid"))
    }

    /// Writes a 16-byte UUID.
    public mutating func writeKafkaUUID(_ value: KafkaUUID) {
        writeInteger(value.high, endianness: .big)
        writeInteger(value.low, endianness: .big)
    }

    // MARK: tagged fields

    /// Reads a tagged-field section, calling `known` for each tag; tags it does not handle
    /// (returns `false`) are returned raw. Tags must be strictly increasing.
    public mutating func readTaggedFields(_ known: (UInt32, inout ByteBuffer) throws -> Bool = { _, _ in false }) throws
        -> [TaggedField]
    {
        let count = try readUnsignedVarInt()
        if count > readableBytes {
            throw ProtocolError(.invalidValue, "tagged-field section claims \(count) fields but only \(readableBytes) bytes are left")
        }
        var unknown: [TaggedField] = []
        var previous: Int64 = -1
        for _ in 0..<count {
            let tag = try readUnsignedVarInt()
            if Int64(tag) <= previous {
                throw ProtocolError(.invalidValue, "tagged field \(tag) follows tag \(previous); tags must increase")
            }
            previous = Int64(tag)
            let size = Int(try readUnsignedVarInt())
            guard var data = readSlice(length: size) else {
                throw ProtocolError.truncated("tagged field \(tag)", need: size, have: readableBytes)
            }
            let original = data
            if try !known(tag, &data) { unknown.append(TaggedField(tag: tag, data: original)) }
        }
        return unknown
    }

    /// Writes a tagged-field section from fields already encoded, sorted by tag.
    public mutating func writeTaggedFields(_ fields: [TaggedField]) {
        let sorted = fields.sorted { $0.tag < $1.tag }
        writeUnsignedVarInt(UInt32(sorted.count))
        for field in sorted {
            writeUnsignedVarInt(field.tag)
            writeUnsignedVarInt(UInt32(field.data.readableBytes))
            writeImmutableBuffer(field.data)
        }
    }
}
