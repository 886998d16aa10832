import Foundation
import NIOCore
import Testing

@testable import KafkaStreams

/// A `Codable` payload for the JSON serde tests.
private struct SerdeTestPayment: Codable, Equatable, Sendable {
    var card: String
    var amount: Double
    var tags: [String]
}

/// A wrapper type for the `Serde.map` tests.
private struct SerdeTestMillis: Equatable, Sendable {
    var value: Int64
}

/// Runs `body`, which must throw a ``SerdeError``, and returns the error's message.
private func serdeErrorMessage(
    _ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation
) -> String {
    do {
        try body()
        Issue.record("expected a SerdeError, nothing was thrown", sourceLocation: sourceLocation)
        return ""
    } catch let error as SerdeError {
        #expect(error.description == error.message, sourceLocation: sourceLocation)
        return error.message
    } catch {
        Issue.record("expected a SerdeError, got \(type(of: error)): \(error)", sourceLocation: sourceLocation)
        return ""
    }
}

@Suite("Serdes")
struct SerdeTests {

    // MARK: - String

    @Test func stringRoundTripsAndIsUTF8() throws {
        let serde = Serde<String>.string
        #expect(serde.name == "String")
        #expect(try serde.serialize("é") == [0xC3, 0xA9])
        #expect(try serde.serialize("abc") == [0x61, 0x62, 0x63])
        #expect(try serde.serialize("") == [])
        #expect(try serde.serialize("€😀") == [0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x98, 0x80])
        #expect(try serde.deserialize([0xC3, 0xA9] as [UInt8]) == "é")
        #expect(try serde.deserialize([] as [UInt8]) == "")
        for text in ["", "hello", "é", "日本語", "a\u{0}b", "€😀", String(repeating: "x", count: 10_000)] {
            #expect(try serde.deserialize(serde.serialize(text)) == text)
        }
    }

    /// Regression test: `Serde.string` documents "Invalid UTF-8 is rejected", but it first
    /// decoded with `ByteBuffer.readString(length:)`, which repairs invalid sequences with
    /// U+FFFD instead of failing. (Java's `StringDeserializer` repairs too; this library
    /// chose to reject.)
    @Test func stringRejectsInvalidUTF8() {
        for bytes: [UInt8] in [[0xFF], [0xC3], [0x61, 0xC3, 0x28], [0xED, 0xA0, 0x80], [0xC0, 0xAF]] {
            let message = serdeErrorMessage { _ = try Serde<String>.string.deserialize(bytes) }
            #expect(message.contains("String"), "bytes \(bytes): \(message)")
            #expect(message.contains("UTF-8"), "bytes \(bytes): \(message)")
        }
    }

    @Test func stringRejectsNull() {
        let message = serdeErrorMessage { _ = try Serde<String>.string.deserialize(nil as [UInt8]?) }
        #expect(message.contains("String"))
        #expect(message.contains("null"))
        #expect(message.contains(".optional"))
    }

    // MARK: - Bytes

    @Test func bytesAreUnchanged() throws {
        let serde = Serde<[UInt8]>.bytes
        #expect(serde.name == "Bytes")
        let all = (0...255).map { UInt8($0) }
        #expect(try serde.serialize(all) == all)
        #expect(try serde.deserialize(all) == all)
        #expect(try serde.serialize([]) == [])
        #expect(try serde.deserialize([] as [UInt8]) == [])
        #expect(throws: SerdeError.self) { _ = try serde.deserialize(nil as [UInt8]?) }
    }

    // MARK: - Int32

    @Test func int32MatchesJavaIntegerSerde() throws {
        let serde = Serde<Int32>.int32
        #expect(serde.name == "Int32")
        #expect(try serde.serialize(1) == [0, 0, 0, 1])
        #expect(try serde.serialize(-1) == [0xFF, 0xFF, 0xFF, 0xFF])
        #expect(try serde.serialize(0) == [0, 0, 0, 0])
        #expect(try serde.serialize(256) == [0, 0, 1, 0])
        #expect(try serde.serialize(0x0102_0304) == [1, 2, 3, 4])
        #expect(try serde.serialize(.max) == [0x7F, 0xFF, 0xFF, 0xFF])
        #expect(try serde.serialize(.min) == [0x80, 0, 0, 0])
        #expect(try serde.deserialize([0xFF, 0xFF, 0xFF, 0xFE] as [UInt8]) == -2)
        #expect(try serde.deserialize([0x80, 0, 0, 0] as [UInt8]) == .min)
        for value: Int32 in [0, 1, -1, 42, -42, .max, .min, 123_456_789] {
            #expect(try serde.deserialize(serde.serialize(value)) == value)
        }
    }

    @Test func int32RejectsWrongSizes() {
        for bytes: [UInt8] in [[], [1], [1, 2, 3], [1, 2, 3, 4, 5], [0, 0, 0, 0, 0, 0, 0, 1]] {
            let message = serdeErrorMessage { _ = try Serde<Int32>.int32.deserialize(bytes) }
            #expect(message == "Size of data received by Int32 is not 4 (got \(bytes.count) bytes)")
        }
        #expect(throws: SerdeError.self) { _ = try Serde<Int32>.int32.deserialize(nil as [UInt8]?) }
    }

    // MARK: - Int64

    @Test func int64MatchesJavaLongSerde() throws {
        let serde = Serde<Int64>.int64
        #expect(serde.name == "Int64")
        #expect(try serde.serialize(1) == [0, 0, 0, 0, 0, 0, 0, 1])
        #expect(try serde.serialize(-1) == [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
        #expect(try serde.serialize(0x0102_0304_0506_0708) == [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(try serde.serialize(.max) == [0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
        #expect(try serde.serialize(.min) == [0x80, 0, 0, 0, 0, 0, 0, 0])
        #expect(try serde.deserialize([0, 0, 0, 0, 0, 0, 1, 0] as [UInt8]) == 256)
        for value: Int64 in [0, 1, -1, 1_700_000_000_000, -9_999_999_999, .max, .min] {
            #expect(try serde.deserialize(serde.serialize(value)) == value)
        }
    }

    @Test func int64RejectsWrongSizes() {
        for bytes: [UInt8] in [[], [1, 2, 3], [0, 0, 0, 1], [1, 2, 3, 4, 5, 6, 7], [1, 2, 3, 4, 5, 6, 7, 8, 9]] {
            let message = serdeErrorMessage { _ = try Serde<Int64>.int64.deserialize(bytes) }
            #expect(message == "Size of data received by Int64 is not 8 (got \(bytes.count) bytes)")
        }
        let nullMessage = serdeErrorMessage { _ = try Serde<Int64>.int64.deserialize(nil as [UInt8]?) }
        #expect(nullMessage.contains("Int64"))
        #expect(nullMessage.contains("null"))
    }

    /// Deserializing from a `ByteBuffer` uses only its readable bytes, not bytes already read.
    @Test func deserializeFromByteBufferUsesReadableBytesOnly() throws {
        var buffer = ByteBuffer(bytes: [0xAA, 0xBB, 0, 0, 0, 0, 0, 0, 0, 7])
        buffer.moveReaderIndex(forwardBy: 2)
        #expect(try Serde<Int64>.int64.deserialize(buffer) == 7)
        #expect(throws: SerdeError.self) { _ = try Serde<Int64>.int64.deserialize(nil as ByteBuffer?) }
    }

    /// `serialize(_:into:)` appends after what the buffer already holds and reports non-null.
    @Test func serializeIntoAppends() throws {
        var buffer = ByteBuffer(bytes: [9, 9])
        #expect(try Serde<Int32>.int32.serialize(-2, into: &buffer) == true)
        #expect(Array(buffer.readableBytesView) == [9, 9, 0xFF, 0xFF, 0xFF, 0xFE])
        #expect(try Serde<String>.string.serialize("é", into: &buffer) == true)
        #expect(Array(buffer.readableBytesView) == [9, 9, 0xFF, 0xFF, 0xFF, 0xFE, 0xC3, 0xA9])
    }

    // MARK: - Double and Float

    @Test func doubleMatchesJavaDoubleSerde() throws {
        let serde = Serde<Double>.double
        #expect(serde.name == "Double")
        #expect(try serde.serialize(1.0) == [0x3F, 0xF0, 0, 0, 0, 0, 0, 0])
        #expect(try serde.serialize(-2.5) == [0xC0, 0x04, 0, 0, 0, 0, 0, 0])
        #expect(try serde.serialize(0.0) == [0, 0, 0, 0, 0, 0, 0, 0])
        #expect(try serde.serialize(-0.0) == [0x80, 0, 0, 0, 0, 0, 0, 0])
        #expect(try serde.serialize(.infinity) == [0x7F, 0xF0, 0, 0, 0, 0, 0, 0])
        #expect(try serde.serialize(.nan) == [0x7F, 0xF8, 0, 0, 0, 0, 0, 0])
        #expect(try serde.deserialize([0x40, 0x09, 0x21, 0xFB, 0x54, 0x44, 0x2D, 0x18] as [UInt8]) == 3.141592653589793)
        for value in [0.0, 1.0, -1.5, 1e300, -1e-300, Double.pi, .greatestFiniteMagnitude, .leastNonzeroMagnitude, -.infinity] {
            #expect(try serde.deserialize(serde.serialize(value)) == value)
        }
        #expect(try serde.deserialize(serde.serialize(.nan)).isNaN)
        let negativeZero = try serde.deserialize(serde.serialize(-0.0))
        #expect(negativeZero == 0 && negativeZero.sign == .minus)
        let message = serdeErrorMessage { _ = try serde.deserialize([0x3F, 0xF0, 0, 0] as [UInt8]) }
        #expect(message == "Size of data received by Double is not 8 (got 4 bytes)")
    }

    @Test func floatMatchesJavaFloatSerde() throws {
        let serde = Serde<Float>.float
        #expect(serde.name == "Float")
        #expect(try serde.serialize(1.0) == [0x3F, 0x80, 0, 0])
        #expect(try serde.serialize(-2.0) == [0xC0, 0, 0, 0])
        #expect(try serde.serialize(0.5) == [0x3F, 0, 0, 0])
        #expect(try serde.serialize(-0.0) == [0x80, 0, 0, 0])
        #expect(try serde.serialize(.infinity) == [0x7F, 0x80, 0, 0])
        #expect(try serde.deserialize([0x40, 0x49, 0x0F, 0xDB] as [UInt8]) == 3.1415927)  // Java (float) Math.PI
        for value: Float in [0, 1, -1.25, 3.4e38, -1e-38, .pi, .greatestFiniteMagnitude, .leastNonzeroMagnitude] {
            #expect(try serde.deserialize(serde.serialize(value)) == value)
        }
        #expect(try serde.deserialize(serde.serialize(.nan)).isNaN)
        let message = serdeErrorMessage { _ = try serde.deserialize([0x3F, 0x80, 0, 0, 0, 0, 0, 0] as [UInt8]) }
        #expect(message == "Size of data received by Float is not 4 (got 8 bytes)")
    }

    // MARK: - Bool

    @Test func boolMatchesJavaBooleanSerde() throws {
        let serde = Serde<Bool>.bool
        #expect(serde.name == "Bool")
        #expect(try serde.serialize(true) == [0x01])
        #expect(try serde.serialize(false) == [0x00])
        #expect(try serde.deserialize([0x01] as [UInt8]) == true)
        #expect(try serde.deserialize([0x00] as [UInt8]) == false)
        let sizeMessage = serdeErrorMessage { _ = try serde.deserialize([0x01, 0x00] as [UInt8]) }
        #expect(sizeMessage == "Size of data received by Bool is not 1 (got 2 bytes)")
        let emptyMessage = serdeErrorMessage { _ = try serde.deserialize([] as [UInt8]) }
        #expect(emptyMessage == "Size of data received by Bool is not 1 (got 0 bytes)")
        let badByte = serdeErrorMessage { _ = try serde.deserialize([0x02] as [UInt8]) }
        #expect(badByte.contains("Bool"))
        #expect(badByte.contains("2"))
        #expect(throws: SerdeError.self) { _ = try serde.deserialize(nil as [UInt8]?) }
    }

    // MARK: - UUID

    @Test func uuidIsItsLowercaseStringForm() throws {
        let serde = Serde<UUID>.uuid
        #expect(serde.name == "UUID")
        let text = "123e4567-e89b-12d3-a456-426614174000"
        let uuid = try #require(UUID(uuidString: text.uppercased()))
        let bytes = try #require(try serde.serialize(uuid))
        #expect(bytes.count == 36)
        #expect(bytes == Array(text.utf8))
        #expect(try serde.deserialize(Array(text.utf8)) == uuid)
        // Java's UUID.fromString accepts upper case too.
        #expect(try serde.deserialize(Array(text.uppercased().utf8)) == uuid)
        for _ in 0..<20 {
            let random = UUID()
            let encoded = try #require(try serde.serialize(random))
            #expect(encoded == Array(random.uuidString.lowercased().utf8))
            #expect(try serde.deserialize(encoded) == random)
        }
    }

    @Test func uuidRejectsInvalidText() {
        let message = serdeErrorMessage { _ = try Serde<UUID>.uuid.deserialize(Array("not-a-uuid".utf8)) }
        #expect(message.contains("UUID"))
        #expect(message.contains("not-a-uuid"))
        for text in [
            "", "123e4567-e89b-12d3-a456-42661417400", "123e4567-e89b-12d3-a456-4266141740000",
            "zzze4567-e89b-12d3-a456-426614174000",
        ] {
            #expect(throws: SerdeError.self, "\"\(text)\"") { _ = try Serde<UUID>.uuid.deserialize(Array(text.utf8)) }
        }
        #expect(throws: SerdeError.self) { _ = try Serde<UUID>.uuid.deserialize([0xFF, 0xFE] as [UInt8]) }
        #expect(throws: SerdeError.self) { _ = try Serde<UUID>.uuid.deserialize(nil as [UInt8]?) }
    }

    // MARK: - Void

    @Test func voidIsAlwaysNull() throws {
        let serde = Serde<Void>.void
        #expect(serde.name == "Void")
        #expect(try serde.serialize(()) == nil)
        var buffer = ByteBuffer(bytes: [7])
        #expect(try serde.serialize((), into: &buffer) == false)
        #expect(Array(buffer.readableBytesView) == [7])
        try serde.deserialize(nil as [UInt8]?)
        try serde.deserialize(nil as ByteBuffer?)
    }

    @Test func voidRejectsNonEmptyBytes() {
        let message = serdeErrorMessage { try Serde<Void>.void.deserialize([0x00] as [UInt8]) }
        #expect(message.hasPrefix("Void received 1 bytes"))
        #expect(message.hasSuffix("expected null"))
        let longer = serdeErrorMessage { try Serde<Void>.void.deserialize([1, 2, 3] as [UInt8]) }
        #expect(longer.hasPrefix("Void received 3 bytes"))
        #expect(longer.hasSuffix("expected null"))
    }

    /// Regression test: Kafka's `VoidDeserializer` throws for any non-null data, including an
    /// empty array; this serde first accepted zero-length non-null bytes.
    @Test func voidRejectsEmptyNonNullBytes() {
        #expect(throws: SerdeError.self) { try Serde<Void>.void.deserialize([] as [UInt8]) }
    }

    // MARK: - JSON

    @Test func jsonRoundTripsCodable() throws {
        let serde = Serde<SerdeTestPayment>.json(SerdeTestPayment.self)
        #expect(serde.name == "JSON<SerdeTestPayment>")
        let payment = SerdeTestPayment(card: "card-1", amount: 12.5, tags: ["a", "é"])
        let bytes = try #require(try serde.serialize(payment))
        #expect(try serde.deserialize(bytes) == payment)
        // The bytes are UTF-8 JSON a Java consumer (e.g. Jackson) can read.
        let object = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
        #expect(object?["card"] as? String == "card-1")
        #expect(object?["amount"] as? Double == 12.5)
        #expect(object?["tags"] as? [String] == ["a", "é"])
        // Hand-written JSON, keys in any order, decodes.
        let text = #"{"tags":[],"amount":-1,"card":"c"}"#
        #expect(try serde.deserialize(Array(text.utf8)) == SerdeTestPayment(card: "c", amount: -1, tags: []))
    }

    @Test func jsonWorksForPlainCodableValues() throws {
        let strings = Serde<[String]>.json()
        #expect(try strings.serialize(["a", "b"]) == Array(#"["a","b"]"#.utf8))
        #expect(try strings.deserialize(Array(#"["x"]"#.utf8)) == ["x"])
        let ints = Serde<[String: Int]>.json()
        #expect(try ints.deserialize(ints.serialize(["k": 3])) == ["k": 3])
    }

    @Test func jsonRejectsGarbage() {
        let serde = Serde<SerdeTestPayment>.json(SerdeTestPayment.self)
        let garbage: [UInt8] = Array("{not json".utf8)
        let message = serdeErrorMessage { _ = try serde.deserialize(garbage) }
        #expect(message.hasPrefix("JSON<SerdeTestPayment> could not decode \(garbage.count) bytes"))
        // Valid JSON of the wrong shape fails too.
        #expect(throws: SerdeError.self) { _ = try serde.deserialize(Array(#"{"card":"c"}"#.utf8)) }
        #expect(throws: SerdeError.self) { _ = try serde.deserialize([] as [UInt8]) }
        #expect(throws: SerdeError.self) { _ = try serde.deserialize(nil as [UInt8]?) }
    }

    @Test func jsonEncodingFailureIsASerdeError() {
        // JSONEncoder refuses non-finite numbers by default.
        let serde = Serde<[Double]>.json()
        let message = serdeErrorMessage { _ = try serde.serialize([Double.nan]) }
        #expect(message.hasPrefix("JSON<Array<Double>> could not encode the value"))
    }

    // MARK: - Optional

    @Test func optionalMapsNilToNull() throws {
        let serde = Serde<String?>.optional(.string)
        #expect(serde.name == "Optional<String>")
        #expect(try serde.serialize(nil) == nil)
        #expect(try serde.serialize("é") == [0xC3, 0xA9])
        #expect(try serde.serialize("") == [])
        #expect(try serde.deserialize(nil as [UInt8]?) == nil)
        #expect(try serde.deserialize(nil as ByteBuffer?) == nil)
        #expect(try serde.deserialize([0x61] as [UInt8]) == "a")
        // Empty bytes are an empty string, not null.
        #expect(try serde.deserialize([] as [UInt8]) == .some(""))
        var buffer = ByteBuffer()
        #expect(try serde.serialize(nil, into: &buffer) == false)
        #expect(buffer.readableBytes == 0)
    }

    @Test func optionalStillValidatesNonNullBytes() throws {
        let serde = Serde<Int64?>.optional(.int64)
        #expect(try serde.serialize(1) == [0, 0, 0, 0, 0, 0, 0, 1])
        #expect(try serde.deserialize([0, 0, 0, 0, 0, 0, 0, 1] as [UInt8]) == 1)
        #expect(try serde.deserialize(nil as [UInt8]?) == nil)
        let message = serdeErrorMessage { _ = try serde.deserialize([1, 2] as [UInt8]) }
        #expect(message == "Size of data received by Int64 is not 8 (got 2 bytes)")
    }

    // MARK: - map

    @Test func mapConvertsThroughTheBaseSerde() throws {
        let millis = Serde<Int64>.int64.map(
            name: "Millis", to: { (m: SerdeTestMillis) in m.value }, from: { SerdeTestMillis(value: $0) })
        #expect(millis.name == "Millis")
        #expect(try millis.serialize(SerdeTestMillis(value: 1)) == [0, 0, 0, 0, 0, 0, 0, 1])
        #expect(
            try millis.deserialize([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF] as [UInt8]) == SerdeTestMillis(value: -1))
        #expect(
            try millis.deserialize(millis.serialize(SerdeTestMillis(value: 86_400_000))) == SerdeTestMillis(value: 86_400_000))
        // The base serde's checks still apply.
        let message = serdeErrorMessage { _ = try millis.deserialize([1] as [UInt8]) }
        #expect(message == "Size of data received by Int64 is not 8 (got 1 bytes)")
        #expect(throws: SerdeError.self) { _ = try millis.deserialize(nil as [UInt8]?) }
    }

    @Test func mapPropagatesConversionErrors() throws {
        let positive = Serde<Int32>.int32.map(
            name: "Positive",
            to: { (v: Int) throws -> Int32 in
                guard let v32 = Int32(exactly: v), v32 > 0 else { throw SerdeError("Positive got \(v)") }
                return v32
            },
            from: { (v: Int32) throws -> Int in
                guard v > 0 else { throw SerdeError("Positive read \(v)") }
                return Int(v)
            })
        #expect(try positive.serialize(5) == [0, 0, 0, 5])
        #expect(try positive.deserialize([0, 0, 0, 5] as [UInt8]) == 5)
        #expect(serdeErrorMessage { _ = try positive.serialize(-3) } == "Positive got -3")
        #expect(serdeErrorMessage { _ = try positive.deserialize([0xFF, 0xFF, 0xFF, 0xFF] as [UInt8]) } == "Positive read -1")
    }

    @Test func mapOverOptionalKeepsNull() throws {
        let upper = Serde<String?>.optional(.string).map(
            name: "Upper", to: { (s: String?) in s?.lowercased() }, from: { $0?.uppercased() })
        #expect(try upper.serialize(nil) == nil)
        #expect(try upper.serialize("AB") == [0x61, 0x62])
        #expect(try upper.deserialize(nil as [UInt8]?) == nil)
        #expect(try upper.deserialize([0x61, 0x62] as [UInt8]) == "AB")
    }

    // MARK: - Custom serdes

    @Test func customSerdeNeverSeesNull() throws {
        let serde = Serde<Int>(
            name: "Len", serialize: { value, buffer in buffer.writeRepeatingByte(0, count: value) },
            deserialize: { buffer in buffer.readableBytes })
        #expect(try serde.serialize(3) == [0, 0, 0])
        #expect(try serde.deserialize([1, 2] as [UInt8]) == 2)
        let message = serdeErrorMessage { _ = try serde.deserialize(nil as [UInt8]?) }
        #expect(message == "Len received null data; declare the serde as .optional(...) to accept nulls")
    }
}
