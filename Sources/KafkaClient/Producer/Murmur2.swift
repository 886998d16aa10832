import NIOCore

/// Kafka's variant of MurmurHash2 (32-bit, seed `0x9747b28c`), as in Java's
/// `org.apache.kafka.common.utils.Utils.murmur2`: the hash the default partitioner takes
/// of a record's serialized key.
///
/// Java's `BuiltInPartitioner.partitionForKey` picks `toPositive(murmur2(key)) % numPartitions`,
/// where `toPositive(h) = h & 0x7fffffff`; ``partition(forKey:partitionCount:)`` does the
/// same, so keyed records land in the partitions a Java producer (or librdkafka's
/// `murmur2_random` partitioner) would choose.
///
/// ```swift
/// Murmur2.hash(Array("21".utf8))                          // -973932308, as Kafka's UtilsTest
/// Murmur2.partition(forKey: ByteBuffer(string: "user-7"), partitionCount: 12)
/// ```
///
/// - Complexity: O(n) in the key's length; no allocation.
public enum Murmur2 {
    /// The seed Kafka uses.
    public static let seed: UInt32 = 0x9747_b28c

    /// The hash of some bytes, as the signed 32-bit value Java returns.
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        let m: UInt32 = 0x5bd1_e995
        let length = bytes.count
        var h = seed ^ UInt32(truncatingIfNeeded: length)
        let blocks = length / 4
        var i = 0
        while i < blocks {
            var k = bytes.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self).littleEndian
            k = k &* m
            k ^= k >> 24
            k = k &* m
            h = h &* m
            h ^= k
            i += 1
        }
        let tail = length & ~3
        switch length & 3 {
        case 3:
            h ^= UInt32(bytes[tail + 2]) << 16
            h ^= UInt32(bytes[tail + 1]) << 8
            h ^= UInt32(bytes[tail])
            h = h &* m
        case 2:
            h ^= UInt32(bytes[tail + 1]) << 8
            h ^= UInt32(bytes[tail])
            h = h &* m
        case 1:
            h ^= UInt32(bytes[tail])
            h = h &* m
        default:
            break
        }
        h ^= h >> 13
        h = h &* m
        h ^= h >> 15
        return Int32(bitPattern: h)
    }

    /// The hash of a byte array.
    public static func hash(_ bytes: [UInt8]) -> Int32 {
        bytes.withUnsafeBytes { hash($0) }
    }

    /// The hash of a buffer's readable bytes.
    public static func hash(_ buffer: ByteBuffer) -> Int32 {
        buffer.withUnsafeReadableBytes { hash($0) }
    }

    /// The partition Java's default partitioner picks for a non-null key:
    /// `(murmur2(key) & 0x7fffffff) % partitionCount`.
    /// - Precondition: `partitionCount > 0`.
    public static func partition(forKey key: ByteBuffer, partitionCount: Int32) -> Int32 {
        (hash(key) & 0x7fff_ffff) % partitionCount
    }

    /// The partition Java's default partitioner picks for a non-null key given as bytes.
    /// - Precondition: `partitionCount > 0`.
    public static func partition(forKey key: [UInt8], partitionCount: Int32) -> Int32 {
        (hash(key) & 0x7fff_ffff) % partitionCount
    }
}
