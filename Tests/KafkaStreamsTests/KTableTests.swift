import KafkaStreams
import KafkaStreamsTesting
import Testing

private func driver(_ builder: StreamsBuilder, _ app: String = "app", cache: Int? = nil) throws -> TopologyTestDriver {
    var config = StreamsConfig(applicationID: app)
    if let cache { config.cacheMaxBytes = cache }
    return try TopologyTestDriver(try builder.build(), config: config, initialWallClockTime: 0)
}

@Suite struct StreamAggregationTests {
    @Test func countPerKeyWithMaxTimestamp() throws {
        let builder = StreamsBuilder()
        builder.stream("in", key: .string, value: .string).groupByKey().count().toStream().to("out")
        let d = try driver(builder)
        let input = d.inputTopic("in", key: .string, value: .string)
        try input.pipeInput("a", "x", timestamp: 10)
        try input.pipeInput("b", "y", timestamp: 5)
        try input.pipeInput("a", "z", timestamp: 7)  // out of order: result keeps the larger timestamp
        try input.pipeInput("a", "w", timestamp: 20)
        #expect(
            try d.outputTopic("out", key: .string, value: .int64).readRecordsToList() == [
                TestRecord(key: "a", value: 1, timestamp: 10), TestRecord(key: "b", value: 1, timestamp: 5),
                TestRecord(key: "a", value: 2, timestamp: 10), TestRecord(key: "a", value: 3, timestamp: 20),
            ])
    }

    @Test func reduceCombinesValues() throws {
        let builder = StreamsBuilder()
        builder.stream("in", key: .string, value: .int64).groupByKey().reduce(.as("max")) { max($0, $1) }.toStream().to("out")
        let d = try driver(builder)
        let input = d.inputTopic("in", key: .string, value: .int64)
        try input.pipeKeyValueList([KeyValue("a", 3), KeyValue("a", 1), KeyValue("a", 9), KeyValue("b", 2)])
        #expect(
            try d.outputTopic("out", key: .string, value: .int64).readKeyValuesToList() == [
                KeyValue("a", 3), KeyValue("a", 3), KeyValue("a", 9), KeyValue("b", 2),
            ])
        let store = try d.getKeyValueStore("max", key: String.self, value: Int64.self)
        #expect(try store.get("a") == 9)
        #expect(try store.all().toArray() == [KeyValue("a", 9), KeyValue("b", 2)])
    }

    @Test func aggregateWithInitializerAndSerde() throws {
        let builder = StreamsBuilder()
        builder.stream("in", key: .string, value: .string)
            .groupByKey()
            .aggregate(Materialized(value: .string), initializer: { "" }) { _, v, agg in agg.isEmpty ? v : agg + "," + v }
            .toStream()
            .to("out")
        let d = try driver(builder)
        let input = d.inputTopic("in", key: .string, value: .string)
        try input.pipeKeyValueList([KeyValue("k", "a"), KeyValue("k", "b"), KeyValue("j", "c")])
        #expect(
            try d.outputTopic("out", key: .string, value: .string).readKeyValuesToList() == [
                KeyValue("k", "a"), KeyValue("k", "a,b"), KeyValue("j", "c"),
            ])
    }

    @Test func aggregatorErrorsNameTheProcessorAndRecord() throws {
        struct Overflow: Error {}
        let builder = StreamsBuilder()
        builder.stream("in", key: .string, value: .int64).groupByKey()
            .reduce(named: "sum") { a, b in
                if a + b > 10 { throw Overflow() }
                return a + b
            }
        let d = try driver(builder)
        let input = d.inputTopic("in", key: .string, value: .int64)
        try input.pipeInput("k", 6)
        let error = try #require(throws: StreamsError.self) { try input.pipeInput("k", 6) }
        #expect(error.code == .processing)
        #expect(error.context.node == "sum")
        #expect(error.context.topic == "in")
        #expect(error.context.offset == 1)
    }

    @Test func nullKeysAreDroppedAndCounted() throws {
        let builder = StreamsBuilder()
        builder.stream("in", key: .optional(.string), value: .string).groupByKey(Grouped(key: .string)).count().toStream().to("out")
        let d = try driver(builder)
        let input = d.inputTopic("in", key: .optional(.string), value: .string)
        try input.pipeInput("a", "1")
        try input.pipeInput(nil, "2")
        try input.pipeInput("a", "3")
        #expect(try d.outputTopic("out", key: .string, value: .int64).readKeyValuesToList() == [KeyValue("a", 1), KeyValue("a", 2)])
        #expect(d.droppedRecordsByReason == ["null-key": 1])
    }

    @Test func groupByRepartitionsThroughANamedTopic() throws {
        let builder = StreamsBuilder()
        builder.stream("in", key: .string, value: .string)
            .groupBy(Grouped(named: "by-value", key: .string)) { _, v in v }
            .count(.as("counts"))
            .toStream()
            .to("out")
        let topology = try builder.build()
        #expect(topology.internalTopicNames == ["by-value-repartition"])
        #expect(
            topology.describe().description == """
                Topologies:
                   Sub-topology: 0
                    Source: KSTREAM-SOURCE-0000000000 (topics: [in])
                      --> KSTREAM-KEY-SELECT-0000000001
                    Processor: KSTREAM-KEY-SELECT-0000000001 (stores: [])
                      --> by-value-repartition-sink
                      <-- KSTREAM-SOURCE-0000000000
                    Sink: by-value-repartition-sink (topic: by-value-repartition)
                      <-- KSTREAM-KEY-SELECT-0000000001

                  Sub-topology: 1
                    Source: by-value-repartition-source (topics: [by-value-repartition])
                      --> KSTREAM-AGGREGATE-0000000002
                    Processor: KSTREAM-AGGREGATE-0000000002 (stores: [counts])
                      --> KTABLE-TOSTREAM-0000000003
                      <-- by-value-repartition-source
                    Processor: KTABLE-TOSTREAM-0000000003 (stores: [])
                      --> KSTREAM-SINK-0000000004
                      <-- KSTREAM-AGGREGATE-0000000002
                    Sink: KSTREAM-SINK-0000000004 (topic: out)
                      <-- KTABLE-TOSTREAM-0000000003


                """)
        let d = try TopologyTestDriver(topology, config: StreamsConfig(applicationID: "wc"))
        try d.inputTopic("in", key: .string, value: .string).pipeKeyValueList([KeyValue("1", "x"), KeyValue("2", "y"), KeyValue("3", "x")])
        // As in Kafka Streams, internal topics count: the repartition topic and the changelog.
        #expect(d.producedTopicNames == ["wc-by-value-repartition", "wc-counts-changelog", "out"])
        #expect(try d.outputTopic("out", key: .string, value: .int64).readKeyValuesToList() == [KeyValue("x", 1), KeyValue("y", 1), KeyValue("x", 2)])
    }

    @Test func unnamedRepartitionIsNamedAfterTheStore() throws {
        let builder = StreamsBuilder()
        builder.stream("in", key: .string, value: .string).selectKey { _, v in v }.groupByKey().count()
        #expect(try builder.build().internalTopicNames == ["KSTREAM-AGGREGATE-STATE-STORE-0000000002-repartition"])
    }

    @Test func optimizationSharesOneRepartitionTopic() throws {
        func make() -> StreamsBuilder {
            let builder = StreamsBuilder()
            let rekeyed = builder.stream("in", key: .string, value: .string).selectKey { _, v in v }
            rekeyed.groupByKey().count(.as("a"))
            rekeyed.groupByKey().count(.as("b"))
            return builder
        }
        #expect(try make().build().internalTopicNames == ["a-repartition", "b-repartition"])
        let optimized = try make().build(optimization: .all)
        #expect(optimized.internalTopicNames == ["a-repartition"])
        let d = try TopologyTestDriver(optimized)
        try d.inputTopic("in", key: .string, value: .string).pipeInput("k", "v")
        #expect(try d.getKeyValueStore("a", key: String.self, value: Int64.self).get("v") == 1)
        #expect(try d.getKeyValueStore("b", key: String.self, value: Int64.self).get("v") == 1)
    }

    @Test func cachingDeduplicatesUpdatesWithinOneCommit() throws {
        let builder = StreamsBuilder()
        builder.stream("in", key: .string, value: .string)
            .flatMapValues { $0.split(separator: " ").map(String.init) }
            .groupBy(Grouped(key: .string)) { _, word in word }
            .count()
            .toStream()
            .to("out")
        // A line with a repeated word: each repartitioned word is its own record (and commit).
        let cached = try driver(builder)
        try cached.inputTopic("in", key: .string, value: .string).pipeInput("l", "a a")
        #expect(try cached.outputTopic("out", key: .string, value: .int64).readKeyValuesToList() == [KeyValue("a", 1), KeyValue("a", 2)])
    }

    @Test func cachingCollapsesUpdatesOfOneRecord() throws {
        // Without a repartition, both updates come from one piped record: the cache forwards
        // only the latest at commit; without a cache both are forwarded.
        func run(cache: Int) throws -> [KeyValue<String?, Int64?>] {
            let builder = StreamsBuilder()
            builder.stream("in", key: .string, value: .int64)
                .flatMapValues { [$0, $0] }
                .groupByKey()
                .reduce { $0 + $1 }
                .toStream()
                .to("out")
            let d = try driver(builder, cache: cache)
            try d.inputTopic("in", key: .string, value: .int64).pipeInput("k", 5)
            return try d.outputTopic("out", key: .string, value: .int64).readKeyValuesToList()
        }
        #expect(try run(cache: 1024 * 1024) == [KeyValue("k", 10)])
        #expect(try run(cache: 0) == [KeyValue("k", 5), KeyValue("k", 10)])
    }
}

@Suite struct KTableOperatorTests {
    @Test func tableSourceUpsertsAndDeletes() throws {
        let builder = StreamsBuilder()
        builder.table("cards", key: .string, value: .string, .as("cards-store")).toStream().to("out")
        let d = try driver(builder)
        let input = d.inputTopic("cards", key: .string, value: .string)
        try input.pipeInput("c1", "alice", timestamp: 1)
        try input.pipeInput("c2", "bob", timestamp: 2)
        try input.pipeInput("c1", "carol", timestamp: 3)
        try input.pipeInput(TestRecord(key: "c2", value: nil, timestamp: 4))
        try input.pipeInput(TestRecord(key: nil, value: "orphan", timestamp: 5))
        #expect(
            try d.outputTopic("out", key: .string, value: .string).readRecordsToList() == [
                TestRecord(key: "c1", value: "alice", timestamp: 1), TestRecord(key: "c2", value: "bob", timestamp: 2),
                TestRecord(key: "c1", value: "carol", timestamp: 3), TestRecord(key: "c2", value: nil, timestamp: 4),
            ])
        #expect(d.droppedRecordsByReason == ["null-key": 1])
        let store = try d.getKeyValueStore("cards-store", key: String.self, value: String.self)
        #expect(try store.all().toArray() == [KeyValue("c1", "carol")])
        let timestamped = try d.getKeyValueStore("cards-store", key: String.self, value: ValueAndTimestamp<String>.self)
        #expect(try timestamped.get("c1") == ValueAndTimestamp("carol", timestamp: 3))
    }

    @Test func unmaterializedFilterForwardsTombstonesForEveryFilteredUpdate() throws {
        let builder = StreamsBuilder()
        builder.table("t", key: .string, value: .int64).filter { _, v in v > 10 }.toStream().to("out")
        let d = try driver(builder)
        let input = d.inputTopic("t", key: .string, value: .int64)
        try input.pipeKeyValueList([KeyValue("a", 5), KeyValue("b", 20), KeyValue("b", 3)])
        #expect(
            try d.outputTopic("out", key: .string, value: .int64).readKeyValuesToList() == [
                KeyValue("a", nil), KeyValue("b", 20), KeyValue("b", nil),
            ])
    }

    @Test func materializedFilterEmitsTombstonesOnlyForKeysThatPassed() throws {
        let builder = StreamsBuilder()
        let big = builder.table("t", key: .string, value: .int64).filter(.as("big")) { _, v in v > 10 }
        #expect(big.queryableStoreName == "big")
        big.toStream().to("out")
        let d = try driver(builder)
        let input = d.inputTopic("t", key: .string, value: .int64)
        try input.pipeKeyValueList([KeyValue("a", 5), KeyValue("b", 20), KeyValue("b", 30), KeyValue("b", 3), KeyValue("a", 1)])
        #expect(
            try d.outputTopic("out", key: .string, value: .int64).readKeyValuesToList() == [
                KeyValue("b", 20), KeyValue("b", 30), KeyValue("b", nil),
            ])
        #expect(try d.getKeyValueStore("big", key: String.self, value: Int64.self).approximateNumEntries() == 0)
    }

    @Test func filterNotAndMapValues() throws {
        let builder = StreamsBuilder()
        builder.table("t", key: .string, value: .int64)
            .filterNot { k, _ in k == "skip" }
            .mapValues { _, v in "v\(v)" }
            .toStream().to("out", value: .optional(.string))
        let d = try driver(builder)
        let input = d.inputTopic("t", key: .string, value: .int64)
        try input.pipeKeyValueList([KeyValue("a", 1), KeyValue("skip", 2)])
        try input.pipeInput(TestRecord(key: "a", value: nil))
        #expect(
            try d.outputTopic("out", key: .string, value: .string).readKeyValuesToList() == [
                KeyValue("a", "v1"), KeyValue("skip", nil), KeyValue("a", nil),
            ])
    }

    @Test func transformValuesUsesAStore() throws {
        final class Versioned: ValueTransformerWithKey {
            var versions: (any KeyValueStore<String, Int64>)!
            func initialize(context: ProcessorContext<Void, Void>) throws { versions = try context.getStateStore("versions") }
            func transform(key: String, value: String?) throws -> String? {
                guard let value else { return nil }
                let version = (try versions.get(key) ?? 0) + 1
                try versions.put(key, version)
                return "\(value)@\(version)"
            }
        }
        let builder = StreamsBuilder()
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("versions"), key: .string, value: .int64))
        builder.table("t", key: .string, value: .string).transformValues(stores: ["versions"]) { Versioned() }
            .toStream().to("out", value: .optional(.string))
        let d = try driver(builder)
        let input = d.inputTopic("t", key: .string, value: .string)
        try input.pipeKeyValueList([KeyValue("a", "x"), KeyValue("a", "y")])
        #expect(try d.outputTopic("out", key: .string, value: .string).readValuesToList() == ["x@1", "y@2"])
    }

    @Test func toTableAndBackToStream() throws {
        let builder = StreamsBuilder()
        builder.stream("in", key: .string, value: .optional(.string)).toTable(Materialized.as("latest")).toStream().to("out")
        let d = try driver(builder)
        let input = d.inputTopic("in", key: .string, value: .optional(.string))
        try input.pipeInput("a", "1", timestamp: 1)
        try input.pipeInput("a", "2", timestamp: 2)
        try input.pipeInput(TestRecord(key: "a", value: .some(nil), timestamp: 3))
        #expect(
            try d.outputTopic("out", key: .string, value: .string).readRecordsToList() == [
                TestRecord(key: "a", value: "1", timestamp: 1), TestRecord(key: "a", value: "2", timestamp: 2),
                TestRecord(key: "a", value: nil, timestamp: 3),
            ])
        #expect(try d.getKeyValueStore("latest", key: String.self, value: String.self).approximateNumEntries() == 0)
    }

    @Test func toStreamWithKeyMapper() throws {
        let builder = StreamsBuilder()
        builder.table("t", key: .string, value: .string).toStream { k, v in "\(k)/\(v ?? "-")" }.to("out", key: .string)
        let d = try driver(builder)
        try d.inputTopic("t", key: .string, value: .string).pipeInput("a", "b")
        #expect(try d.outputTopic("out", key: .string, value: .string).readKeyValue() == KeyValue("a/b", "b"))
    }
}

@Suite struct KGroupedTableTests {
    /// Users by city: moving a user to another city subtracts from the old city's count.
    @Test func countWithSubtractorWhenARowMovesBetweenGroups() throws {
        let builder = StreamsBuilder()
        builder.table("users", key: .string, value: .string)
            .groupBy(Grouped(key: .string, value: .string)) { user, city in (city, user) }
            .count(.as("per-city"))
            .toStream()
            .to("out")
        let d = try driver(builder)
        let users = d.inputTopic("users", key: .string, value: .string)
        try users.pipeInput("ann", "paris", timestamp: 1)
        try users.pipeInput("bob", "paris", timestamp: 2)
        try users.pipeInput("ann", "rome", timestamp: 3)
        try users.pipeInput(TestRecord(key: "bob", value: nil, timestamp: 4))
        #expect(
            try d.outputTopic("out", key: .string, value: .int64).readRecordsToList() == [
                TestRecord(key: "paris", value: 1, timestamp: 1), TestRecord(key: "paris", value: 2, timestamp: 2),
                TestRecord(key: "paris", value: 1, timestamp: 3), TestRecord(key: "rome", value: 1, timestamp: 3),
                TestRecord(key: "paris", value: 0, timestamp: 4),
            ])
        #expect(try d.getKeyValueStore("per-city", key: String.self, value: Int64.self).get("rome") == 1)
    }

    @Test func reduceWithAdderAndSubtractor() throws {
        let builder = StreamsBuilder()
        builder.table("balances", key: .string, value: .int64)
            .groupBy(Grouped(key: .string, value: .int64)) { account, balance in (String(account.prefix(1)), balance) }
            .reduce(adder: { $0 + $1 }, subtractor: { $0 - $1 })
            .toStream()
            .to("out")
        let d = try driver(builder)
        let input = d.inputTopic("balances", key: .string, value: .int64)
        try input.pipeKeyValueList([KeyValue("a1", 10), KeyValue("a2", 5), KeyValue("a1", 7), KeyValue("b1", 1)])
        #expect(
            try d.outputTopic("out", key: .string, value: .int64).readKeyValuesToList() == [
                KeyValue("a", 10), KeyValue("a", 15), KeyValue("a", 12), KeyValue("b", 1),
            ])
    }

    @Test func aggregateWithSubtractorSendsOneChangeWhenTheGroupStays() throws {
        let builder = StreamsBuilder()
        builder.table("t", key: .string, value: .int64)
            .groupBy(Grouped(key: .string, value: .int64)) { _, v in ("all", v) }
            .aggregate(Materialized(value: .string), initializer: { "" }, adder: { _, v, agg in agg + "+\(v)" }, subtractor: { _, v, agg in agg + "-\(v)" })
            .toStream()
            .to("out")
        let d = try driver(builder)
        let input = d.inputTopic("t", key: .string, value: .int64)
        try input.pipeKeyValueList([KeyValue("x", 1), KeyValue("x", 2)])
        #expect(try d.outputTopic("out", key: .string, value: .string).readValuesToList() == ["+1", "+1-1+2"])
    }
}

@Suite struct CogroupTests {
    @Test func cogroupOfThreeStreams() throws {
        let builder = StreamsBuilder()
        let clicks = builder.stream("clicks", key: .string, value: .int64).groupByKey()
        let views = builder.stream("views", key: .string, value: .int64).groupByKey()
        let buys = builder.stream("buys", key: .string, value: .string).groupByKey()
        clicks.cogroup { (_, n: Int64, agg: String) in agg + "c\(n)" }
            .cogroup(views) { _, n, agg in agg + "v\(n)" }
            .cogroup(buys) { _, item, agg in agg + "b:\(item)" }
            .aggregate(Materialized("activity", value: .string), initializer: { "" })
            .toStream()
            .to("out")
        let topology = try builder.build()
        #expect(topology.describe().subtopologies.count == 1)
        let d = try driver(builder)
        try d.inputTopic("clicks", key: .string, value: .int64).pipeInput("u1", 1, timestamp: 1)
        try d.inputTopic("views", key: .string, value: .int64).pipeInput("u1", 2, timestamp: 2)
        try d.inputTopic("buys", key: .string, value: .string).pipeInput("u1", "hat", timestamp: 3)
        try d.inputTopic("views", key: .string, value: .int64).pipeInput("u2", 9, timestamp: 4)
        #expect(
            try d.outputTopic("out", key: .string, value: .string).readRecordsToList() == [
                TestRecord(key: "u1", value: "c1", timestamp: 1), TestRecord(key: "u1", value: "c1v2", timestamp: 2),
                TestRecord(key: "u1", value: "c1v2b:hat", timestamp: 3), TestRecord(key: "u2", value: "v9", timestamp: 4),
            ])
        #expect(try d.getKeyValueStore("activity", key: String.self, value: String.self).get("u1") == "c1v2b:hat")
    }
}

@Suite struct GlobalKTableTests {
    /// Enriches payments with the card holder's name from a global table read in a processor.
    final class Enrich: Processor {
        var context: ProcessorContext<String, String>!
        var cards: (any KeyValueStore<String, ValueAndTimestamp<String>>)!
        func initialize(context: ProcessorContext<String, String>) throws {
            self.context = context
            cards = try context.getStateStore("cards")
        }
        func process(_ record: Record<String, Int64>) throws {
            let holder = try cards.get(record.key)?.value ?? "unknown"
            try context.forward(record.withValue("\(holder):\(record.value)"))
        }
    }

    @Test func processorsReadTheGlobalStoreWithoutBeingConnected() throws {
        let builder = StreamsBuilder()
        let cards = builder.globalTable("cards", key: .string, value: .string, .as("cards"))
        #expect(cards.queryableStoreName == "cards")
        builder.stream("payments", key: .string, value: .int64).process { Enrich() }.to("enriched", key: .string, value: .string)
        let topology = try builder.build()
        #expect(
            topology.describe().description.hasPrefix(
                """
                Topologies:
                   Sub-topology: 0 for global store (will not generate tasks)
                    Source: KSTREAM-SOURCE-0000000000 (topics: [cards])
                      --> KTABLE-SOURCE-0000000001
                    Processor: KTABLE-SOURCE-0000000001 (stores: [cards])
                      --> none
                      <-- KSTREAM-SOURCE-0000000000

                  Sub-topology: 1
                """))
        let d = try TopologyTestDriver(topology)
        let cardsIn = d.inputTopic("cards", key: .string, value: .string)
        let payments = d.inputTopic("payments", key: .string, value: .int64)
        try payments.pipeInput("c1", 5)
        try cardsIn.pipeInput("c1", "ann")
        try payments.pipeInput("c1", 7)
        try cardsIn.pipeInput(TestRecord(key: "c1", value: nil))
        try payments.pipeInput("c1", 9)
        #expect(
            try d.outputTopic("enriched", key: .string, value: .string).readValuesToList() == ["unknown:5", "ann:7", "unknown:9"])
        #expect(d.producedTopicNames == ["enriched"])
    }
}

@Suite struct NullsAndRepartitionTests {
    @Test func groupByKeyDropsNullValuesAndKeys() throws {
        let builder = StreamsBuilder()
        builder.stream("in", key: .optional(.string), value: .optional(.int64)).groupByKey().reduce { $0 + $1 }.toStream().to("out")
        let d = try TopologyTestDriver(try builder.build())
        let input = d.inputTopic("in", key: .optional(.string), value: .optional(.int64))
        try input.pipeInput("a", 1)
        try input.pipeInput(TestRecord(key: "a", value: .some(nil)))
        try input.pipeInput(TestRecord(key: .some(nil), value: 5))
        try input.pipeInput("a", 2)
        #expect(try d.outputTopic("out", key: .string, value: .int64).readKeyValuesToList() == [KeyValue("a", 1), KeyValue("a", 3)])
        #expect(d.droppedRecordsByReason == ["null-key": 1, "null-value": 1])
    }

    @Test func toTableDropsNullKeysAndRepartitionsAfterAKeyChange() throws {
        let builder = StreamsBuilder()
        builder.stream("in", key: .optional(.string), value: .string).toTable(Materialized.as("t1"))
        builder.stream("in2", key: .string, value: .string).selectKey { _, v in v }.toTable(named: "by-value")
        let topology = try builder.build()
        #expect(topology.internalTopicNames == ["by-value-repartition"])
        let d = try TopologyTestDriver(topology)
        let input = d.inputTopic("in", key: .optional(.string), value: .string)
        try input.pipeInput(nil, "x")
        try input.pipeInput("k", "y")
        #expect(try d.getKeyValueStore("t1", key: String.self, value: String.self).all().toArray() == [KeyValue("k", "y")])
        #expect(d.droppedRecordsByReason == ["null-key": 1])
    }

    @Test func toStreamWithAKeyMapperRepartitionsBeforeGrouping() throws {
        let builder = StreamsBuilder()
        builder.table("t", key: .string, value: .string).toStream { _, v in v ?? "" }.groupByKey().count(.as("c"))
        #expect(try builder.build().internalTopicNames == ["c-repartition"])
    }

    @Test func cogroupOfTwoRekeyedInputsGetsTwoTopics() throws {
        let builder = StreamsBuilder()
        let a = builder.stream("a", key: .string, value: .string).selectKey { _, v in v }.groupByKey()
        let b = builder.stream("b", key: .string, value: .string).selectKey { _, v in v }.groupByKey()
        a.cogroup { (_, _: String, n: Int64) in n + 1 }.cogroup(b) { _, _, n in n + 10 }
            .aggregate(Materialized("n", value: .int64), initializer: { 0 })
        let topology = try builder.build()
        #expect(topology.internalTopicNames == ["n-1-repartition", "n-repartition"])
        let d = try TopologyTestDriver(topology)
        try d.inputTopic("a", key: .string, value: .string).pipeInput("x", "k")
        try d.inputTopic("b", key: .string, value: .string).pipeInput("y", "k")
        #expect(try d.getKeyValueStore("n", key: String.self, value: Int64.self).get("k") == 11)
    }

    @Test func cachedTombstoneForAKeyNeverSeenEmitsNothing() throws {
        let builder = StreamsBuilder()
        builder.table("t", key: .string, value: .string, .as("s")).toStream().to("out")
        let d = try TopologyTestDriver(try builder.build())
        try d.inputTopic("t", key: .string, value: .string).pipeInput(TestRecord(key: "ghost", value: nil))
        #expect(try d.outputTopic("out", key: .string, value: .string).readRecordsToList().isEmpty)
    }
}
