import KafkaStreams
import KafkaStreamsTesting

/// The stream–stream join measured by the `StreamStreamJoin` benchmark and by
/// `PipelineProfile`: `left.join(right, .ofTimeDifferenceWithNoGrace(.minutes(5))) { a, c
/// in c } → to("out")`, String keys and values, both sides buffered in the in-memory join
/// window stores, run through the ``TopologyTestDriver``.
///
/// - Records come in pairs, interleaved: record `2p` goes to `left`, record `2p + 1` to
///   `right`, both with key `"key-<p % 10,000>"` and timestamp `base + 31 p` ms (an
///   authorization and its capture). A key recurs every 10,000 pairs = 310 s, just more
///   than the 5-minute window, so each right record matches exactly its own pair's left
///   record: one output per pair (half an output per input record), forwarded when the
///   right record arrives; each left record looks up the right store and finds nothing.
/// - Values are the stateless pipeline's 100-byte ASCII values; the join forwards the
///   right value.
/// - Each store keeps 10 minutes (window size 10 min, no grace): about 19,400 records.
public enum StreamStreamJoin {
    public static let leftTopic = "left"
    public static let rightTopic = "right"
    public static let outputTopic = "out"
    public static let distinctKeys = 10_000
    public static let pairSpacingMs: Int64 = 31
    public static let baseTimestamp: Int64 = 1_700_000_000_000

    /// The topology under test.
    public static func topology() throws -> Topology {
        let builder = StreamsBuilder()
        let left = builder.stream(leftTopic, key: .string, value: .string)
        let right = builder.stream(rightTopic, key: .string, value: .string)
        left.join(right, .ofTimeDifferenceWithNoGrace(.seconds(300))) { _, capture in capture }.to(outputTopic)
        return try builder.build()
    }

    /// A driver running the topology, with its topic handles.
    public final class Harness {
        public let driver: TopologyTestDriver
        public let left: TestInputTopic<String, String>
        public let right: TestInputTopic<String, String>
        public let output: TestOutputTopic<String, String>
        public let keys: [String]
        public let values: [String]
        /// The next record index, kept across batches.
        public private(set) var next = 0

        public init() throws {
            driver = try TopologyTestDriver(StreamStreamJoin.topology(), initialWallClockTime: baseTimestamp)
            left = driver.inputTopic(leftTopic, key: .string, value: .string)
            right = driver.inputTopic(rightTopic, key: .string, value: .string)
            output = driver.outputTopic(outputTopic, key: .string, value: .string)
            keys = (0..<distinctKeys).map { "key-\($0)" }
            values = StatelessPipeline.makeValues()
            for key in keys { precondition(key.utf8.count <= 15, "keys must stay small strings") }
        }

        /// Pipes `count` records, alternating left and right.
        @inline(__always)
        public func pipe(_ count: Int) throws {
            for _ in 0..<count {
                let pair = next >> 1
                let topic = next & 1 == 0 ? left : right
                try topic.pipeInput(
                    keys[pair % distinctKeys], values[next % StatelessPipeline.distinct],
                    timestamp: baseTimestamp + Int64(pair) * pairSpacingMs)
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

        /// Checks the output of the records `from..<from+count` (`from` and `count` even):
        /// one record per pair, the pair's key, the right record's value and the pair's
        /// timestamp.
        public func verify(from: Int, count: Int) throws {
            for n in stride(from: from + 1, to: from + count, by: 2) {
                let record = try output.readRecord()
                let pair = n >> 1
                precondition(record.key == keys[pair % distinctKeys], "record \(n): key \(String(describing: record.key))")
                precondition(record.value == values[n % StatelessPipeline.distinct], "record \(n): unexpected value")
                precondition(record.timestamp == baseTimestamp + Int64(pair) * pairSpacingMs, "record \(n): unexpected timestamp")
            }
            precondition(output.isEmpty, "more output records than pairs")
        }

        /// Pipes 11 minutes of pairs (the stores fill and start expiring), every output
        /// checked, before anything is measured.
        public func prefill() throws {
            let target = next + Int(11 * 60_000 / pairSpacingMs) * 2
            while next < target {
                let from = next
                try pipe(1_000)
                try verify(from: from, count: 1_000)
            }
        }
    }
}
