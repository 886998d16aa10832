import KafkaClient
import NIOCore
import Testing

@Suite struct ProducerPartitionerTests {
    /// The vectors of Kafka's own `UtilsTest.testMurmur2`.
    @Test func murmur2MatchesKafkasTestVectors() {
        let cases: [(String, Int32)] = [
            ("21", -973_932_308),
            ("foobar", -790_332_482),
            ("a-little-bit-long-string", -985_981_536),
            ("a-little-bit-longer-string", -1_486_304_829),
            ("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58_897_971),
            ("abc", 479_470_107),
        ]
        for (key, expected) in cases {
            #expect(Murmur2.hash(Array(key.utf8)) == expected, "\(key)")
            #expect(Murmur2.hash(ByteBuffer(string: key)) == expected, "\(key)")
        }
        #expect(Murmur2.hash([]) == 275_646_681)
    }

    /// 1000 keys (text and binary, 0-40 bytes): the hashes of kafka-python's Java-compatible
    /// murmur2 and the partitions librdkafka's murmur2_random picked, both committed.
    @Test func partitionsMatchCommittedJavaAndLibrdkafkaVectors() {
        let keys = PartitionerVectors.keys()
        let partitions = Array(PartitionerVectors.librdkafkaPartitionsOf12).map { Int32(String($0), radix: 12)! }
        #expect(keys.count == 1000 && PartitionerVectors.hashes.count == 1000 && partitions.count == 1000)
        var mismatches: [String] = []
        for (index, key) in keys.enumerated() {
            if Murmur2.hash(key) != PartitionerVectors.hashes[index] { mismatches.append("hash of key \(index)") }
            if Murmur2.partition(forKey: key, partitionCount: 12) != partitions[index] {
                mismatches.append("partition of key \(index)")
            }
            let slice = ByteBuffer(bytes: [0xFF] + key + [0xEE]).getSlice(at: 1, length: key.count)!
            if Murmur2.partition(forKey: slice, partitionCount: 12) != partitions[index] {
                mismatches.append("slice of key \(index)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
    }

    /// Live: 2000 random keys through librdkafka's partitioner (a real producer on a private
    /// mock cluster), for a partition count the committed vectors do not use.
    @Test func partitionsMatchLibrdkafkaLive() throws {
        var random = SystemRandomNumberGenerator()
        let keys: [[UInt8]] = (0..<2000).map { i in (0..<(1 + i % 33)).map { _ in UInt8.random(in: 0...255, using: &random) } }
        let theirs = try rdkafkaPartitions(for: keys, partitionCount: 9)
        let ours = keys.map { Murmur2.partition(forKey: $0, partitionCount: 9) }
        let differing = zip(ours, theirs).enumerated().filter { $0.element.0 != $0.element.1 }.map(\.offset)
        #expect(differing.isEmpty, "keys \(differing.prefix(5).map { keys[$0] }) differ")
    }
}
