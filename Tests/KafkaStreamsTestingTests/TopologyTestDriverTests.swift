import KafkaStreams
import KafkaStreamsTesting
import Testing

/// Forwards each record and records what its context reports.
final class ContextProbe: Processor {
    typealias OutKey = String
    typealias OutValue = String
    var context: ProcessorContext<String, String>!
    let seen: Box<[String]>
    init(_ seen: Box<[String]>) { self.seen = seen }
    func initialize(context: ProcessorContext<String, String>) { self.context = context }
    func process(_ record: Record<String, String>) throws {
        let m = context.recordMetadata
        seen.value.append(
            "\(m?.topic ?? "-")/\(m?.partition ?? -1)/\(m?.offset ?? -1) stream=\(context.currentStreamTime) "
                + "wall=\(context.currentSystemTime) task=\(context.taskId) app=\(context.applicationID)")
        try context.forward(record)
    }
}

final class Box<T>: @unchecked Sendable {  // safe: only touched from the test's own thread
    var value: T
    init(_ value: T) { self.value = value }
}

@Suite struct TopologyTestDriverTests {
    func passThrough(_ seen: Box<[String]> = Box([])) throws -> Topology {
        let builder = TopologyBuilder()
        builder.addSource("in", topics: ["input"], key: .string, value: .string)
        builder.addProcessor("probe", parents: ["in"]) { ContextProbe(seen) }
        builder.addSink("out", topic: "output", key: .string, value: .string, parents: ["probe"])
        return try builder.build()
    }

    @Test func autoAdvancingTimestamps() throws {
        let driver = try TopologyTestDriver(try passThrough(), initialWallClockTime: 500)
        let input = driver.inputTopic("input", key: .string, value: .string, startTimestamp: 100, autoAdvance: .milliseconds(5))
        let output = driver.outputTopic("output", key: .string, value: .string)
        try input.pipeInput("a", "1")
        try input.pipeInput("b", "2")
        try input.pipeInput("c", "3", timestamp: 7)
        try input.pipeInput("d", "4")
        input.advanceTime(.seconds(1))
        try input.pipeInput("e", "5")
        #expect(try output.readRecordsToList().map(\.timestamp) == [100, 105, 7, 110, 1_115])
    }

    @Test func defaultStartTimestampIsTheWallClock() throws {
        let driver = try TopologyTestDriver(try passThrough(), initialWallClockTime: 12_345)
        let input = driver.inputTopic("input", key: .string, value: .string)
        try input.pipeInput("a", "1")
        #expect(try driver.outputTopic("output", key: .string, value: .string).readRecord().timestamp == 12_345)
    }

    @Test func recordMetadataAndTimes() throws {
        let seen = Box<[String]>([])
        let driver = try TopologyTestDriver(
            try passThrough(seen), config: StreamsConfig(applicationID: "probe-app"), initialWallClockTime: 50)
        let input = driver.inputTopic("input", key: .string, value: .string)
        try input.pipeInput("a", "1", timestamp: 10)
        try input.pipeInput("b", "2", timestamp: 5)
        try driver.advanceWallClockTime(.milliseconds(25))
        try input.pipeInput("c", "3", timestamp: 30)
        #expect(
            seen.value == [
                "input/0/0 stream=10 wall=50 task=0_0 app=probe-app",
                "input/0/1 stream=10 wall=50 task=0_0 app=probe-app",
                "input/0/2 stream=30 wall=75 task=0_0 app=probe-app",
            ])
    }

    @Test func pipeListsAndReadHelpers() throws {
        let driver = try TopologyTestDriver(try passThrough())
        let input = driver.inputTopic("input", key: .string, value: .string)
        let output = driver.outputTopic("output", key: .string, value: .string)
        try input.pipeKeyValueList([KeyValue("a", "1"), KeyValue("b", "2"), KeyValue("a", "3")])
        #expect(output.queueSize == 3)
        #expect(!output.isEmpty)
        #expect(try output.readKeyValue() == KeyValue("a", "1"))
        #expect(try output.readValue() == "2")
        #expect(output.queueSize == 1)
        #expect(try output.readKeyValuesToMap() == ["a": "3"])
        #expect(output.isEmpty)
        let error = try #require(throws: StreamsError.self) { try output.readRecord() }
        #expect(error.code == .illegalState)
        try input.pipeRecordList([TestRecord(key: "x", value: "9", timestamp: 3), TestRecord(key: "y", value: "8", timestamp: 4)])
        #expect(
            try output.readRecordsToList() == [
                TestRecord(key: "x", value: "9", timestamp: 3), TestRecord(key: "y", value: "8", timestamp: 4),
            ])
    }

    @Test func tombstonesClearKeysInReadKeyValuesToMap() throws {
        let builder = StreamsBuilder()
        builder.stream("input", key: .string, value: .optional(.string)).to("output")
        let driver = try TopologyTestDriver(try builder.build())
        let input = driver.inputTopic("input", key: .string, value: .optional(.string))
        try input.pipeInput("a", "1")
        try input.pipeInput("b", "2")
        try input.pipeInput(TestRecord(key: "a", value: .some(nil)))
        #expect(try driver.outputTopic("output", key: .string, value: .string).readKeyValuesToMap() == ["b": "2"])
    }

    @Test func producedTopicNamesAndUnknownTopic() throws {
        let driver = try TopologyTestDriver(try passThrough())
        #expect(driver.producedTopicNames.isEmpty)
        try driver.inputTopic("input", key: .string, value: .string).pipeInput("a", "1")
        #expect(driver.producedTopicNames == ["output"])
        let error = try #require(throws: StreamsError.self) {
            try driver.inputTopic("nope", key: .string, value: .string).pipeInput("a", "1")
        }
        #expect(error.context.topic == "nope")
        #expect(error.message.contains("unknown topic nope"))
    }

    @Test func deserializationFailureNamesTopicPartitionAndOffset() throws {
        let builder = StreamsBuilder()
        builder.stream("input", key: .string, value: .int64).to("output")
        let driver = try TopologyTestDriver(try builder.build())
        let good = driver.inputTopic("input", key: .string, value: .int64)
        let bad = driver.inputTopic("input", key: .string, value: .string)
        try good.pipeInput("a", 1)
        let error = try #require(throws: StreamsError.self) { try bad.pipeInput("b", "not eight bytes") }
        #expect(error.code == .deserialization)
        #expect(error.context.topic == "input")
        #expect(error.context.partition == 0)
        #expect(error.context.offset == 1)
        #expect(error.context.node == "KSTREAM-SOURCE-0000000000")
        #expect(error.message.contains("Size of data received by Int64 is not 8"))
        #expect(try driver.outputTopic("output", key: .string, value: .int64).readKeyValuesToList() == [KeyValue("a", 1)])
    }

    @Test func logAndContinueDropsAndCountsBadRecords() throws {
        let builder = StreamsBuilder()
        builder.stream("input", key: .string, value: .int64).to("output")
        var config = StreamsConfig(applicationID: "tolerant")
        config.deserializationExceptionHandler = .logAndContinue
        let driver = try TopologyTestDriver(try builder.build(), config: config)
        try driver.inputTopic("input", key: .string, value: .string).pipeInput("bad", "xyz")
        try driver.inputTopic("input", key: .string, value: .int64).pipeInput("good", 2)
        #expect(try driver.outputTopic("output", key: .string, value: .int64).readKeyValuesToList() == [KeyValue("good", 2)])
        #expect(driver.droppedRecordsByReason == ["deserialization-error": 1])
    }

    @Test func negativeTimestampFailsByDefault() throws {
        let driver = try TopologyTestDriver(try passThrough())
        let error = try #require(throws: StreamsError.self) {
            try driver.inputTopic("input", key: .string, value: .string).pipeInput("a", "1", timestamp: -5)
        }
        #expect(error.code == .invalidTimestamp)
        #expect(error.context.topic == "input")
        #expect(error.context.offset == 0)
        #expect(driver.producedTopicNames.isEmpty)
    }

    @Test func negativeTimestampSkippedWithLogAndSkipExtractor() throws {
        let builder = StreamsBuilder()
        builder.stream("input", key: .string, value: .string, timestampExtractor: .logAndSkipOnInvalidTimestamp).to("output")
        let driver = try TopologyTestDriver(try builder.build())
        let input = driver.inputTopic("input", key: .string, value: .string)
        try input.pipeInput("a", "1", timestamp: -1)
        try input.pipeInput("b", "2", timestamp: 3)
        #expect(try driver.outputTopic("output", key: .string, value: .string).readKeyValuesToList() == [KeyValue("b", "2")])
        #expect(driver.droppedRecordsByReason == ["negative-timestamp": 1])
    }

    @Test func partitionTimeRepairsNegativeTimestamps() throws {
        let builder = StreamsBuilder()
        builder.stream("input", key: .string, value: .string, timestampExtractor: .usePartitionTimeOnInvalidTimestamp)
            .to("output")
        let driver = try TopologyTestDriver(try builder.build())
        let input = driver.inputTopic("input", key: .string, value: .string)
        try input.pipeInput("a", "1", timestamp: 40)
        try input.pipeInput("b", "2", timestamp: -1)
        #expect(try driver.outputTopic("output", key: .string, value: .string).readRecordsToList().map(\.timestamp) == [40, 40])
    }

    @Test func customTimestampExtractorReadsTheValue() throws {
        let builder = StreamsBuilder()
        builder.stream("input", key: .string, value: .int64, timestampExtractor: TimestampExtractor { record, _ in record.value })
            .to("output")
        let driver = try TopologyTestDriver(try builder.build())
        try driver.inputTopic("input", key: .string, value: .int64).pipeInput("a", 777, timestamp: 1)
        #expect(try driver.outputTopic("output", key: .string, value: .int64).readRecord().timestamp == 777)
    }

    @Test func storeAccessByName() throws {
        let builder = TopologyBuilder()
        builder.addSource("in", topics: ["input"], key: .string, value: .string)
        builder.addProcessor("remember", parents: ["in"], stores: ["last"]) { Remember() }
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("last"), key: .string, value: .string))
        let driver = try TopologyTestDriver(try builder.build())
        try driver.inputTopic("input", key: .string, value: .string).pipeInput("k", "v")
        let store = try driver.getKeyValueStore("last", key: String.self, value: String.self)
        #expect(try store.get("k") == "v")
        let missing = try #require(throws: StreamsError.self) { try driver.getStateStore("nope", as: (any StateStore).self) }
        #expect(missing.code == .stateStore)
        let wrongType = try #require(throws: StreamsError.self) {
            try driver.getKeyValueStore("last", key: String.self, value: Int64.self)
        }
        #expect(wrongType.message.contains("not a"))
    }

    @Test func closedDriverRejectsInput() throws {
        let driver = try TopologyTestDriver(try passThrough())
        let input = driver.inputTopic("input", key: .string, value: .string)
        driver.close()
        let error = try #require(throws: StreamsError.self) { try input.pipeInput("a", "b") }
        #expect(error.code == .illegalState)
    }
}

final class Remember: Processor {
    var store: (any KeyValueStore<String, String>)!
    func initialize(context: ProcessorContext<Void, Void>) throws { store = try context.getStateStore("last") }
    func process(_ record: Record<String, String>) throws { try store.put(record.key, record.value) }
}
