import KafkaProtocol
import NIOCore
import Testing

/// A generated message with generated sample values (see `MessageSamples.swift`).
protocol MessageSample: KafkaVersioned {
    /// The value with every field at its default (`init()` with no arguments).
    static func defaults() -> Self
    /// A value in which every field that `version` has holds a non-default value, or null where
    /// `nulls` is set and `version` allows a null.
    static func sample(version: Int16, nulls: Bool, seed: Int) -> Self
}

/// An unknown tagged field for the samples; its tag (1000 + seed) is above every tag Kafka uses.
func sampleUnknownTaggedFields(seed: Int) -> [TaggedField] {
    [
        TaggedField(
            tag: 1000 &+ UInt32(truncatingIfNeeded: seed), data: ByteBuffer(bytes: [0xAB, UInt8(truncatingIfNeeded: seed)]))
    ]
}

/// One message type under test; the generated `allMessageRoundTripCases` lists them all.
struct RoundTripCase: Sendable, CustomTestStringConvertible {
    let name: String
    let versions: ClosedRange<Int16>
    /// The API key of requests and responses, `nil` for headers and data structures.
    let apiKey: Int16?
    /// "request", "response", "header" or "data", as Kafka's JSON `type`.
    let kind: String
    let isFlexible: @Sendable (Int16) -> Bool
    let roundTrip: @Sendable () throws -> Void
    let prefixes: @Sendable () throws -> Void
    let corruptions: @Sendable () throws -> Void

    init<M: MessageSample>(_ type: M.Type) {
        name = String(describing: M.self)
        versions = M.versions
        apiKey = (M.self as? any KafkaMessage.Type)?.apiKey
        if M.self is any KafkaRequest.Type {
            kind = "request"
        } else if M.self is any KafkaMessage.Type {
            kind = "response"
        } else {
            kind = name.hasSuffix("Header") ? "header" : "data"
        }
        isFlexible = { M.isFlexible($0) }
        roundTrip = { try checkRoundTrip(M.self) }
        prefixes = { try checkTruncatedPrefixes(M.self) }
        corruptions = { try checkCorruptedBytes(M.self) }
    }

    var testDescription: String { name }
}

private func encoded<M: KafkaVersioned>(_ value: M, version: Int16) throws -> ByteBuffer {
    var buffer = ByteBuffer()
    try value.encode(into: &buffer, version: version)
    return buffer
}

/// decode(encode(x)) == x with nothing left over, for the sample values, their null variant and
/// the all-defaults value, at every version; and re-encoding the decoded value gives the same bytes.
private func checkRoundTrip<M: MessageSample>(_: M.Type) throws {
    for version in M.versions {
        let values = [
            ("sample", M.sample(version: version, nulls: false, seed: 1)),
            ("sample with nulls", M.sample(version: version, nulls: true, seed: 1)),
            ("defaults", M.defaults()),
        ]
        for (label, value) in values {
            var buffer = try encoded(value, version: version)
            let bytes = buffer
            let decoded = try M(from: &buffer, version: version)
            #expect(decoded == value, "\(M.self) v\(version) \(label): decoded value differs")
            #expect(buffer.readableBytes == 0, "\(M.self) v\(version) \(label): \(buffer.readableBytes) bytes left over")
            #expect(try encoded(decoded, version: version) == bytes, "\(M.self) v\(version) \(label): re-encoding differs")
        }
        // A sample that differs from the defaults must not encode like them (no field silently dropped).
        let sample = M.sample(version: version, nulls: false, seed: 1)
        if sample != M.defaults(), try encoded(sample, version: version) == encoded(M.defaults(), version: version) {
            Issue.record("\(M.self) v\(version): the sample encodes exactly like the default value")
        }
    }
}

/// Every strict prefix of an encoded sample fails to decode with a `ProtocolError` (never a crash,
/// never a silent success).
private func checkTruncatedPrefixes<M: MessageSample>(_: M.Type) throws {
    for version in M.versions {
        let full = try encoded(M.sample(version: version, nulls: false, seed: 1), version: version)
        for length in 0..<full.readableBytes {
            var prefix = full.getSlice(at: full.readerIndex, length: length)!
            do {
                _ = try M(from: &prefix, version: version)
                Issue.record("\(M.self) v\(version): a \(length)-byte prefix of \(full.readableBytes) bytes decoded")
            } catch is ProtocolError {
                // expected
            }
        }
    }
}

/// Overwriting any single byte of an encoded sample either decodes or throws `ProtocolError`.
private func checkCorruptedBytes<M: MessageSample>(_: M.Type) throws {
    let version = M.versions.upperBound
    let full = try encoded(M.sample(version: version, nulls: false, seed: 2), version: version)
    for index in 0..<full.readableBytes {
        for replacement: UInt8 in [0x00, 0x7F, 0x80, 0xFF] {
            var corrupted = full
            corrupted.setInteger(replacement, at: corrupted.readerIndex + index)
            do {
                _ = try M(from: &corrupted, version: version)
            } catch is ProtocolError {
                // fine: rejected
            }
        }
    }
}

@Suite("Message round trips")
struct MessageRoundTripTests {
    @Test("decode(encode(x)) == x at every version", arguments: allMessageRoundTripCases)
    func roundTrip(_ testCase: RoundTripCase) throws {
        try testCase.roundTrip()
    }

    @Test("every truncated encoding is rejected", arguments: allMessageRoundTripCases)
    func truncated(_ testCase: RoundTripCase) throws {
        try testCase.prefixes()
    }

    @Test("corrupted bytes decode or throw ProtocolError", arguments: allMessageRoundTripCases)
    func corrupted(_ testCase: RoundTripCase) throws {
        try testCase.corruptions()
    }

    @Test("every generated message is covered")
    func coverage() {
        // 31 request/response pairs, 2 headers, 2 consumer-protocol data structures.
        #expect(allMessageRoundTripCases.count == 66)
        #expect(Set(allMessageRoundTripCases.map(\.name)).count == 66)
    }

    @Test("encoding at an unimplemented version throws .unsupportedVersion and writes nothing")
    func unsupportedVersionOnEncode() {
        var buffer = ByteBuffer(bytes: [1, 2, 3])
        #expect {
            try MetadataRequest().encode(into: &buffer, version: 10)
        } throws: { ($0 as? ProtocolError)?.code == .unsupportedVersion }
        #expect {
            try ProduceRequest().encode(into: &buffer, version: -1)
        } throws: { ($0 as? ProtocolError)?.code == .unsupportedVersion }
        #expect(buffer == ByteBuffer(bytes: [1, 2, 3]))
    }

    @Test("decoding at an unimplemented version throws .unsupportedVersion")
    func unsupportedVersionOnDecode() {
        var buffer = ByteBuffer(bytes: [0, 0, 0, 0])
        #expect {
            _ = try FetchRequest(from: &buffer, version: 12)
        } throws: { ($0 as? ProtocolError)?.code == .unsupportedVersion }
        #expect {
            _ = try WriteTxnMarkersRequest(from: &buffer, version: 0)
        } throws: { ($0 as? ProtocolError)?.code == .unsupportedVersion }
        #expect {
            _ = try ResponseHeader(from: &buffer, version: 2)
        } throws: { ($0 as? ProtocolError)?.code == .unsupportedVersion }
        #expect(buffer.readableBytes == 4)
    }
}
