import KafkaStreams
import KafkaStreamsTesting

/// The windowed aggregation measured by the `WindowedCount` benchmark and by
/// `PipelineProfile`: `source("in") → groupByKey → windowedBy(tumbling 1 min) → count →
/// toStream → to("out")`, String keys and values, Int64 counts in the in-memory window
/// store, run through the ``TopologyTestDriver``.
///
/// - Keys are `"key-<i>"` for 10,000 distinct `i` (small strings, no allocation). Record
///   `n` has key `n % 10,000` and timestamp `base + n` ms, with `base` a multiple of the
///   window size. A window therefore holds 60,000 records, 6 per key: the first of each
///   key in a window creates its count, the next 5 update it, and every 60,000 records a
///   new window starts and the one before the previous expires (retention = size + 1 ms).
/// - Values are the stateless pipeline's 100-byte ASCII values (ignored by `count`).
/// - Window stores have no record cache, so every update is forwarded at once: one output
///   record per input record, keyed `Windowed<String>` (`key` bytes + 8-byte window start).
public enum WindowedCount {
    public static let inputTopic = "in"
    public static let outputTopic = "out"
    /// Distinct keys cycled through by the inputs.
    public static let distinctKeys = 10_000
    public static let windowSizeMs: Int64 = 60_000
    /// A multiple of the window size, so record `n` falls in window `n / 60,000`.
    public static let baseTimestamp: Int64 = 1_700_000_040_000

    /// The topology under test.
    public static func topology() throws -> Topology {
        let builder = StreamsBuilder()
        builder.stream(inputTopic, key: .string, value: .string)
            .groupByKey()
            .windowedBy(.tumbling(every: .seconds(60)))
            .count()
            .toStream()
            .to(outputTopic, key: .windowed(.string), value: .optional(.int64))
        return try builder.build()
    }

    /// `"key-<i>"` for i in 0..<distinctKeys.
    public static func makeKeys() -> [String] { (0..<distinctKeys).map { "key-\($0)" } }

    /// A driver running the topology, with its input and output topic handles.
    public final class Harness {
        public let driver: TopologyTestDriver
        public let input: TestInputTopic<String, String>
        public let output: TestOutputTopic<Windowed<String>, Int64>
        public let keys: [String]
        public let values: [String]
        /// The next record index (also its timestamp offset), kept across batches.
        public private(set) var next = 0

        public init() throws {
            precondition(baseTimestamp % windowSizeMs == 0)
            // In-memory stores, as when these figures were first recorded (the driver's
            // default is now RocksDB, as Kafka Streams').
            var config = StreamsConfig(applicationID: "test-driver")
            config.defaultDSLStore = .inMemory
            driver = try TopologyTestDriver(WindowedCount.topology(), config: config, initialWallClockTime: baseTimestamp)
            input = driver.inputTopic(inputTopic, key: .string, value: .string)
            output = driver.outputTopic(outputTopic, key: .windowed(.string, size: .milliseconds(windowSizeMs)), value: .int64)
            keys = makeKeys()
            values = StatelessPipeline.makeValues()
            for key in keys { precondition(key.utf8.count <= 15, "keys must stay small strings") }
        }

        /// Pipes `count` records, in order.
        @inline(__always)
        public func pipe(_ count: Int) throws {
            for _ in 0..<count {
                try input.pipeInput(
                    keys[next % distinctKeys], values[next % StatelessPipeline.distinct], timestamp: baseTimestamp + Int64(next))
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

        /// Checks that the output is exactly what the windowed count must produce for the
        /// records `from..<from+count` (drains them): record `k` has key `k % distinctKeys`
        /// in the window starting at `base + (k / size) * size`, count
        /// `(k % size) / distinctKeys + 1` and timestamp `base + k`.
        public func verify(from: Int, count: Int) throws {
            let size = Int(windowSizeMs)
            for k in from..<(from + count) {
                let record = try output.readRecord()
                let start = baseTimestamp + Int64(k / size) * windowSizeMs
                let expected = Windowed(key: keys[k % distinctKeys], window: Window(start: start, end: start + windowSizeMs))
                precondition(record.key == expected, "record \(k): key \(String(describing: record.key)) != \(expected)")
                precondition(record.value == Int64((k % size) / distinctKeys + 1), "record \(k): count \(String(describing: record.value))")
                precondition(record.timestamp == baseTimestamp + Int64(k), "record \(k): unexpected timestamp")
            }
            precondition(output.isEmpty, "more output records than input records")
        }

        /// Pipes one full window plus `extra` records, checking every output in batches of
        /// 1,000, so that the measured records include window turnover and expiry from the start.
        public func prefill(extra: Int = 1_000) throws {
            let target = next + Int(windowSizeMs) + extra
            while next < target {
                let from = next
                let n = min(1_000, target - next)
                try pipe(n)
                try verify(from: from, count: n)
            }
        }
    }
}
