import KafkaProtocol
import NIOCore
import Testing

private func bytes(_ buffer: ByteBuffer) -> [UInt8] {
    Array(buffer.readableBytesView)
}

private func expectProtocolError(
    _ code: ProtocolError.Code,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> Void
) {
    do {
        try body()
        Issue.record("expected ProtocolError.\(code.rawValue), nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as ProtocolError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected ProtocolError.\(code.rawValue), got \(error)", sourceLocation: sourceLocation)
    }
}

@Suite("Primitives")
struct PrimitiveTests {
    // MARK: varints

    static let varIntVectors: [(Int32, [UInt8])] = [
        (0, [0x00]),
        (-1, [0x01]),
        (1, [0x02]),
        (63, [0x7E]),
        (-64, [0x7F]),
        (64, [0x80, 0x01]),
        (-65, [0x81, 0x01]),
        (Int32.max, [0xFE, 0xFF, 0xFF, 0xFF, 0x0F]),
        (Int32.min, [0xFF, 0xFF, 0xFF, 0xFF, 0x0F]),
    ]

    @Test("zigzag varint known vectors", arguments: varIntVectors)
    func varInt(_ value: Int32, _ expected: [UInt8]) throws {
        var buffer = ByteBuffer()
        buffer.writeVarInt(value)
        #expect(bytes(buffer) == expected)
        #expect(ByteBuffer.varIntSize(value) == expected.count)
        #expect(try buffer.readVarInt() == value)
        #expect(buffer.readableBytes == 0)
    }

    static let varLongVectors: [(Int64, [UInt8])] = [
        (0, [0x00]),
        (-1, [0x01]),
        (1, [0x02]),
        (63, [0x7E]),
        (-64, [0x7F]),
        (64, [0x80, 0x01]),
        (Int64(Int32.max), [0xFE, 0xFF, 0xFF, 0xFF, 0x0F]),
        (Int64.max, [0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]),
        (Int64.min, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]),
    ]

    @Test("zigzag varlong known vectors", arguments: varLongVectors)
    func varLong(_ value: Int64, _ expected: [UInt8]) throws {
        var buffer = ByteBuffer()
        buffer.writeVarLong(value)
        #expect(bytes(buffer) == expected)
        #expect(ByteBuffer.varLongSize(value) == expected.count)
        #expect(try buffer.readVarLong() == value)
        #expect(buffer.readableBytes == 0)
    }

    @Test("unsigned varint: 300 and UInt32.max")
    func unsignedVarInt() throws {
        var buffer = ByteBuffer()
        buffer.writeUnsignedVarInt(300)
        buffer.writeUnsignedVarInt(UInt32.max)
        #expect(bytes(buffer) == [0xAC, 0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F])
        #expect(try buffer.readUnsignedVarInt() == 300)
        #expect(try buffer.readUnsignedVarInt() == UInt32.max)
    }

    @Test("unsigned varint longer than 32 bits is rejected")
    func overlongUnsignedVarInt() {
        // Fifth byte with bits above the 32nd.
        expectProtocolError(.invalidValue) {
            var buffer = ByteBuffer(bytes: [0xFF, 0xFF, 0xFF, 0xFF, 0x10])
            _ = try buffer.readUnsignedVarInt()
        }
        // Six bytes: the fifth still has its continuation bit.
        expectProtocolError(.invalidValue) {
            var buffer = ByteBuffer(bytes: [0x80, 0x80, 0x80, 0x80, 0x80, 0x00])
            _ = try buffer.readUnsignedVarInt()
        }
        // The same for a zigzag varint.
        expectProtocolError(.invalidValue) {
            var buffer = ByteBuffer(bytes: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])
            _ = try buffer.readVarInt()
        }
        // And an 11-byte varlong.
        expectProtocolError(.invalidValue) {
            var buffer = ByteBuffer(bytes: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02])
            _ = try buffer.readUnsignedVarLong()
        }
    }

    @Test("a varint cut short is .truncated")
    func truncatedVarInt() {
        expectProtocolError(.truncated) {
            var buffer = ByteBuffer(bytes: [0x80, 0x80])
            _ = try buffer.readVarInt()
        }
        expectProtocolError(.truncated) {
            var buffer = ByteBuffer()
            _ = try buffer.readUnsignedVarLong()
        }
    }

    // MARK: fixed width

    @Test("fixed-width integers are big-endian")
    func fixedWidth() throws {
        var buffer = ByteBuffer()
        buffer.writeKafkaInt8(-2)
        buffer.writeKafkaInt16(0x0102)
        buffer.writeKafkaUInt16(0xFFFE)
        buffer.writeKafkaInt32(-2)
        buffer.writeKafkaUInt32(0x0A0B_0C0D)
        buffer.writeKafkaInt64(0x0102_0304_0506_0708)
        buffer.writeKafkaFloat64(1.5)
        buffer.writeKafkaBool(true)
        buffer.writeKafkaBool(false)
        #expect(
            bytes(buffer) == [
                0xFE, 0x01, 0x02, 0xFF, 0xFE, 0xFF, 0xFF, 0xFF, 0xFE, 0x0A, 0x0B, 0x0C, 0x0D,
                0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
                0x3F, 0xF8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00,
            ]
        )
        #expect(try buffer.readKafkaInt8() == -2)
        #expect(try buffer.readKafkaInt16() == 0x0102)
        #expect(try buffer.readKafkaUInt16() == 0xFFFE)
        #expect(try buffer.readKafkaInt32() == -2)
        #expect(try buffer.readKafkaUInt32() == 0x0A0B_0C0D)
        #expect(try buffer.readKafkaInt64() == 0x0102_0304_0506_0708)
        #expect(try buffer.readKafkaFloat64() == 1.5)
        #expect(try buffer.readKafkaBool() == true)
        #expect(try buffer.readKafkaBool() == false)
    }

    @Test("fixed-width reads from too few bytes are .truncated and consume nothing")
    func truncatedFixedWidth() {
        var buffer = ByteBuffer(bytes: [0x00, 0x01])
        expectProtocolError(.truncated) { _ = try buffer.readKafkaInt32() }
        expectProtocolError(.truncated) { _ = try buffer.readKafkaInt64() }
        expectProtocolError(.truncated) { _ = try buffer.readKafkaUUID() }
        #expect(buffer.readableBytes == 2)
    }

    // MARK: strings

    @Test("classic strings: int16 length; compact strings: unsigned varint length + 1")
    func stringForms() throws {
        var classic = ByteBuffer()
        try classic.writeKafkaString("abc", compact: false, field: "test")
        try classic.writeKafkaNullableString(nil, compact: false, field: "test")
        try classic.writeKafkaString("", compact: false, field: "test")
        #expect(bytes(classic) == [0x00, 0x03, 0x61, 0x62, 0x63, 0xFF, 0xFF, 0x00, 0x00])
        #expect(try classic.readKafkaString(compact: false) == "abc")
        #expect(try classic.readKafkaNullableString(compact: false) == nil)
        #expect(try classic.readKafkaNullableString(compact: false) == "")

        var compact = ByteBuffer()
        try compact.writeKafkaString("abc", compact: true, field: "test")
        try compact.writeKafkaNullableString(nil, compact: true, field: "test")
        try compact.writeKafkaString("", compact: true, field: "test")
        #expect(bytes(compact) == [0x04, 0x61, 0x62, 0x63, 0x00, 0x01])
        #expect(try compact.readKafkaString(compact: true) == "abc")
        #expect(try compact.readKafkaNullableString(compact: true) == nil)
        #expect(try compact.readKafkaNullableString(compact: true) == "")
    }

    @Test("string lengths count UTF-8 bytes, not characters")
    func utf8Length() throws {
        var buffer = ByteBuffer()
        try buffer.writeKafkaString("é€", compact: false, field: "test")
        #expect(bytes(buffer) == [0x00, 0x05, 0xC3, 0xA9, 0xE2, 0x82, 0xAC])
        #expect(try buffer.readKafkaString(compact: false) == "é€")
    }

    @Test("a null where a string must be is .invalidValue, naming the field")
    func nullString() {
        var buffer = ByteBuffer(bytes: [0xFF, 0xFF])
        do {
            _ = try buffer.readKafkaString(compact: false, field: "Test.Name")
            Issue.record("no error")
        } catch let error as ProtocolError {
            #expect(error.code == .invalidValue)
            #expect(error.message.contains("Test.Name"))
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test("string errors: truncated, negative length, invalid UTF-8")
    func badStrings() {
        expectProtocolError(.truncated) {
            var buffer = ByteBuffer(bytes: [0x00, 0x05, 0x61, 0x62])
            _ = try buffer.readKafkaString(compact: false)
        }
        expectProtocolError(.truncated) {
            var buffer = ByteBuffer(bytes: [0x06, 0x61])
            _ = try buffer.readKafkaString(compact: true)
        }
        expectProtocolError(.invalidValue) {
            var buffer = ByteBuffer(bytes: [0xFF, 0xFE])  // -2
            _ = try buffer.readKafkaNullableString(compact: false)
        }
        expectProtocolError(.invalidUTF8) {
            var buffer = ByteBuffer(bytes: [0x00, 0x02, 0xC3, 0x28])
            _ = try buffer.readKafkaString(compact: false)
        }
    }

    @Test("a classic string longer than 32767 bytes is refused, a compact one is not")
    func longStrings() throws {
        let long = String(repeating: "x", count: 32768)
        var buffer = ByteBuffer()
        expectProtocolError(.invalidValue) { try buffer.writeKafkaString(long, compact: false, field: "Test.Long") }
        expectProtocolError(.invalidValue) { try buffer.writeKafkaNullableString(long, compact: false, field: "Test.Long") }
        #expect(buffer.readableBytes == 0)
        try buffer.writeKafkaString(String(repeating: "x", count: 32767), compact: false, field: "Test.Max")
        #expect(try buffer.readKafkaString(compact: false).utf8.count == 32767)
        try buffer.writeKafkaString(long, compact: true, field: "Test.Long")
        #expect(try buffer.readKafkaString(compact: true) == long)
    }

    // MARK: bytes

    @Test("bytes: int32 length or compact; null forms")
    func bytesForms() throws {
        var buffer = ByteBuffer()
        buffer.writeKafkaBytes(ByteBuffer(bytes: [1, 2]), compact: false)
        buffer.writeKafkaNullableBytes(nil, compact: false)
        buffer.writeKafkaBytes(ByteBuffer(bytes: [3]), compact: true)
        buffer.writeKafkaNullableBytes(nil, compact: true)
        #expect(bytes(buffer) == [0x00, 0x00, 0x00, 0x02, 1, 2, 0xFF, 0xFF, 0xFF, 0xFF, 0x02, 3, 0x00])
        #expect(try buffer.readKafkaBytes(compact: false) == ByteBuffer(bytes: [1, 2]))
        #expect(try buffer.readKafkaNullableBytes(compact: false) == nil)
        #expect(try buffer.readKafkaBytes(compact: true) == ByteBuffer(bytes: [3]))
        #expect(try buffer.readKafkaNullableBytes(compact: true) == nil)
        expectProtocolError(.truncated) {
            var short = ByteBuffer(bytes: [0x00, 0x00, 0x00, 0x09, 1])
            _ = try short.readKafkaBytes(compact: false)
        }
        expectProtocolError(.invalidValue) {
            var null = ByteBuffer(bytes: [0x00])
            _ = try null.readKafkaBytes(compact: true, field: "Test.Bytes")
        }
    }

    // MARK: arrays

    @Test("array counts: int32 or compact; null is -1 or 0")
    func arrayForms() throws {
        var buffer = ByteBuffer()
        buffer.writeKafkaArray([Int32(7), 8], compact: false) { $0.writeKafkaInt32($1) }
        buffer.writeKafkaNullableArray(nil as [Int32]?, compact: false) { $0.writeKafkaInt32($1) }
        buffer.writeKafkaArray([Int16(9)], compact: true) { $0.writeKafkaInt16($1) }
        buffer.writeKafkaNullableArray(nil as [Int16]?, compact: true) { $0.writeKafkaInt16($1) }
        #expect(
            bytes(buffer) == [
                0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00, 0x08,
                0xFF, 0xFF, 0xFF, 0xFF,
                0x02, 0x00, 0x09,
                0x00,
            ]
        )
        #expect(try buffer.readKafkaArray(compact: false, field: "A") { try $0.readKafkaInt32() } == [7, 8])
        #expect(try buffer.readKafkaNullableArray(compact: false) { try $0.readKafkaInt32() } == nil)
        #expect(try buffer.readKafkaArray(compact: true, field: "B") { try $0.readKafkaInt16() } == [9])
        #expect(try buffer.readKafkaNullableArray(compact: true) { try $0.readKafkaInt16() } == nil)
    }

    @Test("an array count larger than the bytes left is refused before allocating")
    func oversizedArrayCount() {
        expectProtocolError(.invalidValue) {
            var buffer = ByteBuffer(bytes: [0x7F, 0xFF, 0xFF, 0xFF, 0x00])
            _ = try buffer.readKafkaArray(compact: false, field: "Test.Items") { try $0.readKafkaInt8() }
        }
        expectProtocolError(.invalidValue) {
            var buffer = ByteBuffer(bytes: [0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x00])  // compact count 2^32 - 2
            _ = try buffer.readKafkaNullableArray(compact: true) { try $0.readKafkaInt8() }
        }
        // A count that fits the bytes but whose elements do not: the element read runs out.
        expectProtocolError(.truncated) {
            var buffer = ByteBuffer(bytes: [0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01])
            _ = try buffer.readKafkaArray(compact: false, field: "Test.Items") { try $0.readKafkaInt32() }
        }
        expectProtocolError(.invalidValue) {
            var buffer = ByteBuffer(bytes: [0xFF, 0xFF, 0xFF, 0xFF])
            _ = try buffer.readKafkaArray(compact: false, field: "Test.Items") { try $0.readKafkaInt32() }
        }
    }

    // MARK: UUID and tagged fields

    @Test("UUID: 16 bytes, most significant first")
    func uuid() throws {
        let id = KafkaUUID(high: 0x0102_0304_0506_0708, low: 0x090A_0B0C_0D0E_0F10)
        var buffer = ByteBuffer()
        buffer.writeKafkaUUID(id)
        #expect(bytes(buffer) == Array(1...16))
        #expect(try buffer.readKafkaUUID() == id)
    }

    @Test("tagged fields: sorted on write, strictly increasing on read")
    func taggedFields() throws {
        var buffer = ByteBuffer()
        buffer.writeTaggedFields([
            TaggedField(tag: 5, data: ByteBuffer(bytes: [0xAA])),
            TaggedField(tag: 1, data: ByteBuffer(bytes: [])),
        ])
        #expect(bytes(buffer) == [0x02, 0x01, 0x00, 0x05, 0x01, 0xAA])
        let fields = try buffer.readTaggedFields()
        #expect(fields == [TaggedField(tag: 1, data: ByteBuffer()), TaggedField(tag: 5, data: ByteBuffer(bytes: [0xAA]))])

        expectProtocolError(.invalidValue) {
            var unordered = ByteBuffer(bytes: [0x02, 0x05, 0x00, 0x01, 0x00])
            _ = try unordered.readTaggedFields()
        }
        expectProtocolError(.truncated) {
            var short = ByteBuffer(bytes: [0x01, 0x05, 0x03, 0xAA])
            _ = try short.readTaggedFields()
        }
    }
}
