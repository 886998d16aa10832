import KafkaStreams
import KafkaStreamsTesting

/// The stateful pipeline measured by the `CountPerKey` benchmarks and by `PipelineProfile`:
/// `source("in") → groupByKey → count → toStream → to("out")`, String keys and values,
/// Int64 counts in the in-memory key-value store, run through the ``TopologyTestDriver``.
///
/// - Keys are `"key-<i>"` for 100,000 distinct `i` (at most 9 UTF-8 bytes: Swift stores
///   them inline, so a key costs no allocation). Record `n` has key `n % 100,000`, so once
///   the first 100,000 records have gone through, every record updates an existing count.
/// - Values are the stateless pipeline's 100-byte ASCII values (`count` ignores them, but
///   the source deserializes them, as a real application's source would).
/// - Timestamps grow by 1 ms per record.
/// - `cached`: the default `count()`, whose store has a record cache. The driver commits
///   after every record, so the cache flushes every record: one output record per input
///   record, forwarded from the flush. `uncached`: `count(Materialized().withCachingDisabled())`,
///   which forwards each update from `process`. Both write one output record per input record.
public enum CountPerKey {
    public static let inputTopic = "in"
    public static let outputTopic = "out"
    /// Distinct keys cycled through by the inputs.
    public static let distinctKeys = 100_000
    public static let baseTimestamp: Int64 = 1_700_000_000_000

    /// The topology under test.
    public static func topology(caching: Bool) throws -> Topology {
        let builder = StreamsBuilder()
        let grouped = builder.stream(inputTopic, key: .string, value: .string).groupByKey()
        let counts = caching ? grouped.count() : grouped.count(Materialized().withCachingDisabled())
        counts.toStream().to(outputTopic)
        return try builder.build()
    }

    /// `"key-<i>"` for i in 0..<distinctKeys.
    public static func makeKeys() -> [String] { (0..<distinctKeys).map { "key-\($0)" } }

    /// A driver running the topology, with its input and output topic handles.
    public final class Harness {
        public let driver: TopologyTestDriver
        public let input: TestInputTopic<String, String>
        public let output: TestOutputTopic<String, Int64>
        public let keys: [String]
        public let values: [String]
        /// The next record index (also its timestamp offset), kept across batches.
        public private(set) var next = 0

        /// The changelog of the count's store (RocksDB runs only; drained with the output).
        public let changelogStore: String?

        /// - Parameter store: the DSL store type (`default.dsl.store`). In-memory by default,
        ///   so the figures stay comparable with those recorded before RocksDB stores.
        public init(caching: Bool, store: DSLStoreType = .inMemory) throws {
            var config = StreamsConfig(applicationID: "test-driver")
            config.defaultDSLStore = store
            let topology = try CountPerKey.topology(caching: caching)
            driver = try TopologyTestDriver(topology, config: config, initialWallClockTime: baseTimestamp)
            changelogStore = store == .rocksDB ? topology.storeNames.first : nil
            input = driver.inputTopic(inputTopic, key: .string, value: .string)
            output = driver.outputTopic(outputTopic, key: .string, value: .int64)
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
            if let changelogStore { _ = try driver.readChangelog(forStore: changelogStore) }
            var n = 0
            while !output.isEmpty {
                _ = try output.readValue()
                n += 1
            }
            return n
        }

        /// Checks that the output is exactly what the count must produce for the records
        /// `from..<from+count` (drains them): record `k` has key `k % distinctKeys`, count
        /// `k / distinctKeys + 1` and timestamp `base + k`.
        public func verify(from: Int, count: Int) throws {
            for k in from..<(from + count) {
                let record = try output.readRecord()
                precondition(record.key == keys[k % distinctKeys], "key \(String(describing: record.key)) != \(keys[k % distinctKeys])")
                precondition(record.value == Int64(k / distinctKeys + 1), "record \(k): count \(String(describing: record.value))")
                precondition(record.timestamp == baseTimestamp + Int64(k), "record \(k): unexpected timestamp")
            }
            precondition(output.isEmpty, "more output records than input records")
        }

        /// Pipes one full cycle over the keys plus `extra` records, checking every output in
        /// batches of 1,000, so that the store holds every key and later records update
        /// existing counts (the steady state the benchmarks measure).
        public func prefill(extra: Int = 1_000) throws {
            let target = next + distinctKeys + extra
            while next < target {
                let from = next
                let n = min(1_000, target - next)
                try pipe(n)
                try verify(from: from, count: n)
            }
        }
    }
}
