import NIOCore
import Testing

@testable import KafkaProtocol

/// A bit-at-a-time reflected CRC-32, independent of the table-driven code under test.
private func referenceCRC(_ bytes: [UInt8], polynomial: UInt32) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ polynomial : crc >> 1 }
    }
    return ~crc
}

/// Deterministic pseudo-random bytes (xorshift64).
private func pseudoRandomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
    var state = seed
    return (0..<count).map { _ in
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return UInt8(truncatingIfNeeded: state)
    }
}

@Suite("CRC-32C and CRC-32")
struct CRCTests {
    @Test("CRC-32C check value of \"123456789\" is 0xE3069283")
    func castagnoliCheckValue() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum(ByteBuffer(string: "123456789")) == 0xE306_9283)
    }

    @Test("CRC-32C test vectors of RFC 3720 (iSCSI), appendix B.4")
    func castagnoliRFC3720() {
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
        #expect(CRC32C.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
        #expect(CRC32C.checksum((0..<32).reversed().map { UInt8($0) }) == 0x113F_DB5C)
    }

    @Test("CRC-32 (IEEE) check value of \"123456789\" is 0xCBF43926")
    func ieeeCheckValue() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([UInt8]()) == 0)
        #expect(CRC32.checksum(Array("The quick brown fox jumps over the lazy dog".utf8)) == 0x414F_A339)
    }

    @Test("the empty input has checksum 0")
    func empty() {
        #expect(CRC32C.checksum([UInt8]()) == 0)
        #expect(CRC32C.checksum(ByteBuffer()) == 0)
    }

    @Test("slicing-by-8 equals a bitwise reference for every length 0...100 and some large ones")
    func matchesReference() {
        let data = pseudoRandomBytes(70_000, seed: 0x9E37_79B9_7F4A_7C15)
        for length in Array(0...100) + [1_000, 4_097, 65_536, 70_000] {
            let slice = Array(data[0..<length])
            #expect(CRC32C.checksum(slice) == referenceCRC(slice, polynomial: 0x82F6_3B78), "CRC-32C, length \(length)")
            #expect(CRC32.checksum(slice) == referenceCRC(slice, polynomial: 0xEDB8_8320), "CRC-32, length \(length)")
        }
    }

    @Test("unaligned starts give the same checksum")
    func unaligned() {
        let data = pseudoRandomBytes(300, seed: 7)
        data.withUnsafeBytes { raw in
            for start in 0..<9 {
                let part = UnsafeRawBufferPointer(rebasing: raw[start...])
                #expect(CRC32C.checksum(part) == referenceCRC(Array(data[start...]), polynomial: 0x82F6_3B78))
            }
        }
    }

    @Test("incremental updates equal one checksum over the concatenation, at every split point")
    func incremental() {
        let data = pseudoRandomBytes(200, seed: 42)
        let whole = CRC32C.checksum(data)
        for split in 0...data.count {
            var crc = CRC32C()
            crc.update(Array(data[..<split]))
            crc.update(Array(data[split...]))
            #expect(crc.value == whole, "split at \(split)")
            var resumed = CRC32C(continuingFrom: CRC32C.checksum(Array(data[..<split])))
            resumed.update(Array(data[split...]))
            #expect(resumed.value == whole)
        }
    }

    @Test("a ByteBuffer's checksum covers its readable bytes only")
    func byteBufferReadableBytes() {
        var buffer = ByteBuffer(string: "xx123456789")
        buffer.moveReaderIndex(forwardBy: 2)
        #expect(CRC32C.checksum(buffer) == 0xE306_9283)
        #expect(CRC32.checksum(buffer) == 0xCBF4_3926)
        var crc = CRC32C()
        crc.update(buffer)
        #expect(crc.value == 0xE306_9283)
    }
}
