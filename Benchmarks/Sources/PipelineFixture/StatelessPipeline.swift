import KafkaStreams
import KafkaStreamsTesting
import NIOCore

/// The stateless pipeline measured by the `StatelessPipeline` benchmarks and by
/// `PipelineProfile`: `source("in") → filter → mapValues → to("out")`, String keys and
/// values, run through the ``TopologyTestDriver``.
///
/// - Keys are `"key-<i % 1000>"` (at most 8 UTF-8 bytes: Swift stores them inline, so
///   deserializing a key allocates nothing).
/// - Values are 100 ASCII bytes (`"value-<i>-"` padded with lower-case letters): each
///   deserialized value is one heap allocation, as in a real application.
/// - `filter` keeps a record when its value is not empty: every record passes, so records
///   in = records out and the per-record figures cover the whole path.
/// - `mapValues` upper-cases the ASCII letters of the value into a new 100-byte String
///   (one allocation, one pass over the bytes): a cheap transform that really produces a
///   new value.
public enum StatelessPipeline {
    public static let inputTopic = "in"
    public static let outputTopic = "out"
    public static let valueLength = 100
    /// Distinct keys and values cycled through by the inputs.
    public static let distinct = 1000

    /// The topology under test.
    public static func topology() throws -> Topology {
        let builder = StreamsBuilder()
        builder.stream(inputTopic, key: .string, value: .string)
            .filter { _, value in !value.utf8.isEmpty }
            .mapValues { value in asciiUppercased(value) }
            .to(outputTopic, key: .string, value: .string)
        return try builder.build()
    }

    /// A new String with `a`–`z` upper-cased; other bytes unchanged. One allocation for
    /// values longer than 15 bytes.
    @inline(never)
    public static func asciiUppercased(_ text: String) -> String {
        let count = text.utf8.count
        return String(unsafeUninitializedCapacity: count) { out in
            let copied = text.utf8.withContiguousStorageIfAvailable { bytes in
                for i in 0..<count { out[i] = upper(bytes[i]) }
                return count
            }
            if let copied { return copied }
            var i = 0
            for byte in text.utf8 {
                out[i] = upper(byte)
                i += 1
            }
            return count
        }
    }

    @inline(__always)
    static func upper(_ byte: UInt8) -> UInt8 { byte &- UInt8(ascii: "a") < 26 ? byte &- 0x20 : byte }

    /// `"key-<i % 1000>"` for i in 0..<distinct.
    public static func makeKeys() -> [String] {
        (0..<distinct).map { "key-\($0 % 1000)" }
    }

    /// 100-byte ASCII values, all different.
    public static func makeValues() -> [String] {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz".utf8)
        return (0..<distinct).map { i in
            var bytes = Array("value-\(i)-".utf8)
            var j = i
            while bytes.count < valueLength {
                bytes.append(alphabet[j % alphabet.count])
                j += 7
            }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// A driver running the topology, with its input and output topic handles.
    public final class Harness {
        public let driver: TopologyTestDriver
        public let input: TestInputTopic<String, String>
        public let output: TestOutputTopic<String, String>
        public let keys: [String]
        public let values: [String]
        /// The next record index (also its timestamp offset), kept across batches so stream
        /// time keeps growing.
        public private(set) var next = 0
        let baseTimestamp: Int64 = 1_700_000_000_000

        public init() throws {
            driver = try TopologyTestDriver(StatelessPipeline.topology(), initialWallClockTime: 1_700_000_000_000)
            input = driver.inputTopic(inputTopic, key: .string, value: .string)
            output = driver.outputTopic(outputTopic, key: .string, value: .string)
            keys = makeKeys()
            values = makeValues()
            for key in keys { precondition(key.utf8.count <= 15, "keys must stay small strings") }
        }

        /// Pipes `count` records, in order.
        @inline(__always)
        public func pipe(_ count: Int) throws {
            for _ in 0..<count {
                let i = next % distinct
                try input.pipeInput(keys[i], values[i], timestamp: baseTimestamp + Int64(next))
                next += 1
            }
        }

        /// Reads every unread output value; returns how many were read.
        @discardableResult
        public func drain() throws -> Int {
            var n = 0
            while !output.isEmpty {
                _ = try output.readValue()
                n += 1
            }
            return n
        }

        /// Checks that the output is exactly what the pipeline should produce for the
        /// records `from..<from+count` (drains them).
        public func verify(from: Int, count: Int) throws {
            for k in from..<(from + count) {
                let record = try output.readRecord()
                let i = k % distinct
                precondition(record.key == keys[i], "key \(String(describing: record.key)) != \(keys[i])")
                precondition(record.value == asciiUppercased(values[i]), "unexpected value \(String(describing: record.value))")
                precondition(record.timestamp == baseTimestamp + Int64(k), "unexpected timestamp")
            }
            precondition(output.isEmpty, "more output records than input records")
        }
    }
}

/// The same work as the pipeline without the library: the floor the library is measured
/// against. For each record: serialize key and value into a scratch buffer (as the test
/// driver's input topic does), read them back as Strings (source), filter, upper-case
/// (mapValues), write key and value into an output buffer that is cleared once read
/// (sink and test-driver log).
public final class HandwrittenPipeline {
    var scratch = ByteBuffer()
    var out = ByteBuffer()
    public private(set) var written = 0
    let keys = StatelessPipeline.makeKeys()
    let values = StatelessPipeline.makeValues()
    var next = 0

    public init() {}

    @inline(never)
    public func pipe(_ count: Int) {
        for _ in 0..<count {
            let i = next % StatelessPipeline.distinct
            next += 1
            scratch.clear()
            let keyLength = scratch.writeString(keys[i])
            let valueLength = scratch.writeString(values[i])
            var keyBytes = scratch.getSlice(at: 0, length: keyLength)!
            var valueBytes = scratch.getSlice(at: keyLength, length: valueLength)!
            let key = keyBytes.readString(length: keyLength)!
            let value = valueBytes.readString(length: valueLength)!
            guard !value.utf8.isEmpty else { continue }
            let mapped = StatelessPipeline.asciiUppercased(value)
            out.writeString(key)
            out.writeString(mapped)
            written += 1
        }
    }

    /// Forgets the written records (the equivalent of draining the output topic).
    public func drain() {
        out.clear()
        written = 0
    }
}
