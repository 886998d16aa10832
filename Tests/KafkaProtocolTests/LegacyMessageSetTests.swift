import Foundation
import NIOCore
import Testing

@testable import KafkaProtocol

private func buffer(base64: String) -> ByteBuffer {
    ByteBuffer(bytes: [UInt8](Data(base64Encoded: base64)!))
}

/// The `ProtocolError` code `body` throws, or `nil` (recording an issue) otherwise.
private func protocolErrorCode(
    sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void
) -> ProtocolError.Code? {
    do {
        try body()
        Issue.record("expected a ProtocolError, nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as ProtocolError {
        return error.code
    } catch {
        Issue.record("expected a ProtocolError, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

private func readAll(_ data: ByteBuffer) throws -> (entries: [RecordSetEntry], records: [BatchRecord]) {
    var reader = RecordSetReader(data)
    var entries: [RecordSetEntry] = []
    var records: [BatchRecord] = []
    while let entry = try reader.next() {
        entries.append(entry)
        records += try entry.records()
    }
    return (entries, records)
}

/// Legacy message sets written by kafka-python 3.0.12's `LegacyRecordBatchBuilder` (and
/// read back with its reader): three messages each, starting at the offset in the name's
/// decade (v0Plain at 10, v1Plain at 20, ...). Wrappers were moved to the last inner
/// offset, as a broker does; `v1GzipLogAppendTime` had its wrapper switched to log-append
/// time 1_650_000_000_000 (CRC recomputed). `v0LZ4BrokenChecksum` carries the wrong LZ4
/// header checksum of Kafka 0.8/0.9 (kafka-python's `lz4_encode_old_kafka`).
private enum KafkaPythonMessageSets {
    static let v0Plain =
        "AAAAAAAAAAoAAAAe2Ft8FQAAAAAAAmswAAAADmxlZ2FjeSB2YWx1ZSAwAAAAAAAAAAsAAAAqbXbZLQAA/////wAAABxsZWdhY3kgdmFsdWUgMWxlZ2FjeSB2YWx1ZSAxAAAAAAAAAAwAAAAQiyPj2gAAAAAAAmsy/////w=="
    static let v1Plain =
        "AAAAAAAAABQAAAAms3ASXQEAAAABdIdugAAAAAACazAAAAAObGVnYWN5IHZhbHVlIDAAAAAAAAAAFQAAADI2B8dCAQAAAAF0h26ACv////8AAAAcbGVnYWN5IHZhbHVlIDFsZWdhY3kgdmFsdWUgMQAAAAAAAAAWAAAAGNRP4EUBAAAAAXSHboAUAAAAAmsy/////w=="
    static let v0Gzip =
        "AAAAAAAAACAAAABn098phQAB/////wAAAFkfiwgAkRECawL/Y2AAAzkQvhFdIwrmMWUbAEm+nNT0xORKhbLEnNJUBQOIQgZ5INbKLbupy8DwHwiAPBkUdYaoPKguBSAW6FZ+fAtqvhFILwATeb/sfAAAAA=="
    static let v1Gzip =
        "AAAAAAAAACoAAAB4LSpawAEBAAAAAAAAAAD/////AAAAYh+LCACREQJrAv9jYIADtc0FQrGMQAZjSXteA0iEKdsASPLlpKYnJlcqlCXmlKYqGEBVgxQambEfd4Lr4PoPBECODIp6Q1QeVDcTEEtc8X/gCtctArbPCGQGAO7+bXyUAAAA"
    static let v1Snappy =
        "AAAAAAAAADQAAACVV7xkHgECAAAAAAAAAAD/////AAAAf4JTTkFQUFkAAAAAAQAAAAEAAABrlAEAABkBNCazcBJdAQAAAAF0h26AARhMAmswAAAADmxlZ2FjeSB2YWx1ZSABEgEBASkQMjYHx0IBCQUyIAr/////AAAAHDIwAAAxNg4AATssAAAAAgAAABjUT+BFFT4oFAAAAAJrMv////8="
    static let v0LZ4BrokenChecksum =
        "AAAAAAAAAD4AAAB9cXanjwAD/////wAAAG8EIk0YYEAaYAAAABIAAQCRPAAAAB7YW3wVDwDwBQJrMAAAAA5sZWdhY3kgdmFsdWUgEgAAAgD5BD0AAAAqbXbZLQAA/////wAAABwoABoxDgAAMwDBAAAAPgAAABCLI+PaDgBwAmsy/////wAAAAA="
    static let v1LZ4 =
        "AAAAAAAAAEgAAACZGshkMAEDAAAAAAAAAAD/////AAAAgwQiTRhoQJQAAAAAAAAA8WwAAAAWAAEA4CazcBJdAQAAAAF0h26AGADwBQJrMAAAAA5sZWdhY3kgdmFsdWUgEgAAAgAAKQBQMjYHx0IJAAEyAJkK/////wAAABwwABoxDgAAOwDFAAAAAgAAABjUT+BFPgCwFAAAAAJrMv////8AAAAA"
    static let v1GzipLogAppendTime =
        "AAAAAAAAAFIAAAB493P9SwEJAAABgCup9AD/////AAAAYh+LCACREQJrAv9jYIADtc0FQrGMQAZjSXteA0iEKdsASPLlpKYnJlcqlCXmlKYqGEBVgxQambEfd4Lr4PoPBECODIp6Q1QeVDcTEEtc8X/gCtctArbPCGQGAO7+bXyUAAAA"
}

/// The three messages of every fixture.
private let expectedKeys: [String?] = ["k0", nil, "k2"]
private let expectedValues: [String?] = ["legacy value 0", "legacy value 1legacy value 1", nil]

@Suite("Legacy message sets (magic 0 and 1)")
struct LegacyMessageSetTests {
    static let fixtures: [(name: String, data: String, magic: Int8, firstOffset: Int64, entries: Int)] = [
        ("v0Plain", KafkaPythonMessageSets.v0Plain, 0, 10, 3),
        ("v1Plain", KafkaPythonMessageSets.v1Plain, 1, 20, 3),
        ("v0Gzip", KafkaPythonMessageSets.v0Gzip, 0, 30, 1),
        ("v1Gzip", KafkaPythonMessageSets.v1Gzip, 1, 40, 1),
        ("v1Snappy", KafkaPythonMessageSets.v1Snappy, 1, 50, 1),
        ("v0LZ4BrokenChecksum", KafkaPythonMessageSets.v0LZ4BrokenChecksum, 0, 60, 1),
        ("v1LZ4", KafkaPythonMessageSets.v1LZ4, 1, 70, 1),
    ]

    @Test("kafka-python message sets decode: plain, gzip/snappy/lz4 wrappers, v0 and v1", arguments: fixtures.indices)
    func kafkaPythonFixtures(index: Int) throws {
        let fixture = Self.fixtures[index]
        let (entries, records) = try readAll(buffer(base64: fixture.data))
        #expect(entries.count == fixture.entries, "\(fixture.name)")
        #expect(entries.allSatisfy { $0.magic == fixture.magic && !$0.isControl && !$0.isTransactional })
        #expect(entries.last?.nextOffset == fixture.firstOffset + 3)
        #expect(
            records.map(\.offset) == [fixture.firstOffset, fixture.firstOffset + 1, fixture.firstOffset + 2], "\(fixture.name)")
        #expect(records.map { $0.key.map { String(buffer: $0) } } == expectedKeys)
        #expect(records.map { $0.value.map { String(buffer: $0) } } == expectedValues)
        #expect(records.allSatisfy { $0.headers.isEmpty })
        if fixture.magic == 0 {
            #expect(records.map(\.timestamp) == [-1, -1, -1])
            #expect(records.allSatisfy { $0.timestampType == .noTimestamp })
        } else {
            #expect(records.map(\.timestamp) == [1_600_000_000_000, 1_600_000_000_010, 1_600_000_000_020])
            #expect(records.allSatisfy { $0.timestampType == .createTime })
        }
    }

    @Test("a magic-1 wrapper with log-append time gives its timestamp to every inner message")
    func logAppendTimeWrapper() throws {
        let (entries, records) = try readAll(buffer(base64: KafkaPythonMessageSets.v1GzipLogAppendTime))
        guard case .legacy(let wrapper)? = entries.first else { throw ProtocolError(.invalidValue, "no message") }
        #expect(wrapper.compression == .gzip)
        #expect(wrapper.timestampType == .logAppendTime)
        #expect(records.map(\.offset) == [80, 81, 82])
        #expect(records.map(\.timestamp) == [1_650_000_000_000, 1_650_000_000_000, 1_650_000_000_000])
        #expect(records.allSatisfy { $0.timestampType == .logAppendTime })
    }

    @Test("the fields of a plain v1 message")
    func messageFields() throws {
        var data = buffer(base64: KafkaPythonMessageSets.v1Plain)
        let message = try LegacyMessage(decoding: &data)
        #expect(message.offset == 20)
        #expect(message.magic == 1)
        #expect(message.attributes == 0)
        #expect(message.compression == .none)
        #expect(message.timestamp == 1_600_000_000_000)
        #expect(message.key == ByteBuffer(string: "k0"))
        #expect(message.value == ByteBuffer(string: "legacy value 0"))
        #expect(
            message.crc
                == CRC32.checksum(message.bytes.getSlice(at: message.bytes.readerIndex + 16, length: message.sizeInBytes - 16)!))
        #expect(message.sizeInBytes == 50)
        #expect(data.readableBytes == buffer(base64: KafkaPythonMessageSets.v1Plain).readableBytes - 50)
    }

    @Test("the broken v0 LZ4 header checksum is refused by a strict decoder")
    func brokenLZ4NeedsLeniency() throws {
        var data = buffer(base64: KafkaPythonMessageSets.v0LZ4BrokenChecksum)
        let wrapper = try LegacyMessage(decoding: &data)
        #expect(protocolErrorCode { _ = try CompressionCodec.lz4.decompress(wrapper.value!, maxSize: 1 << 20) } == .corrupt)
        #expect(
            try CompressionCodec.lz4.decompress(wrapper.value!, maxSize: 1 << 20, lenientLZ4HeaderChecksum: true).readableBytes
                > 0)
    }

    @Test("legacy messages and v2 batches mix in one record set")
    func mixedFormats() throws {
        var data = buffer(base64: KafkaPythonMessageSets.v0Plain)
        var v1 = buffer(base64: KafkaPythonMessageSets.v1Gzip)
        data.writeBuffer(&v1)
        var builder = RecordBatchBuilder(baseOffset: 43, buffer: data)
        builder.append(timestamp: 5, key: nil, value: ByteBuffer(string: "v2"))
        let (entries, records) = try readAll(try builder.finish())
        #expect(entries.map(\.magic) == [0, 0, 0, 1, 2])
        #expect(entries.map(\.nextOffset) == [11, 12, 13, 43, 44])
        #expect(records.map(\.offset) == [10, 11, 12, 40, 41, 42, 43])
    }

    @Test("a corrupt legacy CRC is rejected")
    func corruptCRC() {
        var data = buffer(base64: KafkaPythonMessageSets.v1Plain)
        data.setInteger(UInt8(0x41), at: 40)
        var reader = RecordSetReader(data)
        #expect(protocolErrorCode { _ = try reader.next() } == .corrupt)
    }

    @Test("a truncated last message is reported as incomplete")
    func truncated() throws {
        let data = buffer(base64: KafkaPythonMessageSets.v0Plain)
        var first = data
        let size = try LegacyMessage(decoding: &first).sizeInBytes
        for cut in (size + 1)..<(2 * size) {
            var reader = RecordSetReader(data.getSlice(at: 0, length: cut)!)
            #expect(try reader.next() != nil)
            #expect(try reader.next() == nil)
            #expect(reader.incompleteTrailingBytes == cut - size)
        }
    }

    @Test("wrappers that cannot be right are rejected: zstd, null value, nested compression, garbage inside")
    func badWrappers() throws {
        #expect(protocolErrorCode { _ = try self.wrapper(codec: 4, value: ByteBuffer(string: "x")).records() } == .invalidValue)
        #expect(protocolErrorCode { _ = try self.wrapper(codec: 1, value: nil).records() } == .corrupt)
        let garbage = try CompressionCodec.gzip.compress(ByteBuffer(string: "not a message set at all"))
        #expect(protocolErrorCode { _ = try self.wrapper(codec: 1, value: garbage).records() } == .corrupt)
        // a wrapper inside a wrapper
        let inner = try wrapper(codec: 1, value: try CompressionCodec.gzip.compress(ByteBuffer()))
        guard case .legacy(let innerMessage) = inner else { return }
        let nested = try CompressionCodec.gzip.compress(innerMessage.bytes)
        #expect(protocolErrorCode { _ = try self.wrapper(codec: 1, value: nested).records() } == .corrupt)
    }

    @Test("an unknown magic in a message is rejected")
    func unknownMagic() {
        var data = buffer(base64: KafkaPythonMessageSets.v1Plain)
        data.setInteger(Int8(5), at: 16)
        #expect(protocolErrorCode { _ = try LegacyMessage(decoding: &data, verifyChecksum: false) } == .unsupportedVersion)
    }

    /// A magic-1 message at offset 0 with the given codec and value, CRC filled in.
    private func wrapper(codec: Int8, value: ByteBuffer?) throws -> RecordSetEntry {
        var message = ByteBuffer()
        message.writeInteger(Int64(0))
        message.writeInteger(Int32(0))  // size, set below
        message.writeInteger(UInt32(0))  // crc, set below
        message.writeInteger(Int8(1))
        message.writeInteger(codec)
        message.writeInteger(Int64(1234))
        message.writeInteger(Int32(-1))
        if let value {
            message.writeInteger(Int32(value.readableBytes))
            message.writeImmutableBuffer(value)
        } else {
            message.writeInteger(Int32(-1))
        }
        message.setInteger(Int32(message.readableBytes - 12), at: 8)
        message.setInteger(CRC32.checksum(message.getSlice(at: 16, length: message.readableBytes - 16)!), at: 12)
        var reader = RecordSetReader(message)
        return try reader.next()!
    }
}
