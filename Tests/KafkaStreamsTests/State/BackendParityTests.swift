import KafkaStreamsTesting
import Testing

@testable import KafkaStreams

/// Table and windowing topologies give the same output records on both backends.
@Suite("Topologies on both backends")
struct BackendParityTests {
    /// Runs `topology` on `backend`, pipes `input` (key, value, timestamp) into `in` and
    /// returns what `out` received, rendered.
    func run(_ backend: Backend, _ topology: Topology, _ input: [(String, String?, Int64)]) throws -> [String] {
        var config = StreamsConfig(applicationID: "parity")
        config.defaultDSLStore = backend.storeType
        config.cacheMaxBytes = 1024  // small: eviction happens in the middle of processing
        let driver = try TopologyTestDriver(topology, config: config)
        defer { driver.close() }
        let topic = driver.inputTopic("in", key: .string, value: .optional(.string))
        for (key, value, timestamp) in input { try topic.pipeInput(key, value, timestamp: timestamp) }
        let records = try driver.outputTopic("out", key: .string, value: .optional(.string)).readRecordsToList()
        return records.map { record -> String in
            let key: String = record.key ?? "null"
            let value: String = record.value.flatMap { $0 } ?? "null"
            return "\(key)=\(value)@\(record.timestamp)"
        }
    }

    static let input: [(String, String?, Int64)] = (0..<120).map { (i: Int) -> (String, String?, Int64) in
        let key = "k\(i % 9)"
        let value: String? = i % 13 == 0 ? nil : "v\(i % 5)"
        let timestamp = Int64(i * 7 % 400 + i)
        return (key, value, timestamp)
    }

    @Test func tableAggregationsMatch() throws {
        let builder = StreamsBuilder()
        let table = builder.stream("in", key: .string, value: .optional(.string)).toTable(Materialized<String, String>.as("t"))
        let counts: KTable<String, Int64> = table.groupBy(Grouped(key: .string, value: .string)) { _, v in (v, v) }
            .count(.as("by-value"))
        counts.toStream().mapValues { (n: Int64?) -> String? in n.map { String($0) } }
            .to("out", key: .string, value: .optional(.string))
        let topology = try builder.build()
        let onRocksDB = try run(.rocksDB, topology, Self.input)
        #expect(!onRocksDB.isEmpty)
        #expect(onRocksDB == (try run(.inMemory, topology, Self.input)))
    }

    @Test func windowedAndSessionAggregationsMatch() throws {
        let builder = StreamsBuilder()
        let grouped = builder.stream("in", key: .string, value: .optional(.string))
            .filter { _, v in v != nil }.mapValues { $0 ?? "" }.groupByKey()
        grouped.windowedBy(.hopping(size: .milliseconds(50), advance: .milliseconds(20)).grace(.milliseconds(30)))
            .count(.as("w")).toStream()
            .map { (k: Windowed<String>, v: Int64?) -> (String, String?) in ("\(k.key)@\(k.window.start)", v.map { String($0) }) }
            .to("out", key: .string, value: .optional(.string))
        grouped.windowedBy(.session(gap: .milliseconds(15)).grace(.milliseconds(30)))
            .count(.as("s")).toStream()
            .map { (k: Windowed<String>, v: Int64?) -> (String, String?) in
                ("\(k.key)[\(k.window.start),\(k.window.end)]", v.map { String($0) })
            }
            .to("out", key: .string, value: .optional(.string))
        let topology = try builder.build()
        let onRocksDB = try run(.rocksDB, topology, Self.input)
        #expect(onRocksDB.count > 100)
        #expect(onRocksDB == (try run(.inMemory, topology, Self.input)))
    }
}
