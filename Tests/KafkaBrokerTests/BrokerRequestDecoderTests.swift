import Foundation
import KafkaBroker
import KafkaProtocol
import NIOCore
import Testing

/// The request decoder is total: arbitrary, truncated and corrupted frames give a request
/// or a `BrokerRequestError`, never a crash.
@Suite struct BrokerRequestDecoderTests {
    @Test func shortFrameIsRejected() {
        #expect(throws: BrokerRequestError.self) { try BrokerRequestDecoder.decode(frame: ByteBuffer(bytes: [0, 1])) }
    }

    @Test func unsupportedVersionsAreRejectedExceptApiVersions() throws {
        var produceV2 = ByteBuffer()
        try RequestHeader(requestApiKey: 0, requestApiVersion: 2, correlationId: 7, clientId: "t").encode(into: &produceV2, version: 1)
        do {
            _ = try BrokerRequestDecoder.decode(frame: produceV2)
            Issue.record("Produce v2 was accepted")
        } catch {
            #expect(error.kind == .unsupportedVersion)
            #expect(error.correlationId == 7)
        }
        var apiVersionsV99 = ByteBuffer()
        apiVersionsV99.writeInteger(Int16(18))
        apiVersionsV99.writeInteger(Int16(99))
        apiVersionsV99.writeInteger(Int32(5))
        let decoded = try BrokerRequestDecoder.decode(frame: apiVersionsV99)
        guard case .unsupportedApiVersions = decoded.body else { Issue.record("expected the KIP-511 fallback"); return }
        #expect(decoded.header.correlationId == 5)
    }

    @Test func decodesAValidMetadataRequest() throws {
        var frame = ByteBuffer()
        try RequestHeader(requestApiKey: 3, requestApiVersion: 9, correlationId: 1, clientId: "c").encode(into: &frame, version: 2)
        try MetadataRequest(topics: [.init(name: "a")]).encode(into: &frame, version: 9)
        let decoded = try BrokerRequestDecoder.decode(frame: frame)
        guard case .metadata(let request) = decoded.body else { Issue.record("not metadata"); return }
        #expect(request.topics?.map(\.name) == ["a"])
    }

    /// Random frames, and valid frames of every served API truncated and with bytes flipped.
    @Test func randomAndCorruptFramesNeverCrash() throws {
        var rng = SystemRandomNumberGenerator()
        var decodedCount = 0
        var errors = 0
        func feed(_ bytes: [UInt8]) {
            do {
                _ = try BrokerRequestDecoder.decode(frame: ByteBuffer(bytes: bytes))
                decodedCount += 1
            } catch {
                errors += 1
            }
        }
        for _ in 0..<20_000 {
            let length = Int.random(in: 0..<64, using: &rng)
            var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            // Steer half of them to served API keys and versions so bodies get decoded.
            if bytes.count >= 4, Bool.random(using: &rng), let entry = BrokerApiVersions.table.entries.randomElement(using: &rng) {
                bytes[0] = UInt8(entry.apiKey.rawValue >> 8)
                bytes[1] = UInt8(entry.apiKey.rawValue & 0xff)
                let version = Int16.random(in: entry.minVersion...entry.maxVersion, using: &rng)
                bytes[2] = UInt8(version >> 8)
                bytes[3] = UInt8(version & 0xff)
            }
            feed(bytes)
        }
        // Valid requests, then mutated.
        var seeds: [[UInt8]] = []
        for entry in BrokerApiVersions.table.entries {
            for version in entry.minVersion...entry.maxVersion {
                var frame = ByteBuffer()
                let flexible = entry.firstFlexibleVersion.map { version >= $0 } ?? false
                try RequestHeader(requestApiKey: entry.apiKey.rawValue, requestApiVersion: version, correlationId: 3, clientId: "fuzz")
                    .encode(into: &frame, version: flexible ? 2 : 1)
                frame.writeRepeatingByte(0, count: 64)
                seeds.append(Array(frame.readableBytesView))
            }
        }
        for seed in seeds {
            for _ in 0..<200 {
                var bytes = seed
                for _ in 0..<Int.random(in: 1...4, using: &rng) {
                    bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                }
                if Bool.random(using: &rng) { bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &rng))) }
                feed(bytes)
            }
        }
        #expect(decodedCount + errors == 20_000 + seeds.count * 200)
        #expect(decodedCount > 0)
        #expect(errors > 0)
    }
}
