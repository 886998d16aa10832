/// xxHash32, the checksum of the LZ4 frame format (header, block and content checksums).
enum XXHash32 {
    private static let prime1: UInt32 = 2_654_435_761
    private static let prime2: UInt32 = 2_246_822_519
    private static let prime3: UInt32 = 3_266_489_917
    private static let prime4: UInt32 = 668_265_263
    private static let prime5: UInt32 = 374_761_393

    @inline(__always)
    private static func rotl(_ x: UInt32, _ r: UInt32) -> UInt32 { (x << r) | (x >> (32 - r)) }

    @inline(__always)
    private static func round(_ acc: UInt32, _ lane: UInt32) -> UInt32 {
        rotl(acc &+ lane &* prime2, 13) &* prime1
    }

    /// The xxHash32 of `bytes` with `seed`.
    static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt32 = 0) -> UInt32 {
        let count = bytes.count
        var p = 0
        var h: UInt32
        @inline(__always) func word(_ at: Int) -> UInt32 {
            UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt32.self))
        }
        if count >= 16 {
            var v1 = seed &+ prime1 &+ prime2
            var v2 = seed &+ prime2
            var v3 = seed
            var v4 = seed &- prime1
            while p + 16 <= count {
                v1 = round(v1, word(p))
                v2 = round(v2, word(p + 4))
                v3 = round(v3, word(p + 8))
                v4 = round(v4, word(p + 12))
                p += 16
            }
            h = rotl(v1, 1) &+ rotl(v2, 7) &+ rotl(v3, 12) &+ rotl(v4, 18)
        } else {
            h = seed &+ prime5
        }
        h = h &+ UInt32(truncatingIfNeeded: count)
        while p + 4 <= count {
            h = h &+ word(p) &* prime3
            h = rotl(h, 17) &* prime4
            p += 4
        }
        while p < count {
            h = h &+ UInt32(bytes[p]) &* prime5
            h = rotl(h, 11) &* prime1
            p += 1
        }
        h ^= h >> 15
        h = h &* prime2
        h ^= h >> 13
        h = h &* prime3
        h ^= h >> 16
        return h
    }
}
