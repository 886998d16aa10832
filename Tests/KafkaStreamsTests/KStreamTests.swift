import KafkaStreams
import KafkaStreamsTesting
import Testing

/// Builds a topology from `body` and returns a driver, an input on "in" and an output on "out".
private func run<K, V, OK, OV>(
    key: Serde<K>, value: Serde<V>, outKey: Serde<OK>, outValue: Serde<OV>,
    _ body: (KStream<K, V>) -> Void
) throws -> (TopologyTestDriver, TestInputTopic<K, V>, TestOutputTopic<OK, OV>) {
    let builder = StreamsBuilder()
    body(builder.stream("in", key: key, value: value))
    let driver = try TopologyTestDriver(try builder.build(), initialWallClockTime: 0)
    return (
        driver, driver.inputTopic("in", key: key, value: value, startTimestamp: 1_000, autoAdvance: .milliseconds(10)),
        driver.outputTopic("out", key: outKey, value: outValue)
    )
}

@Suite struct KStreamStatelessTests {
    @Test func filterKeepsMatchingRecordsUnchanged() throws {
        let (_, input, output) = try run(key: .string, value: .int64, outKey: .string, outValue: .int64) {
            $0.filter { _, v in v > 10 }.to("out")
        }
        try input.pipeInput("a", 5)
        try input.pipeInput("b", 20, headers: [("h", [1])])
        try input.pipeInput("c", 11)
        #expect(
            try output.readRecordsToList() == [
                TestRecord(key: "b", value: 20, timestamp: 1_010, headers: [("h", [1])]),
                TestRecord(key: "c", value: 11, timestamp: 1_020),
            ])
    }

    @Test func filterNotDropsMatchingRecords() throws {
        let (_, input, output) = try run(key: .string, value: .int64, outKey: .string, outValue: .int64) {
            $0.filterNot { k, _ in k.hasPrefix("x") }.to("out")
        }
        try input.pipeKeyValueList([KeyValue("x1", 1), KeyValue("y", 2), KeyValue("x2", 3)])
        #expect(try output.readKeyValuesToList() == [KeyValue("y", 2)])
    }

    @Test func mapReplacesKeyAndValueAndKeepsTimestamp() throws {
        let (_, input, output) = try run(key: .string, value: .int64, outKey: .int64, outValue: .string) {
            $0.map { k, v in (v * 2, k.uppercased()) }.to("out", key: .int64, value: .string)
        }
        try input.pipeInput("a", 21, timestamp: 7)
        #expect(try output.readRecord() == TestRecord(key: 42, value: "A", timestamp: 7))
    }

    @Test func mapValuesKeepsKeyAndKeySerde() throws {
        let (_, input, output) = try run(key: .string, value: .string, outKey: .string, outValue: .int32) {
            $0.mapValues { v in Int32(v.count) }.to("out", value: .int32)
        }
        try input.pipeInput("k", "hello")
        try input.pipeInput("k2", "")
        #expect(try output.readKeyValuesToList() == [KeyValue("k", 5), KeyValue("k2", 0)])
    }

    @Test func mapValuesWithKeySeesTheKey() throws {
        let (_, input, output) = try run(key: .string, value: .string, outKey: .string, outValue: .string) {
            $0.mapValues { k, v in "\(k)=\(v)" }.to("out", value: .string)
        }
        try input.pipeInput("k", "v")
        #expect(try output.readValue() == "k=v")
    }

    @Test func flatMapEmitsEachResultWithTheInputTimestamp() throws {
        let (_, input, output) = try run(key: .string, value: .string, outKey: .string, outValue: .int64) {
            $0.flatMap { k, v in v.split(separator: ",").map { KeyValue("\(k)-\($0)", Int64($0.count)) } }
                .to("out", key: .string, value: .int64)
        }
        try input.pipeInput("k", "a,bb,ccc", timestamp: 5)
        try input.pipeInput("e", "", timestamp: 6)
        #expect(
            try output.readRecordsToList() == [
                TestRecord(key: "k-a", value: 1, timestamp: 5), TestRecord(key: "k-bb", value: 2, timestamp: 5),
                TestRecord(key: "k-ccc", value: 3, timestamp: 5),
            ])
    }

    @Test func flatMapValuesKeepsKey() throws {
        let (_, input, output) = try run(key: .string, value: .string, outKey: .string, outValue: .string) {
            $0.flatMapValues { v in v.split(separator: " ").map(String.init) }.to("out", value: .string)
        }
        try input.pipeInput("k", "x y")
        #expect(try output.readKeyValuesToList() == [KeyValue("k", "x"), KeyValue("k", "y")])
    }

    @Test func selectKeyReplacesOnlyTheKey() throws {
        let (_, input, output) = try run(key: .string, value: .int64, outKey: .int64, outValue: .int64) {
            $0.selectKey { _, v in v % 3 }.to("out", key: .int64)
        }
        try input.pipeInput("a", 10, timestamp: 3, headers: [("h", nil)])
        #expect(try output.readRecord() == TestRecord(key: 1, value: 10, timestamp: 3, headers: [("h", nil)]))
    }

    @Test func peekRunsTheActionAndForwards() throws {
        let seen = Box<[String]>([])
        let (_, input, output) = try run(key: .string, value: .string, outKey: .string, outValue: .string) {
            $0.peek { k, v in seen.value.append("\(k):\(v)") }.to("out")
        }
        try input.pipeInput("a", "1")
        try input.pipeInput("b", "2")
        #expect(seen.value == ["a:1", "b:2"])
        #expect(try output.readKeyValuesToList() == [KeyValue("a", "1"), KeyValue("b", "2")])
    }

    @Test func foreachIsTerminal() throws {
        let seen = Box<[Int64]>([])
        let builder = StreamsBuilder()
        builder.stream("in", key: .optional(.string), value: .int64).foreach { _, v in seen.value.append(v) }
        let driver = try TopologyTestDriver(try builder.build())
        try driver.inputTopic("in", key: .optional(.string), value: .int64).pipeValueList([1, 2, 3])
        #expect(seen.value == [1, 2, 3])
        #expect(driver.producedTopicNames.isEmpty)
    }

    @Test func mergeInterleavesBothStreamsInArrivalOrder() throws {
        let builder = StreamsBuilder()
        let a = builder.stream("a", key: .string, value: .string)
        let b = builder.stream("b", key: .string, value: .string)
        a.merge(b).to("out")
        let driver = try TopologyTestDriver(try builder.build())
        let inA = driver.inputTopic("a", key: .string, value: .string)
        let inB = driver.inputTopic("b", key: .string, value: .string)
        try inA.pipeInput("1", "a1")
        try inB.pipeInput("2", "b1")
        try inA.pipeInput("3", "a2")
        #expect(try driver.outputTopic("out", key: .string, value: .string).readValuesToList() == ["a1", "b1", "a2"])
    }

    @Test func streamFromSeveralTopics() throws {
        let builder = StreamsBuilder()
        builder.stream(["t1", "t2"], .with(.string, .string)).to("out")
        let driver = try TopologyTestDriver(try builder.build())
        try driver.inputTopic("t2", key: .string, value: .string).pipeInput("k", "from-2")
        try driver.inputTopic("t1", key: .string, value: .string).pipeInput("k", "from-1")
        #expect(try driver.outputTopic("out", key: .string, value: .string).readValuesToList() == ["from-2", "from-1"])
    }

    @Test func streamFromAPattern() throws {
        let builder = StreamsBuilder()
        builder.stream(pattern: try TopicPattern("events-[0-9]+"), .with(.string, .string)).to("out")
        let topology = try builder.build()
        #expect(topology.describe().description.contains("Source: KSTREAM-SOURCE-0000000000 (topics: events-[0-9]+)"))
        let driver = try TopologyTestDriver(topology)
        try driver.inputTopic("events-12", key: .string, value: .string).pipeInput("k", "v")
        #expect(throws: StreamsError.self) {
            try driver.inputTopic("events-x", key: .string, value: .string).pipeInput("k", "v")
        }
        #expect(try driver.outputTopic("out", key: .string, value: .string).readValuesToList() == ["v"])
    }

    @Test func toWithATopicChooser() throws {
        let (driver, input, _) = try run(key: .string, value: .int64, outKey: .string, outValue: .int64) {
            $0.to(.choose { record, _ in record.value >= 0 ? "positive" : "negative" }, .with(.string, .int64))
        }
        try input.pipeInput("a", 1)
        try input.pipeInput("b", -1)
        try input.pipeInput("c", 2)
        #expect(try driver.outputTopic("positive", key: .string, value: .int64).readKeyValuesToList() == [KeyValue("a", 1), KeyValue("c", 2)])
        #expect(try driver.outputTopic("negative", key: .string, value: .int64).readKeyValuesToList() == [KeyValue("b", -1)])
    }

    @Test func splitRoutesToTheFirstMatchingBranchThenDefault() throws {
        let builder = StreamsBuilder()
        let branches = builder.stream("in", key: .string, value: .int64)
            .split(named: "sizes-")
            .branch({ _, v in v > 100 }, .as("large"))
            .branch({ _, v in v > 10 }, .withConsumer { $0.to("medium") })
            .branch({ _, v in v > 5 })
            .defaultBranch(.as("small"))
        #expect(Set(branches.keys) == ["sizes-large", "sizes-3", "sizes-small"])
        branches["sizes-large"]?.to("large")
        branches["sizes-small"]?.to("small")
        branches["sizes-3"]?.to("six-to-ten")
        let driver = try TopologyTestDriver(try builder.build())
        let input = driver.inputTopic("in", key: .string, value: .int64)
        try input.pipeKeyValueList([KeyValue("a", 500), KeyValue("b", 50), KeyValue("c", 7), KeyValue("d", 1), KeyValue("e", 101)])
        func values(_ topic: String) throws -> [Int64?] {
            try driver.outputTopic(topic, key: .string, value: .int64).readValuesToList()
        }
        #expect(try values("large") == [500, 101])
        #expect(try values("medium") == [50])
        #expect(try values("six-to-ten") == [7])
        #expect(try values("small") == [1])
    }

    @Test func splitWithoutDefaultDropsUnmatched() throws {
        let builder = StreamsBuilder()
        let branches = builder.stream("in", key: .string, value: .int64).split()
            .branch { _, v in v % 2 == 0 }
            .noDefaultBranch()
        #expect(Array(branches.keys) == ["KSTREAM-BRANCH-00000000011"])
        branches.values.first?.to("even")
        let driver = try TopologyTestDriver(try builder.build())
        try driver.inputTopic("in", key: .string, value: .int64).pipeKeyValueList(
            [KeyValue("a", 1), KeyValue("b", 2), KeyValue("c", 3), KeyValue("d", 4)])
        #expect(try driver.outputTopic("even", key: .string, value: .int64).readValuesToList() == [2, 4])
    }

    @Test func printWritesLabelKeyAndValue() throws {
        let lines = Box<[String]>([])
        let builder = StreamsBuilder()
        let stream = builder.stream("in", key: .string, value: .int64)
        stream.print(Printed.toLines { lines.value.append($0) }.withLabel("payments"))
        stream.print(Printed.toLines { lines.value.append($0) }.withKeyValueMapper { k, v in "\(k)->\(v)" })
        let driver = try TopologyTestDriver(try builder.build())
        try driver.inputTopic("in", key: .string, value: .int64).pipeInput("card", 3)
        #expect(lines.value == ["[payments]: card, 3", "[KSTREAM-PRINTER-0000000002]: card->3"])
    }

    @Test func repartitionGoesThroughAnInternalTopicAndKeepsRecords() throws {
        let builder = StreamsBuilder()
        builder.stream("in", key: .string, value: .string)
            .selectKey { _, v in v }
            .repartition(Repartitioned(named: "by-value", key: .string))
            .to("out")
        let topology = try builder.build()
        #expect(topology.internalTopicNames == ["by-value-repartition"])
        var config = StreamsConfig(applicationID: "app")
        config.commitInterval = .seconds(5)
        let driver = try TopologyTestDriver(topology, config: config)
        try driver.inputTopic("in", key: .string, value: .string).pipeInput("k", "v", timestamp: 9, headers: [("h", [7])])
        #expect(driver.producedTopicNames == ["app-by-value-repartition", "out"])
        #expect(
            try driver.outputTopic("out", key: .string, value: .string).readRecord()
                == TestRecord(key: "v", value: "v", timestamp: 9, headers: [("h", [7])]))
    }

    @Test func operatorsAcceptNames() throws {
        let builder = StreamsBuilder()
        builder.stream("in", key: .string, value: .string, named: "source")
            .filter(named: "keep") { _, _ in true }
            .mapValues(named: "upper") { $0.uppercased() }
            .to("out", value: .string, named: "sink")
        let text = try builder.build().describe().description
        #expect(text.contains("Source: source (topics: [in])\n      --> keep"))
        #expect(text.contains("Processor: upper (stores: [])\n      --> sink\n      <-- keep"))
        #expect(text.contains("Sink: sink (topic: out)\n      <-- upper"))
    }

    @Test func generatedNamesAreDeterministic() throws {
        func make() throws -> String {
            let builder = StreamsBuilder()
            builder.stream("in", key: .string, value: .string).filter { _, _ in true }.mapValues { $0 }.to("out", value: .string)
            return try builder.build().describe().description
        }
        let first = try make()
        #expect(first == (try make()))
        #expect(first.contains("KSTREAM-FILTER-0000000001"))
        #expect(first.contains("KSTREAM-MAPVALUES-0000000002"))
        #expect(first.contains("KSTREAM-SINK-0000000003"))
    }

    @Test func sinkWithoutSerdesForChangedTypesFailsAtBuild() throws {
        let builder = StreamsBuilder()
        builder.stream("in", key: .string, value: .string).mapValues { $0.count }.to("out")
        let error = try #require(throws: StreamsError.self) { try builder.build() }
        #expect(error.code == .invalidTopology)
        #expect(error.context.node == "KSTREAM-SINK-0000000002")
        #expect(error.message.contains("no value serde for Int"))
    }

    @Test func nullValuesPassThroughStatelessOperators() throws {
        let (_, input, output) = try run(key: .string, value: .optional(.string), outKey: .string, outValue: .string) {
            $0.filter { _, v in v == nil }.to("out")
        }
        try input.pipeInput(TestRecord(key: "k", value: .some(nil)))
        try input.pipeInput("j", "x")
        let records = try output.readRecordsToList()
        #expect(records.count == 1)
        #expect(records.first?.key == "k")
        #expect(records.first?.value == nil)
    }

    @Test func processValuesPlugsAFixedKeyProcessor() throws {
        final class Suffix: FixedKeyProcessor {
            var context: FixedKeyProcessorContext<String, String>!
            func initialize(context: FixedKeyProcessorContext<String, String>) { self.context = context }
            func process(_ record: FixedKeyRecord<String, Int64>) throws {
                try context.forward(record.withValue("\(record.value)!").withTimestamp(record.timestamp + 1))
            }
        }
        let (_, input, output) = try run(key: .string, value: .int64, outKey: .string, outValue: .string) {
            $0.processValues { Suffix() }.to("out", value: .string)
        }
        try input.pipeInput("k", 1, timestamp: 10)
        #expect(try output.readRecord() == TestRecord(key: "k", value: "1!", timestamp: 11))
    }
}

/// A mutable box for test observations; tests run these closures on one thread.
final class Box<T>: @unchecked Sendable {  // safe: only touched from the test's own thread
    var value: T
    init(_ value: T) { self.value = value }
}
