import KafkaStreams
import KafkaStreamsTesting
import Testing

/// Forwards even values to "even", odd ones to "odd".
final class Router: Processor {
    typealias OutKey = String
    typealias OutValue = Int64
    var context: ProcessorContext<String, Int64>!
    func initialize(context: ProcessorContext<String, Int64>) { self.context = context }
    func process(_ record: Record<String, Int64>) throws {
        try context.forward(record, to: record.value % 2 == 0 ? "even" : "odd")
    }
}

/// Sums values per key in a store; punctuation emits every sum with the punctuation time.
final class Summer: Processor {
    typealias OutKey = String
    typealias OutValue = Int64
    let type: PunctuationType
    let fired: Box<[Int64]>
    var context: ProcessorContext<String, Int64>!
    var sums: (any KeyValueStore<String, Int64>)!
    init(_ type: PunctuationType, _ fired: Box<[Int64]>) {
        self.type = type
        self.fired = fired
    }
    func initialize(context: ProcessorContext<String, Int64>) throws {
        self.context = context
        sums = try context.getStateStore("sums")
        try context.schedule(interval: .milliseconds(10), type: type) { [unowned self] time in
            fired.value.append(time)
            let all = try sums.all()
            while let entry = try all.next() {
                try self.context.forward(Record(key: entry.key, value: entry.value, timestamp: time))
            }
        }
    }
    func process(_ record: Record<String, Int64>) throws {
        try sums.put(record.key, (try sums.get(record.key) ?? 0) + record.value)
    }
}

final class Failing: Processor {
    typealias OutKey = String
    typealias OutValue = Int64
    struct Boom: Error {}
    func process(_ record: Record<String, Int64>) throws { throw Boom() }
}

final class Identity<K, V>: Processor {
    typealias OutKey = K
    typealias OutValue = V
    var context: ProcessorContext<K, V>!
    func initialize(context: ProcessorContext<K, V>) { self.context = context }
    func process(_ record: Record<K, V>) throws { try context.forward(record) }
}

private func sumsStore() -> StoreBuilder<MeteredKeyValueStore<String, Int64>> {
    Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("sums"), key: .string, value: .int64)
}

private func summing(_ type: PunctuationType, _ fired: Box<[Int64]>) throws -> Topology {
    let builder = TopologyBuilder()
    builder.addSource("in", topics: ["input"], key: .string, value: .int64)
    builder.addProcessor("sum", parents: ["in"]) { Summer(type, fired) }
    builder.addStateStore(sumsStore(), processors: ["sum"])
    builder.addSink("out", topic: "sums", key: .string, value: .int64, parents: ["sum"])
    return try builder.build()
}

@Suite struct ProcessorAPITests {
    @Test func forwardToANamedChild() throws {
        let builder = TopologyBuilder()
        builder.addSource("in", topics: ["numbers"], key: .string, value: .int64)
        builder.addProcessor("route", parents: ["in"]) { Router() }
        builder.addSink("even", topic: "evens", key: .string, value: .int64, parents: ["route"])
        builder.addSink("odd", topic: "odds", key: .string, value: .int64, parents: ["route"])
        let driver = try TopologyTestDriver(try builder.build())
        try driver.inputTopic("numbers", key: .string, value: .int64).pipeKeyValueList(
            [KeyValue("a", 1), KeyValue("b", 2), KeyValue("c", 4)])
        #expect(try driver.outputTopic("evens", key: .string, value: .int64).readValuesToList() == [2, 4])
        #expect(try driver.outputTopic("odds", key: .string, value: .int64).readValuesToList() == [1])
    }

    @Test func forwardToAnUnknownChildNamesIt() throws {
        let builder = TopologyBuilder()
        builder.addSource("in", topics: ["numbers"], key: .string, value: .int64)
        builder.addProcessor("route", parents: ["in"]) { Router() }
        builder.addSink("even", topic: "evens", key: .string, value: .int64, parents: ["route"])
        let driver = try TopologyTestDriver(try builder.build())
        let error = try #require(throws: StreamsError.self) {
            try driver.inputTopic("numbers", key: .string, value: .int64).pipeInput("a", 1)
        }
        #expect(error.message.contains("route has no child named odd"))
        #expect(error.context.offset == 0)
    }

    @Test func streamTimePunctuationFollowsRecordTimestamps() throws {
        let fired = Box<[Int64]>([])
        let driver = try TopologyTestDriver(try summing(.streamTime, fired), initialWallClockTime: 0)
        let input = driver.inputTopic("input", key: .string, value: .int64)
        let output = driver.outputTopic("sums", key: .string, value: .int64)
        try input.pipeInput("a", 1, timestamp: 3)  // first record: fires at 3, next due at 10
        try input.pipeInput("a", 2, timestamp: 9)  // not due
        try input.pipeInput("b", 5, timestamp: 35)  // due (10): fires once at 35, next due at 40
        try input.pipeInput("a", 1, timestamp: 20)  // stream time stays 35
        try driver.advanceWallClockTime(.seconds(60))  // wall clock does not drive stream time
        try input.pipeInput("a", 1, timestamp: 40)
        #expect(fired.value == [3, 35, 40])
        #expect(
            try output.readRecordsToList() == [
                TestRecord(key: "a", value: 1, timestamp: 3),
                TestRecord(key: "a", value: 3, timestamp: 35), TestRecord(key: "b", value: 5, timestamp: 35),
                TestRecord(key: "a", value: 5, timestamp: 40), TestRecord(key: "b", value: 5, timestamp: 40),
            ])
    }

    @Test func wallClockPunctuationFollowsTheManualClock() throws {
        let fired = Box<[Int64]>([])
        let driver = try TopologyTestDriver(try summing(.wallClockTime, fired), initialWallClockTime: 1_000)
        let input = driver.inputTopic("input", key: .string, value: .int64)
        try input.pipeInput("a", 1, timestamp: 999_999)  // stream time does not drive it
        #expect(fired.value == [])
        try driver.advanceWallClockTime(.milliseconds(9))
        #expect(fired.value == [])
        try driver.advanceWallClockTime(.milliseconds(1))  // 1_010: due
        try driver.advanceWallClockTime(.milliseconds(35))  // 1_045: fires once, next due 1_050
        try driver.advanceWallClockTime(.milliseconds(5))  // 1_050
        #expect(fired.value == [1_010, 1_045, 1_050])
        #expect(try driver.outputTopic("sums", key: .string, value: .int64).readRecordsToList().map(\.timestamp) == [1_010, 1_045, 1_050])
    }

    @Test func cancelledPunctuationStops() throws {
        final class OneShot: Processor {
            let fired: Box<Int>
            init(_ fired: Box<Int>) { self.fired = fired }
            func initialize(context: ProcessorContext<Void, Void>) throws {
                var handle: Cancellable?
                handle = try context.schedule(interval: .milliseconds(5), type: .wallClockTime) { [fired] _ in
                    fired.value += 1
                    handle?.cancel()
                }
            }
            func process(_ record: Record<String, String>) {}
        }
        let fired = Box(0)
        let builder = TopologyBuilder()
        builder.addSource("in", topics: ["t"], key: .string, value: .string)
        builder.addProcessor("p", parents: ["in"]) { OneShot(fired) }
        let driver = try TopologyTestDriver(try builder.build(), initialWallClockTime: 0)
        for _ in 0..<4 { try driver.advanceWallClockTime(.milliseconds(5)) }
        #expect(fired.value == 1)
    }

    @Test func punctuationRejectsTinyIntervals() throws {
        final class Tiny: Processor {
            func initialize(context: ProcessorContext<Void, Void>) throws {
                try context.schedule(interval: .microseconds(10), type: .streamTime) { _ in }
            }
            func process(_ record: Record<String, String>) {}
        }
        let builder = TopologyBuilder()
        builder.addSource("in", topics: ["t"], key: .string, value: .string)
        builder.addProcessor("tiny", parents: ["in"]) { Tiny() }
        let error = try #require(throws: StreamsError.self) { try TopologyTestDriver(try builder.build()) }
        #expect(error.code == .invalidConfig)
        #expect(error.context.node == "tiny")
    }

    @Test func storeUsedWithoutBeingConnectedIsATypedError() throws {
        final class Sneaky: Processor {
            func initialize(context: ProcessorContext<Void, Void>) throws {
                let _: any KeyValueStore<String, Int64> = try context.getStateStore("sums")
            }
            func process(_ record: Record<String, Int64>) {}
        }
        let builder = TopologyBuilder()
        builder.addSource("in", topics: ["input"], key: .string, value: .int64)
        builder.addProcessor("sum", parents: ["in"]) { Summer(.streamTime, Box([])) }
        builder.addProcessor("sneaky", parents: ["in"]) { Sneaky() }
        builder.addStateStore(sumsStore(), processors: ["sum"])
        builder.addSink("out", topic: "sums", key: .string, value: .int64, parents: ["sum"])
        let error = try #require(throws: StreamsError.self) { try TopologyTestDriver(try builder.build()) }
        #expect(error.code == .stateStore)
        #expect(error.context.node == "sneaky")
        #expect(error.context.store == "sums")
        #expect(error.message.contains("not connected to sneaky"))
    }

    @Test func processorFailureIsWrappedWithNodeAndPosition() throws {
        let builder = TopologyBuilder()
        builder.addSource("in", topics: ["input"], key: .string, value: .int64)
        builder.addProcessor("fail", parents: ["in"]) { Failing() }
        let driver = try TopologyTestDriver(try builder.build())
        let input = driver.inputTopic("input", key: .string, value: .int64)
        let error = try #require(throws: StreamsError.self) { try input.pipeInput("k", 1) }
        #expect(error.code == .processing)
        #expect(error.context.node == "fail")
        #expect(error.context.topic == "input")
        #expect(error.context.offset == 0)
        #expect(error.context.taskId == TaskId(subtopology: 0, partition: 0))
        #expect(error.cause is Failing.Boom)
    }

    @Test func negativeTimestampSetByAProcessorFailsAtTheSink() throws {
        final class Rewind: Processor {
            var context: ProcessorContext<String, Int64>!
            func initialize(context: ProcessorContext<String, Int64>) { self.context = context }
            func process(_ record: Record<String, Int64>) throws { try context.forward(record.withTimestamp(-1)) }
        }
        let builder = TopologyBuilder()
        builder.addSource("in", topics: ["input"], key: .string, value: .int64)
        builder.addProcessor("rewind", parents: ["in"]) { Rewind() }
        builder.addSink("out", topic: "o", key: .string, value: .int64, parents: ["rewind"])
        let driver = try TopologyTestDriver(try builder.build())
        let error = try #require(throws: StreamsError.self) {
            try driver.inputTopic("input", key: .string, value: .int64).pipeInput("k", 1)
        }
        #expect(error.code == .invalidTimestamp)
        #expect(error.context.node == "out")
    }
}

@Suite struct TopologyValidationTests {
    func expectInvalid(node: String? = nil, store: String? = nil, _ message: String, _ build: (TopologyBuilder) -> Void) {
        let builder = TopologyBuilder()
        build(builder)
        do {
            _ = try builder.build()
            Issue.record("expected build() to fail with \(message)")
        } catch let error as StreamsError {
            #expect(error.code == .invalidTopology)
            if let node { #expect(error.context.node == node) }
            if let store { #expect(error.context.store == store) }
            #expect(error.message.contains(message), "\(error.message)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func unknownParent() {
        expectInvalid(node: "p", "names unknown parent ghost") {
            $0.addSource("in", topics: ["t"], key: .string, value: .string)
            $0.addProcessor("p", parents: ["ghost"]) { Identity<String, String>() }
        }
    }

    @Test func duplicateName() {
        expectInvalid(node: "in", "node name in is used twice") {
            $0.addSource("in", topics: ["t"], key: .string, value: .string)
            $0.addProcessor("in", parents: ["in"]) { Identity<String, String>() }
        }
    }

    @Test func sinkWithoutParent() {
        expectInvalid(node: "out", "sink out has no parent") {
            $0.addSource("in", topics: ["t"], key: .string, value: .string)
            $0.addSink("out", topic: "o", key: .string, value: .string, parents: [])
        }
    }

    @Test func sinkAsParent() {
        expectInvalid(node: "p", "sinks have no children") {
            $0.addSource("in", topics: ["t"], key: .string, value: .string)
            $0.addSink("out", topic: "o", key: .string, value: .string, parents: ["in"])
            $0.addProcessor("p", parents: ["out"]) { Identity<String, String>() }
        }
    }

    @Test func cycle() {
        expectInvalid("the topology has a cycle through a, b") {
            $0.addSource("in", topics: ["t"], key: .string, value: .string)
            $0.addProcessor("a", parents: ["in", "b"]) { Identity<String, String>() }
            $0.addProcessor("b", parents: ["a"]) { Identity<String, String>() }
        }
    }

    @Test func storeNotConnected() {
        expectInvalid(store: "sums", "store sums is not connected to any processor") {
            $0.addSource("in", topics: ["t"], key: .string, value: .string)
            $0.addProcessor("p", parents: ["in"]) { Identity<String, String>() }
            $0.addStateStore(sumsStore())
        }
    }

    @Test func unknownStore() {
        expectInvalid(node: "p", store: "nope", "connected to unknown store nope") {
            $0.addSource("in", topics: ["t"], key: .string, value: .string)
            $0.addProcessor("p", parents: ["in"], stores: ["nope"]) { Identity<String, String>() }
        }
    }

    @Test func typeMismatch() {
        expectInvalid(node: "p", "p receives (String, Int64) but its parent in forwards (String, String)") {
            $0.addSource("in", topics: ["t"], key: .string, value: .string)
            $0.addProcessor("p", parents: ["in"]) { Identity<String, Int64>() }
        }
    }

    @Test func topicReadTwice() {
        expectInvalid(node: "b", "topic t is read by both a and b") {
            $0.addSource("a", topics: ["t"], key: .string, value: .string)
            $0.addSource("b", topics: ["t"], key: .string, value: .string)
        }
    }

    @Test func connectingStoresToAnUnknownProcessor() {
        expectInvalid(node: "ghost", "unknown processor ghost") {
            $0.addSource("in", topics: ["t"], key: .string, value: .string)
            $0.addStateStore(sumsStore(), processors: ["ghost"])
        }
    }
}

@Suite struct TopologyDescriptionTests {
    @Test func describesSubtopologiesInKafkaStreamsLayout() throws {
        let builder = TopologyBuilder()
        builder.addSource("source-b", topics: ["b"], key: .string, value: .int64)
        builder.addSource("source-a", topics: ["a1", "a2"], key: .string, value: .int64)
        builder.addProcessor("route", parents: ["source-a"]) { Router() }
        builder.addSink("even", topic: "evens", key: .string, value: .int64, parents: ["route"])
        builder.addProcessor("odd", parents: ["route"]) { Identity<String, Int64>() }
        builder.addSink("odd-sink", topic: "odds", key: .string, value: .int64, parents: ["odd"])
        builder.addProcessor("sum", parents: ["source-b"]) { Summer(.streamTime, Box([])) }
        builder.addStateStore(sumsStore(), processors: ["sum"])
        builder.addSink("sum-sink", topic: .choose { _, _ in "x" }, key: .string, value: .int64, parents: ["sum"])
        let description = try builder.build().describe()
        #expect(
            description.description == """
                Topologies:
                   Sub-topology: 0
                    Source: source-a (topics: [a1, a2])
                      --> route
                    Processor: route (stores: [])
                      --> odd, even
                      <-- source-a
                    Processor: odd (stores: [])
                      --> odd-sink
                      <-- route
                    Sink: even (topic: evens)
                      <-- route
                    Sink: odd-sink (topic: odds)
                      <-- odd

                  Sub-topology: 1
                    Source: source-b (topics: [b])
                      --> sum
                    Processor: sum (stores: [sums])
                      --> sum-sink
                      <-- source-b
                    Sink: sum-sink (extractor class: per-record topic)
                      <-- sum


                """)
        #expect(description.subtopologies.map(\.id) == [0, 1])
        let mermaid = description.mermaid
        #expect(mermaid.hasPrefix("flowchart TD\n"))
        #expect(mermaid.contains("subgraph sub0[\"Sub-topology: 0\"]"))
        #expect(mermaid.contains("route --> odd"))
        #expect(mermaid.contains("topic_a1([\"a1\"])"))
        #expect(mermaid.contains("sum -.- store_sums"))
    }

    @Test func processorsSharingAStoreShareASubtopology() throws {
        let builder = TopologyBuilder()
        builder.addSource("s1", topics: ["t1"], key: .string, value: .int64)
        builder.addSource("s2", topics: ["t2"], key: .string, value: .int64)
        builder.addProcessor("p1", parents: ["s1"]) { Summer(.streamTime, Box([])) }
        builder.addProcessor("p2", parents: ["s2"]) { Summer(.streamTime, Box([])) }
        builder.addStateStore(sumsStore(), processors: ["p1", "p2"])
        #expect(try builder.build().describe().subtopologies.count == 1)
    }
}
