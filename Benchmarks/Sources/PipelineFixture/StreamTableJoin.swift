import KafkaStreams
import KafkaStreamsTesting

/// The stream–table join measured by the `StreamTableJoin` benchmark and by
/// `PipelineProfile`: `stream("in").join(table("table")) { _, row in row } → to("out")`,
/// String keys and values, the table in its in-memory store (with the default record
/// cache), run through the ``TopologyTestDriver``.
///
/// - The table holds 100,000 rows `"key-<i>" → "row-<i>"`, loaded before anything is
///   measured. Stream record `n` has key `n % 100,000` (every record finds its row) and
///   the stateless pipeline's 100-byte value; the join forwards the row: one output
///   record per input record.
public enum StreamTableJoin {
    public static let streamTopic = "in"
    public static let tableTopic = "table"
    public static let outputTopic = "out"
    public static let rows = 100_000
    public static let baseTimestamp: Int64 = 1_700_000_000_000

    /// The topology under test.
    public static func topology() throws -> Topology {
        let builder = StreamsBuilder()
        let table = builder.table(tableTopic, key: .string, value: .string)
        builder.stream(streamTopic, key: .string, value: .string).join(table) { _, row in row }.to(outputTopic)
        return try builder.build()
    }

    /// A driver running the topology, with its topic handles.
    public final class Harness {
        public let driver: TopologyTestDriver
        public let input: TestInputTopic<String, String>
        public let output: TestOutputTopic<String, String>
        public let keys: [String]
        public let rowValues: [String]
        public let values: [String]
        public private(set) var next = 0

        public init() throws {
            driver = try TopologyTestDriver(StreamTableJoin.topology(), initialWallClockTime: baseTimestamp)
            input = driver.inputTopic(streamTopic, key: .string, value: .string)
            output = driver.outputTopic(outputTopic, key: .string, value: .string)
            keys = (0..<rows).map { "key-\($0)" }
            rowValues = (0..<rows).map { "row-\($0)" }
            values = StatelessPipeline.makeValues()
            let table = driver.inputTopic(tableTopic, key: .string, value: .string)
            for i in 0..<rows { try table.pipeInput(keys[i], rowValues[i], timestamp: baseTimestamp) }
        }

        /// Pipes `count` stream records.
        @inline(__always)
        public func pipe(_ count: Int) throws {
            for _ in 0..<count {
                try input.pipeInput(
                    keys[next % rows], values[next % StatelessPipeline.distinct], timestamp: baseTimestamp + Int64(next))
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

        /// Checks the output of the records `from..<from+count`: each record's key and its row.
        public func verify(from: Int, count: Int) throws {
            for n in from..<(from + count) {
                let record = try output.readRecord()
                precondition(record.key == keys[n % rows] && record.value == rowValues[n % rows], "record \(n): \(record)")
                precondition(record.timestamp == baseTimestamp + Int64(n), "record \(n): unexpected timestamp")
            }
            precondition(output.isEmpty, "more output records than input records")
        }

        /// Pipes 2,000 records, every output checked, before anything is measured.
        public func prefill() throws {
            for _ in 0..<2 {
                let from = next
                try pipe(1_000)
                try verify(from: from, count: 1_000)
            }
        }
    }
}
