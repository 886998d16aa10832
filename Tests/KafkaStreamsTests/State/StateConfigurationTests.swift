import KafkaStreamsTesting
import NIOConcurrencyHelpers
import Testing

@testable import KafkaStreams

/// How configuration chooses and tunes stores: `default.dsl.store`, `Materialized`, the
/// `rocksdb.*` properties and the per-store config setter.
@Suite("State configuration")
struct StateConfigurationTests {
    @Test func propertiesParseWithKafkaNames() throws {
        let config = try StreamsConfig(properties: [
            "application.id": "app", "default.dsl.store": "in_memory", "rocksdb.total.memory": "1048576",
            "rocksdb.memtable.ratio": "0.5", "rocksdb.compression": "zstd", "state.cleanup.delay.ms": "1000",
        ])
        #expect(config.defaultDSLStore == .inMemory)
        #expect(config.rocksDBTotalMemory == 1_048_576)
        #expect(config.rocksDBMemtableRatio == 0.5)
        #expect(config.rocksDBCompression == .zstd)
        #expect(config.stateCleanupDelay == .seconds(1))
        #expect(StreamsConfig(applicationID: "a").defaultDSLStore == .rocksDB)  // as Kafka Streams
        #expect(
            try StreamsConfig(properties: ["application.id": "a", "default.dsl.store": "rocksDB"]).defaultDSLStore == .rocksDB)
        for (name, value) in [("default.dsl.store", "lmdb"), ("rocksdb.compression", "brotli"), ("rocksdb.memtable.ratio", "2")] {
            let error = expectStreamsError { _ = try StreamsConfig(properties: ["application.id": "a", name: value]) }
            #expect(error?.code == .invalidConfig)
            #expect(error?.message.contains(name) == true)
        }
    }

    static func countTopology(_ materialized: Materialized<String, Int64>) throws -> Topology {
        let builder = StreamsBuilder()
        builder.stream("in", key: .string, value: .string).groupByKey().count(materialized)
        return try builder.build()
    }

    @Test func theDefaultStoreTypeAndMaterializedChooseTheBackend() throws {
        func bytesStore(_ materialized: Materialized<String, Int64>, default type: DSLStoreType) throws -> any StateStore {
            var config = StreamsConfig(applicationID: "app")
            config.defaultDSLStore = type
            let driver = try TopologyTestDriver(try Self.countTopology(materialized), config: config)
            defer { driver.close() }
            return innermost(try driver.getStateStore("c"))
        }
        #expect(try bytesStore(.as("c"), default: .rocksDB) is RocksDBKeyValueStore)
        #expect(try bytesStore(.as("c"), default: .inMemory) is InMemoryKeyValueStore)
        #expect(try bytesStore(Materialized.as("c").withStoreType(.inMemory), default: .rocksDB) is InMemoryKeyValueStore)
        #expect(try bytesStore(Materialized.as("c").withStoreType(.rocksDB), default: .inMemory) is RocksDBKeyValueStore)
        #expect(try bytesStore(.as(Stores.inMemoryKeyValueStore("c")), default: .rocksDB) is InMemoryKeyValueStore)
    }

    @Test func windowedAggregationsUseSegmentedRocksDBStoresByDefault() throws {
        let builder = StreamsBuilder()
        let grouped = builder.stream("in", key: .string, value: .string).groupByKey()
        grouped.windowedBy(.tumbling(every: .seconds(1))).count(.as("w"))
        grouped.windowedBy(.session(gap: .seconds(1))).count(.as("s"))
        let driver = try TopologyTestDriver(try builder.build(), config: StreamsConfig(applicationID: "app"))
        defer { driver.close() }
        #expect(innermost(try driver.getStateStore("w")) is RocksDBWindowStore)
        #expect(innermost(try driver.getStateStore("s")) is RocksDBSessionStore)
        try driver.inputTopic("in", key: .string, value: .string).pipeInput("k", "v", timestamp: 1500)
        let windows = try driver.getStateStore("w", as: (any WindowStore<String, ValueAndTimestamp<Int64>>).self)
        #expect(try windows.fetch("k", windowStart: 1000) == ValueAndTimestamp(1, timestamp: 1500))
    }

    @Test func theConfigSetterAdjustsOneStore() throws {
        let seen = NIOLockedValueBox<[String]>([])
        var config = StreamsConfig(applicationID: "app")
        config.rocksDBConfigSetter = { store, options in
            seen.withLockedValue { $0.append(store) }
            if store == "c" { options.compression = .zstd }
        }
        let builder = StreamsBuilder()
        builder.stream("in", key: .string, value: .string).groupByKey().count(.as("c"))
        builder.stream("in2", key: .string, value: .string).groupByKey().count(.as("d"))
        let driver = try TopologyTestDriver(try builder.build(), config: config)
        defer { driver.close() }
        #expect(seen.withLockedValue { $0 }.sorted() == ["c", "d"])
        // RocksDB records the options it opened with in its OPTIONS file.
        func options(_ store: String) throws -> String {
            let directory = try #require(driver.stateManager.storeDirectory(store))
            let file = try #require(StateDirectory.list(directory).first { $0.hasPrefix("OPTIONS-") })
            return try #require(try ChangelogRestorationTests().readFile("\(directory)/\(file)"))
        }
        #expect(try options("c").contains("compression=kZSTD"))
        #expect(try options("d").contains("compression=kLZ4Compression"))
    }
}
