import KafkaStreams
import KafkaStreamsTesting
import NIOCore
import Testing

private func records(_ d: TopologyTestDriver, _ topic: String = "out") throws -> [String] {
    try d.outputTopic(topic, key: .windowed(.string), value: .optional(.int64)).readRecordsToList().map { r in
        "\(r.key!.key)@\(r.key!.window.start)=\(r.value.flatMap { $0 }.map(String.init) ?? "null")/t\(r.timestamp!)"
    }
}

@Suite struct WindowAssignmentTests {
    @Test func tumblingAndHoppingBoundaries() {
        #expect(TimeWindows.tumbling(every: .milliseconds(10)).windows(for: 0) == [Window(start: 0, end: 10)])
        #expect(TimeWindows.tumbling(every: .milliseconds(10)).windows(for: 9) == [Window(start: 0, end: 10)])
        #expect(TimeWindows.tumbling(every: .milliseconds(10)).windows(for: 10) == [Window(start: 10, end: 20)])
        let hopping = TimeWindows.hopping(size: .milliseconds(10), advance: .milliseconds(5))
        #expect(hopping.windows(for: 4) == [Window(start: 0, end: 10)])
        #expect(hopping.windows(for: 5) == [Window(start: 0, end: 10), Window(start: 5, end: 15)])
        #expect(hopping.windows(for: 10) == [Window(start: 5, end: 15), Window(start: 10, end: 20)])
        #expect(hopping.windows(for: 14) == [Window(start: 5, end: 15), Window(start: 10, end: 20)])
    }

    @Test func windowedSerdesMatchKafkaStreamsBytes() throws {
        let time = Serde<Windowed<String>>.windowed(.string, size: .milliseconds(100))
        let key = Windowed(key: "k", window: Window(start: 1, end: 101))
        #expect(try time.serialize(key) == [0x6B, 0, 0, 0, 0, 0, 0, 0, 1])
        #expect(try time.deserialize([0x6B, 0, 0, 0, 0, 0, 0, 0, 1] as [UInt8]) == key)
        let session = Serde<Windowed<String>>.sessionWindowed(.string)
        let s = Windowed(key: "k", window: Window(start: 1, end: 2))
        #expect(try session.serialize(s) == [0x6B, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1])
        #expect(try session.deserialize(session.serialize(s)) == s)
        #expect(throws: SerdeError.self) { try time.deserialize([1, 2, 3] as [UInt8]) }
    }
}

@Suite struct TimeWindowedAggregationTests {
    func tumbling(grace: Duration, emit: EmitStrategy = .onWindowUpdate, suppress: Suppressed? = nil) throws -> TopologyTestDriver {
        let builder = StreamsBuilder()
        var table = builder.stream("in", key: .string, value: .string).groupByKey()
            .windowedBy(.tumbling(every: .milliseconds(10)).grace(grace))
            .emitStrategy(emit)
            .count(.as("counts"))
        if let suppress { table = table.suppress(suppress) }
        table.toStream().to("out")
        return try TopologyTestDriver(try builder.build(), initialWallClockTime: 0)
    }

    @Test func lateRecordsInsideGraceCountOutsideAreDropped() throws {
        let d = try tumbling(grace: .milliseconds(5))
        let input = d.inputTopic("in", key: .string, value: .string)
        try input.pipeInput("a", "x", timestamp: 2)   // window 0
        try input.pipeInput("a", "x", timestamp: 14)  // window 10; stream time 14
        try input.pipeInput("a", "x", timestamp: 8)   // late but 14 <= 10 + 5: counted
        try input.pipeInput("a", "x", timestamp: 16)  // stream time 16 > 15: window 0 closed
        try input.pipeInput("a", "x", timestamp: 9)   // dropped
        #expect(try records(d) == ["a@0=1/t2", "a@10=1/t14", "a@0=2/t8", "a@10=2/t16"])
        #expect(d.droppedRecordsByReason == ["late-record": 1])
        let store = try d.getStateStore("counts", as: (any WindowStore<String, ValueAndTimestamp<Int64>>).self)
        #expect(try store.fetch("a", windowStart: 0)?.value == 2)
        #expect(try store.fetch("a", from: 0, to: 100).toArray().map(\.key) == [0, 10])
    }

    @Test func onWindowCloseEmitsEachWindowOnceAfterItCloses() throws {
        let d = try tumbling(grace: .milliseconds(2), emit: .onWindowClose)
        let input = d.inputTopic("in", key: .string, value: .string)
        try input.pipeInput("a", "x", timestamp: 1)
        try input.pipeInput("b", "x", timestamp: 3)
        try input.pipeInput("a", "x", timestamp: 11)
        try input.pipeInput("a", "x", timestamp: 12)  // 12 = end 10 + grace 2: still open
        #expect(try records(d).isEmpty)
        try input.pipeInput("a", "x", timestamp: 13)  // passes 12: window 0 closes
        #expect(try records(d) == ["a@0=1/t1", "b@0=1/t3"])
        try input.pipeInput("a", "x", timestamp: 30)
        let last = try records(d)
        #expect(last == ["a@10=3/t13"], "\(last)")
    }

    @Test func suppressUntilWindowClosesForwardsFinalResultsOnly() throws {
        let d = try tumbling(grace: .milliseconds(2), suppress: .untilWindowCloses)
        let input = d.inputTopic("in", key: .string, value: .string)
        for t: Int64 in [1, 2, 5, 11] { try input.pipeInput("a", "x", timestamp: t) }
        try input.pipeInput("b", "x", timestamp: 12)
        #expect(try records(d).isEmpty)
        try input.pipeInput("b", "x", timestamp: 13)
        #expect(try records(d) == ["a@0=3/t5"])
        try input.pipeInput("c", "x", timestamp: 100)
        #expect(try records(d) == ["a@10=1/t11", "b@10=2/t13"])
    }

    @Test func hoppingCountsPerWindow() throws {
        let builder = StreamsBuilder()
        builder.stream("in", key: .string, value: .string).groupByKey()
            .windowedBy(.hopping(size: .milliseconds(10), advance: .milliseconds(5))).count().toStream().to("out")
        let d = try TopologyTestDriver(try builder.build())
        let input = d.inputTopic("in", key: .string, value: .string)
        try input.pipeInput("k", "x", timestamp: 7)
        try input.pipeInput("k", "x", timestamp: 12)
        #expect(try records(d) == ["k@0=1/t7", "k@5=1/t7", "k@5=2/t12", "k@10=1/t12"])
    }
}

@Suite struct SuppressTimeLimitTests {
    func run(_ buffer: Suppressed.BufferConfig) throws -> (TopologyTestDriver, TestInputTopic<String, Int64>) {
        let builder = StreamsBuilder()
        builder.table("t", key: .string, value: .int64).suppress(.untilTimeLimit(.milliseconds(10), buffer)).toStream().to("out")
        let d = try TopologyTestDriver(try builder.build())
        return (d, d.inputTopic("t", key: .string, value: .int64))
    }

    @Test func latestUpdatePerKeyAfterTheLimit() throws {
        let (d, input) = try run(.unbounded)
        try input.pipeInput("a", 1, timestamp: 0)
        try input.pipeInput("a", 2, timestamp: 5)
        try input.pipeInput("b", 9, timestamp: 9)
        #expect(try d.outputTopic("out", key: .string, value: .int64).readKeyValuesToList().isEmpty)
        try input.pipeInput("c", 0, timestamp: 15)  // a's update at 5 is now 10 old
        #expect(try d.outputTopic("out", key: .string, value: .int64).readKeyValuesToList() == [KeyValue("a", 2)])
    }

    @Test func fullBufferEmitsEarly() throws {
        let (d, input) = try run(.maxRecords(1))
        try input.pipeInput("a", 1, timestamp: 0)
        try input.pipeInput("b", 2, timestamp: 1)
        #expect(try d.outputTopic("out", key: .string, value: .int64).readKeyValuesToList() == [KeyValue("a", 1)])
    }

    @Test func fullBufferCanFailTheTask() throws {
        let (_, input) = try run(Suppressed.BufferConfig.maxRecords(1).shutDownWhenFull())
        try input.pipeInput("a", 1, timestamp: 0)
        let error = try #require(throws: StreamsError.self) { try input.pipeInput("b", 2, timestamp: 1) }
        #expect(error.message.contains("suppression buffer"))
        #expect(error.message.contains("is full"))
    }
}

@Suite struct SessionWindowTests {
    @Test func sessionsMergeAndMergedAwaySessionsAreTombstoned() throws {
        let builder = StreamsBuilder()
        builder.stream("clicks", key: .string, value: .string).groupByKey()
            .windowedBy(.session(gap: .milliseconds(10)).grace(.milliseconds(20)))
            .count(.as("sessions"))
            .toStream()
            .to("out", key: .sessionWindowed(.string), value: .optional(.int64))
        let d = try TopologyTestDriver(try builder.build())
        let input = d.inputTopic("clicks", key: .string, value: .string)
        try input.pipeInput("u", "x", timestamp: 0)
        try input.pipeInput("u", "x", timestamp: 30)
        try input.pipeInput("u", "x", timestamp: 15)  // more than 10 from 0 and from 30: a new session
        try input.pipeInput("u", "x", timestamp: 8)   // within 10 of both [0,0] and [15,15]: merges them
        let out = try d.outputTopic("out", key: .sessionWindowed(.string), value: .optional(.int64)).readRecordsToList().map { r in
            "\(r.key!.window.start)-\(r.key!.window.end)=\(r.value.flatMap { $0 }.map(String.init) ?? "null")"
        }
        #expect(out == ["0-0=1", "30-30=1", "15-15=1", "0-0=null", "15-15=null", "0-15=3"])
        let store = try d.getStateStore("sessions", as: (any SessionStore<String, Int64>).self)
        #expect(try store.fetch("u").toArray().map { "\($0.key.window.start)-\($0.key.window.end)=\($0.value)" } == ["0-15=3", "30-30=1"])
    }

    @Test func sessionReduceAndLateSessionsDropped() throws {
        let builder = StreamsBuilder()
        builder.stream("in", key: .string, value: .int64).groupByKey()
            .windowedBy(.session(gap: .milliseconds(5)).grace(.milliseconds(1)))
            .reduce { $0 + $1 }
            .toStream().to("out", key: .sessionWindowed(.string), value: .optional(.int64))
        let d = try TopologyTestDriver(try builder.build())
        let input = d.inputTopic("in", key: .string, value: .int64)
        try input.pipeInput("k", 1, timestamp: 0)
        try input.pipeInput("k", 2, timestamp: 3)
        try input.pipeInput("k", 4, timestamp: 50)
        try input.pipeInput("k", 8, timestamp: 1)  // session [0,3] closed: 50 > 3 + gap 5 + grace 1: dropped
        let values = try d.outputTopic("out", key: .sessionWindowed(.string), value: .optional(.int64)).readValuesToList()
        #expect(values.map { $0.flatMap { $0 } } == [1, nil, 3, 4])
        #expect(d.droppedRecordsByReason == ["late-record": 1])
    }
}

/// Sessions close when stream time passes end + gap + grace, as in Kafka Streams'
/// `KStreamSessionWindowAggregate` (`windowCloseTime = streamTime - grace - inactivityGap`).
@Suite struct SessionCloseTests {
    enum Output { case updates, onWindowClose, suppressed }

    func sessionCount(gap: Int64, grace: Int64, _ output: Output) throws -> (TopologyTestDriver, TestInputTopic<String, String>) {
        let builder = StreamsBuilder()
        let windowed = builder.stream("in", key: .string, value: .string).groupByKey()
            .windowedBy(.session(gap: .milliseconds(gap)).grace(.milliseconds(grace)))
        let table = output == .onWindowClose ? windowed.emitStrategy(.onWindowClose).count() : windowed.count()
        (output == .suppressed ? table.suppress(.untilWindowCloses) : table)
            .toStream().to("out", key: .sessionWindowed(.string), value: .optional(.int64))
        let d = try TopologyTestDriver(try builder.build())
        return (d, d.inputTopic("in", key: .string, value: .string))
    }

    func sessions(_ d: TopologyTestDriver) throws -> [String] {
        try d.outputTopic("out", key: .sessionWindowed(.string), value: .optional(.int64)).readRecordsToList().map { r in
            let value = r.value.flatMap { $0 }.map(String.init) ?? "null"
            return "\(r.key!.key)[\(r.key!.window.start),\(r.key!.window.end)]=\(value)/t\(r.timestamp!)"
        }
    }

    /// Gap 10, no grace: `a[0,0]` would close at stream time 1 under end + grace, but `a` at 5
    /// (within the gap after its end) still extends it; `a[0,5]` closes at stream time 16.
    func pipeRecordWithinTheGap(_ input: TestInputTopic<String, String>) throws {
        try input.pipeInput("a", "x", timestamp: 0)
        try input.pipeInput("b", "x", timestamp: 8)
        try input.pipeInput("a", "x", timestamp: 5)   // within the gap after a[0,0]: extends it to [0,5]
        try input.pipeInput("b", "x", timestamp: 15)
        try input.pipeInput("a", "x", timestamp: 1)   // stream time 15 = 5 + 10 + 0: a[0,5] still open
        try input.pipeInput("b", "x", timestamp: 16)  // 16 > 15: a[0,5] closes
        try input.pipeInput("a", "x", timestamp: 2)   // would update a[0,5]: dropped
    }

    @Test func aRecordWithinTheGapAfterTheEndExtendsTheSession() throws {
        let (d, input) = try sessionCount(gap: 10, grace: 0, .updates)
        try pipeRecordWithinTheGap(input)
        #expect(try sessions(d) == [
            "a[0,0]=1/t0", "b[8,8]=1/t8", "a[0,0]=null/t0", "a[0,5]=2/t5", "b[8,8]=null/t8", "b[8,15]=2/t15", "a[0,5]=3/t5",
            "b[8,15]=null/t15", "b[8,16]=3/t16",
        ])
        #expect(d.droppedRecordsByReason == ["late-record": 1])
    }

    @Test func onWindowCloseEmitsASessionOnlyOnceNoRecordCanExtendIt() throws {
        let (d, input) = try sessionCount(gap: 10, grace: 0, .onWindowClose)
        try pipeRecordWithinTheGap(input)
        #expect(try sessions(d) == ["a[0,5]=3/t5"])
        #expect(d.droppedRecordsByReason == ["late-record": 1])
    }

    @Test func suppressUntilWindowClosesWaitsForGapAndGrace() throws {
        let (d, input) = try sessionCount(gap: 10, grace: 0, .suppressed)
        try pipeRecordWithinTheGap(input)
        #expect(try sessions(d) == ["a[0,0]=null/t0", "a[0,5]=3/t5"])
        #expect(d.droppedRecordsByReason == ["late-record": 1])
    }

    /// The session worked example of docs/windowing.md (gap 10, grace 20).
    func pipeWorkedExample(_ input: TestInputTopic<String, String>) throws {
        for t: Int64 in [0, 20, 10, 28, 45, 3, 49, 60, 1, 90] { try input.pipeInput("a", "x", timestamp: t) }
    }

    @Test func workedExampleUpdates() throws {
        let (d, input) = try sessionCount(gap: 10, grace: 20, .updates)
        try pipeWorkedExample(input)
        #expect(try sessions(d) == [
            "a[0,0]=1/t0", "a[20,20]=1/t20", "a[0,0]=null/t0", "a[20,20]=null/t20", "a[0,20]=3/t20", "a[0,20]=null/t20",
            "a[0,28]=4/t28", "a[45,45]=1/t45", "a[0,28]=5/t28", "a[45,45]=null/t45", "a[45,49]=2/t49", "a[60,60]=1/t60",
            "a[90,90]=1/t90",
        ])
        #expect(d.droppedRecordsByReason == ["late-record": 1])
    }

    @Test func workedExampleOnWindowClose() throws {
        let (d, input) = try sessionCount(gap: 10, grace: 20, .onWindowClose)
        try pipeWorkedExample(input)
        #expect(try sessions(d) == ["a[0,28]=5/t28", "a[45,49]=2/t49"])
    }

    @Test func workedExampleSuppressed() throws {
        let (d, input) = try sessionCount(gap: 10, grace: 20, .suppressed)
        try pipeWorkedExample(input)
        #expect(try sessions(d) == [
            "a[0,0]=null/t0", "a[20,20]=null/t20", "a[0,20]=null/t20", "a[0,28]=5/t28", "a[45,45]=null/t45", "a[45,49]=2/t49",
        ])
    }
}

@Suite struct SlidingWindowTests {
    @Test func createsUpdatesAndSeedsWindowsAsKafkaStreams() throws {
        let builder = StreamsBuilder()
        builder.stream("in", key: .string, value: .string).groupByKey()
            .windowedBy(.sliding(difference: .milliseconds(10)).grace(.milliseconds(100)))
            .count(.as("sliding"))
            .toStream().to("out")
        let d = try TopologyTestDriver(try builder.build())
        let input = d.inputTopic("in", key: .string, value: .string)
        try input.pipeInput("a", "x", timestamp: 10)
        try input.pipeInput("a", "x", timestamp: 15)
        try input.pipeInput("a", "x", timestamp: 12)  // out of order: updates [5,15] and [11,21], creates [2,12] and [13,23]
        #expect(
            try records(d) == ["a@0=1/t10", "a@11=1/t15", "a@5=2/t15", "a@5=3/t15", "a@11=2/t15", "a@2=2/t12", "a@13=1/t15"])
        let store = try d.getStateStore("sliding", as: (any WindowStore<String, ValueAndTimestamp<Int64>>).self)
        #expect(try store.fetch("a", from: 0, to: 100).toArray().map { "\($0.key)=\($0.value.value)" } == ["0=1", "2=2", "5=3", "11=2", "13=1"])
    }

    @Test func recordsOutsideTheDifferenceStartFreshWindows() throws {
        let builder = StreamsBuilder()
        builder.stream("in", key: .string, value: .int64).groupByKey()
            .windowedBy(.sliding(difference: .milliseconds(5)))
            .reduce { $0 + $1 }
            .toStream().to("out")
        let d = try TopologyTestDriver(try builder.build())
        let input = d.inputTopic("in", key: .string, value: .int64)
        try input.pipeInput("k", 1, timestamp: 100)
        try input.pipeInput("k", 2, timestamp: 200)
        #expect(try records(d) == ["k@95=1/t100", "k@195=2/t200"])
    }
}

@Suite struct WindowingEdgeTests {
    @Test func slidingRecordsEarlierThanTheDifferenceShareOneWindow() throws {
        let builder = StreamsBuilder()
        builder.stream("in", key: .string, value: .string).groupByKey()
            .windowedBy(.sliding(difference: .milliseconds(10)).grace(.milliseconds(50))).count().toStream().to("out")
        let d = try TopologyTestDriver(try builder.build())
        let input = d.inputTopic("in", key: .string, value: .string)
        try input.pipeInput("a", "x", timestamp: 3)
        try input.pipeInput("a", "x", timestamp: 5)
        #expect(try records(d) == ["a@0=1/t3", "a@4=1/t5", "a@0=2/t5"])
    }

    @Test func slidingRecordWhoseWindowsAllClosedIsDropped() throws {
        let builder = StreamsBuilder()
        builder.stream("in", key: .string, value: .string).groupByKey()
            .windowedBy(.sliding(difference: .milliseconds(10))).count().toStream().to("out")
        let d = try TopologyTestDriver(try builder.build())
        let input = d.inputTopic("in", key: .string, value: .string)
        for t: Int64 in [20, 25, 40] { try input.pipeInput("a", "x", timestamp: t) }
        _ = try records(d)
        try input.pipeInput("a", "x", timestamp: 21)  // its right window [22,32] closed: 40 > 32
        #expect(try records(d).isEmpty)
        #expect(d.droppedRecordsByReason == ["late-record": 1])
    }

    func suppressedCount(_ suppressed: Suppressed) throws -> (TopologyTestDriver, TestInputTopic<String, String>) {
        let builder = StreamsBuilder()
        builder.stream("in", key: .string, value: .string).groupByKey()
            .windowedBy(.tumbling(every: .milliseconds(10)).grace(.milliseconds(5)))
            .count()
            .filter { _, n in n > 0 }
            .suppress(suppressed)
            .toStream().to("out")
        let d = try TopologyTestDriver(try builder.build())
        return (d, d.inputTopic("in", key: .string, value: .string))
    }

    @Test func graceSurvivesTableOperatorsBeforeSuppress() throws {
        let (d, input) = try suppressedCount(.untilWindowCloses)
        try input.pipeInput("a", "x", timestamp: 1)
        try input.pipeInput("a", "x", timestamp: 15)  // window 0 still open: 15 <= 10 + 5
        #expect(try records(d).isEmpty)
        try input.pipeInput("a", "x", timestamp: 16)
        #expect(try records(d) == ["a@0=1/t1"])
    }

    @Test func finalResultsNeverEmitEarlyFromAFullBuffer() throws {
        let (d, input) = try suppressedCount(.untilWindowCloses(.maxRecords(1)))
        try input.pipeInput("a", "x", timestamp: 1)
        let error = try #require(throws: StreamsError.self) { try input.pipeInput("a", "x", timestamp: 12) }
        #expect(error.message.contains("is full"))
        #expect(try records(d).isEmpty)
    }

    @Test func suppressUntilWindowClosesOnAPlainTableFailsAtBuild() throws {
        let builder = StreamsBuilder()
        builder.table("t", key: .string, value: .string).suppress(.untilWindowCloses)
        let error = try #require(throws: StreamsError.self) { try builder.build() }
        #expect(error.code == .invalidTopology)
    }
}

@Suite struct WindowedCogroupTests {
    @Test func cogroupInTumblingWindows() throws {
        let builder = StreamsBuilder()
        let clicks = builder.stream("clicks", key: .string, value: .int64).groupByKey()
        let views = builder.stream("views", key: .string, value: .int64).groupByKey()
        clicks.cogroup { (_, n: Int64, total: Int64) in total + n }
            .cogroup(views) { _, n, total in total + 100 * n }
            .windowedBy(.tumbling(every: .milliseconds(10)))
            .aggregate(Materialized(value: .int64), initializer: { 0 })
            .toStream().to("out")
        let d = try TopologyTestDriver(try builder.build())
        try d.inputTopic("clicks", key: .string, value: .int64).pipeInput("u", 1, timestamp: 1)
        try d.inputTopic("views", key: .string, value: .int64).pipeInput("u", 2, timestamp: 5)
        try d.inputTopic("clicks", key: .string, value: .int64).pipeInput("u", 3, timestamp: 12)
        #expect(try records(d) == ["u@0=1/t1", "u@0=201/t5", "u@10=3/t12"])
    }

    @Test func cogroupInSessions() throws {
        let builder = StreamsBuilder()
        let a = builder.stream("a", key: .string, value: .int64).groupByKey()
        let b = builder.stream("b", key: .string, value: .int64).groupByKey()
        a.cogroup { (_, n: Int64, total: Int64) in total + n }
            .cogroup(b) { _, n, total in total + n }
            .windowedBy(.session(gap: .milliseconds(5)))
            .aggregate(Materialized(value: .int64), initializer: { 0 }, merger: { _, x, y in x + y })
            .toStream().to("out", key: .sessionWindowed(.string), value: .optional(.int64))
        let d = try TopologyTestDriver(try builder.build())
        try d.inputTopic("a", key: .string, value: .int64).pipeInput("u", 1, timestamp: 0)
        try d.inputTopic("b", key: .string, value: .int64).pipeInput("u", 2, timestamp: 3)
        let values = try d.outputTopic("out", key: .sessionWindowed(.string), value: .optional(.int64)).readValuesToList()
        #expect(values.map { $0.flatMap { $0 } } == [1, nil, 3])
    }
}
