import Foundation
import NIOCore
import Testing

@testable import KafkaProtocol

private func buffer(base64: String) -> ByteBuffer {
    ByteBuffer(bytes: [UInt8](Data(base64Encoded: base64)!))
}

private func bytes(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

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

/// Every entry of a record set and every record in it.
private func readAll(_ data: ByteBuffer, verify: Bool = true) throws -> (entries: [RecordSetEntry], records: [BatchRecord]) {
    var reader = RecordSetReader(data, verifyChecksums: verify)
    var entries: [RecordSetEntry] = []
    var records: [BatchRecord] = []
    while let entry = try reader.next() {
        entries.append(entry)
        records += try entry.records()
    }
    return (entries, records)
}

private func singleBatch(_ data: ByteBuffer) throws -> RecordBatch {
    var reader = RecordSetReader(data)
    guard case .batch(let batch)? = try reader.next() else { throw ProtocolError(.invalidValue, "no batch") }
    return batch
}

/// The records of the kafka-python fixtures: (offset, timestamp, key, value, headers).
private let fixtureRecords: [(Int64, Int64, String?, String?, [(String, [UInt8]?)])] = [
    (0, 1_700_000_000_000, "key-0", "value-0", []),
    (1, 1_700_000_000_005, nil, "value with null key", [("trace", Array("abc".utf8)), ("empty", nil)]),
    (2, 1_699_999_999_990, "key-2", nil, []),
    (3, 1_700_000_000_100, "", "", [("\u{00FC}nicode-\u{2603}", [0, 1, 2])]),
    (4, 1_700_000_000_050, "key-4", String(repeating: "x", count: 300), []),
]

private func expectFixtureRecords(_ records: [BatchRecord], sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(records.count == fixtureRecords.count, sourceLocation: sourceLocation)
    for (record, expected) in zip(records, fixtureRecords) {
        #expect(record.offset == expected.0, sourceLocation: sourceLocation)
        #expect(record.timestamp == expected.1, sourceLocation: sourceLocation)
        #expect(record.timestampType == .createTime, sourceLocation: sourceLocation)
        #expect(record.key.map { String(buffer: $0) } == expected.2, sourceLocation: sourceLocation)
        #expect(record.value.map { String(buffer: $0) } == expected.3, sourceLocation: sourceLocation)
        let headers = record.headers.map { ($0.key, $0.value.map { Array($0.readableBytesView) }) }
        #expect(headers.map(\.0) == expected.4.map(\.0), sourceLocation: sourceLocation)
        #expect(headers.map(\.1) == expected.4.map(\.1), sourceLocation: sourceLocation)
    }
}

/// Record batches written by kafka-python 3.0.12's `DefaultRecordBatchBuilder` (and checked
/// with its reader) holding `fixtureRecords`; compressed with python-snappy, lz4 (linked
/// blocks, content size) and zstandard.
private enum KafkaPythonBatches {
    static let none =
        "AAAAAAAAAAAAAAHOAAAAAAJAE8b+AAAAAAAEAAABi8/laAAAAAGLz+VoZP//////////////////AAAABSQAAAAKa2V5LTAOdmFsdWUtMABUAAoCASZ2YWx1ZSB3aXRoIG51bGwga2V5BAp0cmFjZQZhYmMKZW1wdHkBFgATBAprZXktMgEAMADIAQYAAAIYw7xuaWNvZGUt4piDBgABAvAEAGQICmtleS002AR4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHgA"
    static let gzip =
        "AAAAAAAAAAAAAACxAAAAAAKGKVAMAAEAAAAEAAABi8/laAAAAAGLz+VoZP//////////////////AAAABR+LCACREQJrAv9TYWBg4MpOrdQ14CtLzClN1TVgCGHgYmJUA/MUyjNLMhTySnNyFIBqWLhKihKTU9kSk5K5UnMLSioZxRiEWcC6jRgZDBhOMLIxMDBJHN6Tl5mcn5Kq+2hGMxsDI9MHFoYUDrAqkxssFaOAaMAAAFmnCHudAQAA"
    static let snappy =
        "AAAAAAAAAAAAAADIAAAAAALR79ZlAAIAAAAEAAABi8/laAAAAAGLz+VoZP//////////////////AAAABYJTTkFQUFkAAAAAAQAAAAEAAACDnQNgJAAAAAprZXktMA52YWx1ZS0wAFQACgIBJgUOkCB3aXRoIG51bGwga2V5BAp0cmFjZQZhYmMKZW1wdHkBFgATBAoBPqgyAQAwAMgBBgAAAhjDvG5pY29kZS3imIMGAAEC8AQAZAgKa2V5LTTYBHh4/gIA/gIA/gIA/gIApgIAAAA="
    static let lz4 =
        "AAAAAAAAAAAAAADBAAAAAAJmQZHqAAMAAAAEAAABi8/laAAAAAGLz+VoZP//////////////////AAAABQQiTRhoQJ0BAAAAAAAA23kAAADxCiQAAAAKa2V5LTAOdmFsdWUtMABUAAoCASYOAPEVIHdpdGggbnVsbCBrZXkECnRyYWNlBmFiYwplbXB0eQEWABMEPgDxEjIBADAAyAEGAAACGMO8bmljb2RlLeKYgwYAAQLwBABkCCYATzTYBHgBAP8VUHh4eHgAAAAAAA=="
    static let zstd =
        "AAAAAAAAAAAAAACuAAAAAAJ2tap5AAQAAAAEAAABi8/laAAAAAGLz+VoZP//////////////////AAAABSi1L/1gnQCdAwA0BiQAAAAKa2V5LTAOdmFsdWUtMABUAAoCASYgd2l0aCBudWxsIGtleQQKdHJhY2UGYWJjCmVtcHR5ARYAEwQyAQAwAMgBBgAAAhjDvG5pY29kZS3imIMGAAEC8AQAZAg02AR4AAQAKDhFklQeg3CvaOcY"
    static let transactional =
        "AAAAAAAAAAAAAAHOAAAAAAKmuTJjABAAAAAEAAABi8/laAAAAAGLz+VoZAAAAAAAABCSAAcAAABkAAAABSQAAAAKa2V5LTAOdmFsdWUtMABUAAoCASZ2YWx1ZSB3aXRoIG51bGwga2V5BAp0cmFjZQZhYmMKZW1wdHkBFgATBAprZXktMgEAMADIAQYAAAIYw7xuaWNvZGUt4piDBgABAvAEAGQICmtleS002AR4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHgA"
}

@Suite("Record batches (magic 2)")
struct RecordBatchTests {
    // MARK: - golden bytes

    /// Two records, laid out by hand from the format description. The CRC was computed by
    /// two independent CRC-32C implementations (a bitwise one and the `crc32c` package);
    /// kafka-python's builder writes the same bytes for the same input.
    static let golden: [UInt8] =
        [0, 0, 0, 0, 0, 0, 0, 0]  // baseOffset 0
        + [0, 0, 0, 71]  // batchLength: 83 - 12
        + [0, 0, 0, 0]  // partitionLeaderEpoch 0
        + [2]  // magic
        + [0xAE, 0xFA, 0x0F, 0xB0]  // CRC-32C of bytes 21..<83
        + [0, 0]  // attributes: no compression, create time
        + [0, 0, 0, 1]  // lastOffsetDelta
        + [0, 0, 0, 0, 0, 0, 0x03, 0xE8]  // baseTimestamp 1000
        + [0, 0, 0, 0, 0, 0, 0x03, 0xEB]  // maxTimestamp 1003
        + [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]  // producerId -1
        + [0xFF, 0xFF]  // producerEpoch -1
        + [0xFF, 0xFF, 0xFF, 0xFF]  // baseSequence -1
        + [0, 0, 0, 2]  // record count
        // record 0: length 9, attributes, tsDelta 0, offsetDelta 0, key "a", value "bc", 0 headers
        + [0x12, 0x00, 0x00, 0x00, 0x02, 0x61, 0x04, 0x62, 0x63, 0x00]
        // record 1: length 11, attributes, tsDelta 3, offsetDelta 1, null key, value "d", 1 header "h" = "v"
        + [0x16, 0x00, 0x06, 0x02, 0x01, 0x02, 0x64, 0x02, 0x02, 0x68, 0x02, 0x76]

    @Test("the builder writes the hand-made golden bytes")
    func builderGoldenBytes() throws {
        var builder = RecordBatchBuilder(partitionLeaderEpoch: 0)
        builder.append(timestamp: 1000, key: bytes("a"), value: bytes("bc"))
        builder.append(timestamp: 1003, key: nil, value: bytes("d"), headers: [(key: "h", value: bytes("v"))])
        let batch = try builder.finish()
        #expect(Array(batch.readableBytesView) == Self.golden)
        #expect(CRC32C.checksum(Self.golden[21...]) == 0xAEFA_0FB0)
    }

    @Test("decoding the golden bytes gives every header field and both records")
    func decodeGoldenBytes() throws {
        let batch = try singleBatch(ByteBuffer(bytes: Self.golden))
        #expect(batch.baseOffset == 0)
        #expect(batch.batchLength == 71)
        #expect(batch.sizeInBytes == 83)
        #expect(batch.partitionLeaderEpoch == 0)
        #expect(batch.magic == 2)
        #expect(batch.crc == 0xAEFA_0FB0)
        #expect(batch.isChecksumValid)
        #expect(batch.attributes == RecordBatchAttributes())
        #expect(batch.lastOffsetDelta == 1)
        #expect(batch.lastOffset == 1)
        #expect(batch.nextOffset == 2)
        #expect(batch.baseTimestamp == 1000)
        #expect(batch.maxTimestamp == 1003)
        #expect(batch.producerId == -1)
        #expect(batch.producerEpoch == -1)
        #expect(batch.baseSequence == -1)
        #expect(batch.recordCount == 2)
        let records = try batch.records()
        #expect(records.count == 2)
        #expect(records[0] == BatchRecord(offset: 0, timestamp: 1000, key: bytes("a"), value: bytes("bc")))
        #expect(records[1].offset == 1)
        #expect(records[1].timestamp == 1003)
        #expect(records[1].key == nil)
        #expect(records[1].value == bytes("d"))
        #expect(records[1].headers.count == 1)
        #expect(Array(records[1].headers).map(\.key) == ["h"])
        #expect(records[1].headers.last("h")?.value == bytes("v"))
        #expect(records[1].headers.last("x") == nil)
    }

    @Test("attribute bits: codec in bits 0-2, timestamp type 3, transactional 4, control 5, delete horizon 6")
    func attributeBits() {
        #expect(RecordBatchAttributes(compression: .zstd).rawValue == 4)
        #expect(RecordBatchAttributes(timestampType: .logAppendTime).rawValue == 0x08)
        #expect(RecordBatchAttributes(isTransactional: true).rawValue == 0x10)
        #expect(RecordBatchAttributes(isControl: true).rawValue == 0x20)
        #expect(RecordBatchAttributes(hasDeleteHorizon: true).rawValue == 0x40)
        let all = RecordBatchAttributes(rawValue: 0x7B)
        #expect(all.compression == .lz4)
        #expect(all.timestampType == .logAppendTime)
        #expect(all.isTransactional && all.isControl && all.hasDeleteHorizon)
    }

    // MARK: - peer fixtures

    @Test("kafka-python batches decode, uncompressed and with every codec", arguments: ["none", "gzip", "snappy", "lz4", "zstd"])
    func kafkaPythonBatches(codec: String) throws {
        let fixture = [
            "none": KafkaPythonBatches.none, "gzip": KafkaPythonBatches.gzip, "snappy": KafkaPythonBatches.snappy,
            "lz4": KafkaPythonBatches.lz4, "zstd": KafkaPythonBatches.zstd,
        ][codec]!
        let batch = try singleBatch(buffer(base64: fixture))
        #expect(batch.compression == CompressionType(name: codec))
        #expect(batch.recordCount == 5)
        #expect(batch.lastOffsetDelta == 4)
        #expect(batch.baseTimestamp == 1_700_000_000_000)
        #expect(batch.maxTimestamp == 1_700_000_000_100)
        expectFixtureRecords(try batch.records())
    }

    @Test("a kafka-python transactional batch carries producer id, epoch and base sequence")
    func kafkaPythonTransactional() throws {
        let batch = try singleBatch(buffer(base64: KafkaPythonBatches.transactional))
        #expect(batch.isTransactional)
        #expect(!batch.isControl)
        #expect(batch.producerId == 4242)
        #expect(batch.producerEpoch == 7)
        #expect(batch.baseSequence == 100)
        expectFixtureRecords(try batch.records())
    }

    @Test("our builder writes kafka-python's bytes for the same records (uncompressed and transactional)")
    func builderMatchesKafkaPython() throws {
        func build(_ builder: inout RecordBatchBuilder) throws -> ByteBuffer {
            for record in fixtureRecords {
                builder.append(
                    timestamp: record.1, key: record.2.map(bytes), value: record.3.map(bytes),
                    headers: record.4.map { (key: $0.0, value: $0.1.map { ByteBuffer(bytes: $0) }) })
            }
            return try builder.finish()
        }
        var plain = RecordBatchBuilder(partitionLeaderEpoch: 0)
        #expect(try build(&plain) == buffer(base64: KafkaPythonBatches.none))
        var transactional = RecordBatchBuilder(
            producerId: 4242, producerEpoch: 7, baseSequence: 100, isTransactional: true, partitionLeaderEpoch: 0)
        #expect(try build(&transactional) == buffer(base64: KafkaPythonBatches.transactional))
    }

    // MARK: - round trips

    @Test(
        "round trip of 1000 records with headers through every codec",
        arguments: [CompressionCodec.none, .gzip, .snappy, .lz4, .zstd])
    func roundTrip(codec: CompressionCodec) throws {
        var builder = RecordBatchBuilder(baseOffset: 5000, compression: codec, producerId: 9, producerEpoch: 2, baseSequence: 77)
        for i in 0..<1000 {
            let headers: [(key: String, value: ByteBuffer?)] =
                i % 3 == 0 ? [(key: "n", value: bytes("\(i)")), (key: "null", value: nil)] : []
            builder.append(
                timestamp: 1_000_000 + Int64(i % 17) * 3 - 20, key: i % 10 == 0 ? nil : bytes("key-\(i)"),
                value: i % 13 == 0 ? nil : bytes(String(repeating: "value \(i) ", count: i % 7 + 1)), headers: headers)
        }
        let uncompressedSize = builder.sizeInBytes
        let data = try builder.finish()
        if codec.type != .none { #expect(data.readableBytes < uncompressedSize / 2) }
        let (entries, records) = try readAll(data)
        #expect(entries.count == 1)
        guard case .batch(let batch) = entries[0] else { return }
        #expect(batch.compression == codec.type)
        #expect(batch.baseOffset == 5000)
        #expect(batch.lastOffset == 5999)
        #expect(batch.producerId == 9 && batch.producerEpoch == 2 && batch.baseSequence == 77)
        #expect(batch.maxTimestamp == 1_000_000 + 16 * 3 - 20)
        #expect(records.count == 1000)
        for (i, record) in records.enumerated() {
            #expect(record.offset == 5000 + Int64(i))
            #expect(record.timestamp == 1_000_000 + Int64(i % 17) * 3 - 20)
            #expect(record.key == (i % 10 == 0 ? nil : bytes("key-\(i)")))
            #expect(record.value == (i % 13 == 0 ? nil : bytes(String(repeating: "value \(i) ", count: i % 7 + 1))))
            if i % 3 == 0 {
                #expect(Array(record.headers).map(\.key) == ["n", "null"])
                #expect(Array(record.headers).map(\.value) == [bytes("\(i)"), nil])
            } else {
                #expect(record.headers.isEmpty)
            }
        }
    }

    @Test("log-append time: records read the batch's max timestamp")
    func logAppendTime() throws {
        var builder = RecordBatchBuilder(logAppendTime: 1_234_567)
        builder.append(timestamp: 10, key: nil, value: bytes("a"))
        builder.append(timestamp: 99, key: nil, value: bytes("b"))
        let batch = try singleBatch(try builder.finish())
        #expect(batch.timestampType == .logAppendTime)
        #expect(batch.maxTimestamp == 1_234_567)
        let records = try batch.records()
        #expect(records.map(\.timestamp) == [1_234_567, 1_234_567])
        #expect(records.allSatisfy { $0.timestampType == .logAppendTime })
    }

    @Test("the builder appends after bytes already in its buffer; batches can share one buffer")
    func sharedBuffer() throws {
        var first = RecordBatchBuilder(baseOffset: 0)
        first.append(timestamp: 1, key: nil, value: bytes("one"))
        var second = RecordBatchBuilder(baseOffset: 1, compression: .lz4, buffer: try first.finish())
        second.append(timestamp: 2, key: nil, value: bytes("two"))
        let (entries, records) = try readAll(try second.finish())
        #expect(entries.count == 2)
        #expect(records.map { String(buffer: $0.value!) } == ["one", "two"])
        #expect(records.map(\.offset) == [0, 1])
    }

    @Test("a record read from one batch is appended to another with its headers copied unchanged")
    func passThrough() throws {
        let source = try singleBatch(buffer(base64: KafkaPythonBatches.zstd)).records()
        var builder = RecordBatchBuilder(baseOffset: 0)
        for record in source { builder.append(record) }
        let copied = try singleBatch(try builder.finish()).records()
        expectFixtureRecords(copied)
    }

    @Test("a builder with no records writes nothing")
    func emptyBuilder() throws {
        let builder = RecordBatchBuilder(buffer: ByteBuffer(string: "keep"))
        #expect(builder.isEmpty)
        #expect(String(buffer: try builder.finish()) == "keep")
    }

    @Test("encodedSize predicts how much a record adds")
    func encodedSize() throws {
        var builder = RecordBatchBuilder()
        builder.append(timestamp: 100, key: bytes("k"), value: bytes("v"))
        let before = builder.sizeInBytes
        let predicted = builder.encodedSize(timestamp: 5000, keySize: nil, valueSize: 200, headersSize: 4, headerCount: 1)
        builder.append(
            timestamp: 5000, key: nil, value: ByteBuffer(repeating: 1, count: 200), headers: [(key: "h", value: bytes("v"))])
        #expect(builder.sizeInBytes - before == predicted)
    }

    // MARK: - control records

    @Test("commit and abort markers round-trip as control batches", arguments: [ControlRecordType.commit, .abort])
    func controlRecords(type: ControlRecordType) throws {
        let marker = EndTransactionMarker(type: type, coordinatorEpoch: 12)
        let data = try RecordBatchBuilder.controlBatch(marker, producerId: 31, producerEpoch: 4, baseOffset: 900, timestamp: 55)
        let batch = try singleBatch(data)
        #expect(batch.isControl)
        #expect(batch.isTransactional)
        #expect(batch.producerId == 31)
        #expect(batch.producerEpoch == 4)
        #expect(batch.baseOffset == 900)
        let records = try batch.records()
        #expect(records.count == 1)
        #expect(records[0].key.map { Array($0.readableBytesView) } == [0, 0, 0, UInt8(type.rawValue)])
        #expect(records[0].value.map { Array($0.readableBytesView) } == [0, 0, 0, 0, 0, 12])
        #expect(try ControlRecordType(key: records[0].key!) == type)
        #expect(try EndTransactionMarker(record: records[0]) == marker)
    }

    @Test("malformed control records are rejected")
    func badControlRecords() {
        #expect(protocolErrorCode { _ = try ControlRecordType(key: ByteBuffer(bytes: [0, 0, 1])) } == .invalidValue)
        #expect(protocolErrorCode { _ = try ControlRecordType(key: ByteBuffer(bytes: [0xFF, 0xFF, 0, 1])) } == .invalidValue)
        let shortValue = BatchRecord(
            offset: 0, timestamp: 0, key: ControlRecordType.commit.key, value: ByteBuffer(bytes: [0, 0, 0]))
        #expect(protocolErrorCode { _ = try EndTransactionMarker(record: shortValue) } == .invalidValue)
        let leaderChange = BatchRecord(
            offset: 0, timestamp: 0, key: ControlRecordType.leaderChange.key, value: ByteBuffer(bytes: [0, 0, 0, 0, 0, 0]))
        #expect(protocolErrorCode { _ = try EndTransactionMarker(record: leaderChange) } == .invalidValue)
        #expect(ControlRecordType(rawValue: 9).description == "UNKNOWN(9)")
    }

    // MARK: - damaged input

    @Test("a flipped bit in the CRC-covered bytes is rejected as corrupt")
    func corruptCRC() throws {
        for index in [17, 21, 30, 57, 62, Self.golden.count - 1] {
            var damaged = Self.golden
            damaged[index] ^= 0x01
            var reader = RecordSetReader(ByteBuffer(bytes: damaged))
            #expect(protocolErrorCode { _ = try reader.next() } == .corrupt, "byte \(index)")
        }
        // base offset and leader epoch are outside the CRC, as in Kafka
        var rebased = Self.golden
        rebased[7] = 9
        rebased[15] = 3
        let batch = try singleBatch(ByteBuffer(bytes: rebased))
        #expect(batch.baseOffset == 9)
        #expect(batch.partitionLeaderEpoch == 3)
        #expect(try batch.records().map(\.offset) == [9, 10])
    }

    @Test("with checksums off, a damaged batch is returned")
    func checksumsOff() throws {
        var damaged = Self.golden
        damaged[66] = 0x7A  // key "a" -> "z"
        var reader = RecordSetReader(ByteBuffer(bytes: damaged), verifyChecksums: false)
        guard case .batch(let batch)? = try reader.next() else { throw ProtocolError(.invalidValue, "no batch") }
        #expect(!batch.isChecksumValid)
        #expect(try batch.records()[0].key == bytes("z"))
    }

    @Test("a truncated last batch is reported as incomplete, never as an error, at every cut point")
    func truncatedLastBatch() throws {
        var first = RecordBatchBuilder(baseOffset: 0)
        first.append(timestamp: 1, key: nil, value: bytes("complete"))
        var second = RecordBatchBuilder(baseOffset: 1, compression: .gzip, buffer: try first.finish())
        for i in 0..<20 { second.append(timestamp: 2, key: bytes("k\(i)"), value: bytes("partial \(i)")) }
        let data = try second.finish()
        let firstSize = try singleBatch(data).sizeInBytes
        for cut in firstSize..<data.readableBytes {
            var reader = RecordSetReader(data.getSlice(at: 0, length: cut)!)
            let entry = try reader.next()
            #expect(entry?.nextOffset == 1)
            #expect(try reader.next() == nil, "cut at \(cut)")
            #expect(reader.isIncomplete == (cut > firstSize))
            #expect(reader.incompleteTrailingBytes == cut - firstSize)
        }
        for cut in 1..<firstSize {
            var reader = RecordSetReader(data.getSlice(at: 0, length: cut)!)
            #expect(try reader.next() == nil)
            #expect(reader.incompleteTrailingBytes == cut)
        }
    }

    @Test("bad lengths and counts throw instead of crashing")
    func badLengths() throws {
        // batch length below the header size
        var short = Self.golden
        short[11] = 40
        var reader = RecordSetReader(ByteBuffer(bytes: short))
        #expect(protocolErrorCode { _ = try reader.next() } == .corrupt)
        // size below every format's minimum
        var tiny = Self.golden
        tiny[11] = 5
        reader = RecordSetReader(ByteBuffer(bytes: tiny))
        #expect(protocolErrorCode { _ = try reader.next() } == .corrupt)
        // unknown magic
        var magic3 = Self.golden
        magic3[16] = 3
        reader = RecordSetReader(ByteBuffer(bytes: magic3))
        #expect(protocolErrorCode { _ = try reader.next() } == .corrupt)
        // record count larger than the records: the third record is truncated
        #expect(protocolErrorCode { _ = try self.batchWith(count: 3, verify: false).records() } == .truncated)
        // record count smaller: bytes follow the last record
        #expect(protocolErrorCode { _ = try self.batchWith(count: 1, verify: false).records() } == .corrupt)
        // negative record count
        #expect(protocolErrorCode { _ = try self.batchWith(count: -1, verify: true) } == .invalidValue)
        // a record length past the end of the batch
        var long = Self.golden
        long[61] = 0x7E
        #expect(protocolErrorCode { _ = try self.resigned(long).records() } == .corrupt)
        // a record length longer than its fields
        var padded = Self.golden
        padded[61] = 0x14  // 10 instead of 9: the next record's length byte is swallowed
        #expect(throws: ProtocolError.self) { _ = try self.resigned(padded).records() }
        // a negative key length other than -1
        var negativeKey = Self.golden
        negativeKey[65] = 0x03  // zigzag -2
        #expect(protocolErrorCode { _ = try self.resigned(negativeKey).records() } == .invalidValue)
    }

    @Test("records before a damaged record are returned, then the error is thrown")
    func lazyFailure() throws {
        var damaged = Self.golden
        damaged[71] = 0x7E  // second record's length
        var iterator = try resigned(damaged).makeRecordIterator()
        #expect(try iterator.next()?.key == bytes("a"))
        #expect(throws: ProtocolError.self) { _ = try iterator.next() }
    }

    @Test("an unknown codec id fails when the records are read")
    func unknownCodec() throws {
        var data = Self.golden
        data[22] = 0x06
        let batch = try resigned(data)
        #expect(batch.compression.rawValue == 6)
        #expect(protocolErrorCode { _ = try batch.makeRecordIterator() } == .invalidValue)
    }

    @Test("a compressed batch that decompresses past the limit is rejected as oversized")
    func decompressionLimit() throws {
        var builder = RecordBatchBuilder(compression: .zstd)
        builder.append(timestamp: 0, key: nil, value: ByteBuffer(repeating: 0, count: 4 * 1024 * 1024))
        let data = try builder.finish()
        #expect(data.readableBytes < 4096)
        let batch = try singleBatch(data)
        #expect(protocolErrorCode { _ = try batch.makeRecordIterator(maxDecompressedSize: 1024 * 1024) } == .oversized)
        #expect(try batch.records(maxDecompressedSize: 8 * 1024 * 1024)[0].value?.readableBytes == 4 * 1024 * 1024)
    }

    @Test("random damage to batches throws ProtocolError or decodes, never crashes", arguments: ["none", "gzip", "lz4"])
    func fuzz(fixture: String) throws {
        let original = buffer(
            base64: ["none": KafkaPythonBatches.none, "gzip": KafkaPythonBatches.gzip, "lz4": KafkaPythonBatches.lz4][fixture]!)
        var state: UInt64 = 0xDEAD_BEEF
        func random() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33)
        }
        for _ in 0..<1500 {
            var damaged = original
            for _ in 0..<(1 + random() % 4) {
                damaged.setInteger(UInt8(truncatingIfNeeded: random()), at: random() % damaged.readableBytes)
            }
            if random() % 4 == 0 { damaged = damaged.getSlice(at: 0, length: random() % damaged.readableBytes)! }
            do {
                _ = try readAll(damaged, verify: false)
            } catch is ProtocolError {
            }
        }
    }

    /// The golden batch with its record count replaced and the CRC recomputed.
    private func batchWith(count: Int32, verify: Bool) throws -> RecordBatch {
        var data = ByteBuffer(bytes: Self.golden)
        data.setInteger(count, at: 57)
        data.setInteger(CRC32C.checksum(data.getSlice(at: 21, length: data.readableBytes - 21)!), at: 17)
        var copy = data
        return try RecordBatch(decoding: &copy, verifyChecksum: verify)
    }

    /// A batch from damaged golden bytes, with the CRC fixed so that decoding gets past it.
    private func resigned(_ bytes: [UInt8]) throws -> RecordBatch {
        var data = ByteBuffer(bytes: bytes)
        data.setInteger(CRC32C.checksum(data.getSlice(at: 21, length: data.readableBytes - 21)!), at: 17)
        return try RecordBatch(decoding: &data)
    }
}
