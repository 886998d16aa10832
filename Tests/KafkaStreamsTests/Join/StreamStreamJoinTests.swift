import KafkaStreams
import KafkaStreamsTesting
import Testing

@Suite struct StreamStreamJoinTests {
    enum Kind: String, CaseIterable { case inner, left, outer }

    static func topology(_ kind: Kind, _ windows: JoinWindows) throws -> Topology {
        let builder = StreamsBuilder()
        let left = builder.stream("left", key: .string, value: .string)
        let right = builder.stream("right", key: .string, value: .string)
        let joined: KStream<String, String>
        switch kind {
        case .inner: joined = left.join(right, windows) { l, r in JoinScenario.pair(l, r) }
        case .left: joined = left.leftJoin(right, windows) { l, r in JoinScenario.pair(l, r) }
        case .outer: joined = left.outerJoin(right, windows) { l, r in JoinScenario.pair(l, r) }
        }
        joined.to("out", key: .string, value: .string)
        return try builder.build()
    }

    /// Window ±10 ms, grace 5 ms: in-window matches, an out-of-order record inside the
    /// grace, unmatched records emitted only after their window closes, a late record.
    static let windows = JoinWindows.ofTimeDifferenceAndGrace(.milliseconds(10), .milliseconds(5))
    static let steps: [JoinStep] = [
        .left("k", "A", 0), .right("k", "a", 5), .left("k", "B", 12), .right("k", "b", 15), .left("j", "C", 20),
        .right("k", "c", 9), .right("j", "d", 40), .left("k", "E", 3), .left("x", "F", 60), .right("x", "f", 62),
    ]

    @Test func stepTableInnerLeftOuter() throws {
        let inner = try JoinScenario.run(Self.topology(.inner, Self.windows), Self.steps)
        let left = try JoinScenario.run(Self.topology(.left, Self.windows), Self.steps)
        let outer = try JoinScenario.run(Self.topology(.outer, Self.windows), Self.steps)
        #expect(
            inner == [
                [], ["k=[A, a] @5"], ["k=[B, a] @12"], ["k=[B, b] @15"], [], ["k=[A, c] @9", "k=[B, c] @12"], [], [], [],
                ["x=[F, f] @62"],
            ])
        // C (t20) waits until stream time 40 passes 20 + 10 + 5; E (t3) arrives after its
        // window closed, so it is emitted at once.
        #expect(
            left == [
                [], ["k=[A, a] @5"], ["k=[B, a] @12"], ["k=[B, b] @15"], [], ["k=[A, c] @9", "k=[B, c] @12"], ["j=[C, null] @20"],
                ["k=[E, null] @3"], [], ["x=[F, f] @62"],
            ])
        // d (t40, right) waits until stream time 60 passes 40 + 10 + 5.
        #expect(
            outer == [
                [], ["k=[A, a] @5"], ["k=[B, a] @12"], ["k=[B, b] @15"], [], ["k=[A, c] @9", "k=[B, c] @12"], ["j=[C, null] @20"],
                ["k=[E, null] @3"], ["j=[null, d] @40"], ["x=[F, f] @62"],
            ])
        try JoinScenario.checkDocTable(
            "stream-stream",
            JoinScenario.table(Self.steps, columns: [("inner join", inner), ("left join", left), ("outer join", outer)]))
    }

    @Test func leftJoinNeverEmitsUnmatchedBeforeTheWindowCloses() throws {
        let d = try JoinScenario.driver(Self.topology(.left, .ofTimeDifferenceWithNoGrace(.milliseconds(100))))
        let left = d.inputTopic("left", key: .string, value: .string)
        let right = d.inputTopic("right", key: .string, value: .string)
        let out = d.outputTopic("out", key: .string, value: .string)
        try left.pipeInput("k", "A", timestamp: 1000)
        try right.pipeInput("other", "z", timestamp: 1100)  // stream time 1100 = 1000 + 100: still open
        #expect(try out.readRecordsToList().isEmpty)
        try right.pipeInput("k", "a", timestamp: 1100)  // a late partner, still inside the window
        #expect(try out.readKeyValuesToList() == [KeyValue("k", "[A, a]")])
        try left.pipeInput("m", "B", timestamp: 1200)
        try right.pipeInput("other", "y", timestamp: 1300)  // B's window [1100, 1300] is still open
        #expect(try out.readRecordsToList().isEmpty)
        try right.pipeInput("other", "x", timestamp: 1301)  // now it has closed
        #expect(try out.readRecordsToList() == [TestRecord(key: "m", value: "[B, null]", timestamp: 1200)])
    }

    @Test func lateRecordIsJoinedWithWhatIsLeftButNotBuffered() throws {
        let d = try JoinScenario.driver(Self.topology(.inner, .ofTimeDifferenceWithNoGrace(.milliseconds(10))))
        let left = d.inputTopic("left", key: .string, value: .string)
        let right = d.inputTopic("right", key: .string, value: .string)
        let out = d.outputTopic("out", key: .string, value: .string)
        try left.pipeInput("k", "A", timestamp: 100)
        try left.pipeInput("k", "B", timestamp: 50)  // 50 <= 100 - 20: past the left store's retention
        #expect(d.droppedRecordsByReason == ["late-record": 1])
        try right.pipeInput("k", "a", timestamp: 55)  // B would match, but was never buffered
        try right.pipeInput("k", "b", timestamp: 95)
        #expect(try out.readRecordsToList() == [TestRecord(key: "k", value: "[A, b]", timestamp: 100)])
    }

    @Test func selfJoinPairsEveryRecordWithItselfAndTheOthers() throws {
        let builder = StreamsBuilder()
        let stream = builder.stream("left", key: .string, value: .string)
        stream.join(stream, .ofTimeDifferenceWithNoGrace(.milliseconds(10))) { a, b in JoinScenario.pair(a, b) }.to("out")
        let d = try JoinScenario.driver(try builder.build())
        let input = d.inputTopic("left", key: .string, value: .string)
        try input.pipeInput("k", "A", timestamp: 1)
        try input.pipeInput("k", "B", timestamp: 2)
        #expect(
            try d.outputTopic("out", key: .string, value: .string).readKeyValuesToList() == [
                KeyValue("k", "[A, A]"), KeyValue("k", "[B, A]"), KeyValue("k", "[A, B]"), KeyValue("k", "[B, B]"),
            ])
    }

    @Test func asymmetricWindowsAndJoinerWithKey() throws {
        let builder = StreamsBuilder()
        let left = builder.stream("left", key: .string, value: .string)
        let right = builder.stream("right", key: .string, value: .string)
        // right records may be up to 10 ms after the left one, never before it
        left.join(right, JoinWindows.ofTimeDifferenceWithNoGrace(.milliseconds(10)).before(.zero)) { k, l, r in "\(k):\(l)\(r)" }
            .to("out")
        let d = try JoinScenario.driver(try builder.build())
        let l = d.inputTopic("left", key: .string, value: .string)
        let r = d.inputTopic("right", key: .string, value: .string)
        try r.pipeInput("k", "early", timestamp: 5)
        try l.pipeInput("k", "L", timestamp: 10)
        try r.pipeInput("k", "late", timestamp: 20)
        try r.pipeInput("k", "tooLate", timestamp: 21)
        #expect(try d.outputTopic("out", key: .string, value: .string).readValuesToList() == ["k:Llate"])
    }

    @Test func describeUsesKafkaNamesAndStores() throws {
        let builder = StreamsBuilder()
        let left = builder.stream("left", key: .string, value: .string)
        let right = builder.stream("right", key: .string, value: .string)
        left.outerJoin(right, .ofTimeDifferenceWithNoGrace(.seconds(1))) { l, r in JoinScenario.pair(l, r) }.to("out")
        let topology = try builder.build()
        #expect(
            "\(topology.describe())" == """
                Topologies:
                   Sub-topology: 0
                    Source: KSTREAM-SOURCE-0000000000 (topics: [left])
                      --> KSTREAM-WINDOWED-0000000002
                    Source: KSTREAM-SOURCE-0000000001 (topics: [right])
                      --> KSTREAM-WINDOWED-0000000003
                    Processor: KSTREAM-WINDOWED-0000000002 (stores: [KSTREAM-OUTERTHIS-0000000004-store])
                      --> KSTREAM-OUTERTHIS-0000000004
                      <-- KSTREAM-SOURCE-0000000000
                    Processor: KSTREAM-WINDOWED-0000000003 (stores: [KSTREAM-OUTEROTHER-0000000005-store])
                      --> KSTREAM-OUTEROTHER-0000000005
                      <-- KSTREAM-SOURCE-0000000001
                    Processor: KSTREAM-OUTEROTHER-0000000005 (stores: [KSTREAM-OUTERTHIS-0000000004-store, KSTREAM-OUTERSHARED-0000000004-store])
                      --> KSTREAM-MERGE-0000000006
                      <-- KSTREAM-WINDOWED-0000000003
                    Processor: KSTREAM-OUTERTHIS-0000000004 (stores: [KSTREAM-OUTEROTHER-0000000005-store, KSTREAM-OUTERSHARED-0000000004-store])
                      --> KSTREAM-MERGE-0000000006
                      <-- KSTREAM-WINDOWED-0000000002
                    Processor: KSTREAM-MERGE-0000000006 (stores: [])
                      --> KSTREAM-SINK-0000000007
                      <-- KSTREAM-OUTEROTHER-0000000005, KSTREAM-OUTERTHIS-0000000004
                    Sink: KSTREAM-SINK-0000000007 (topic: out)
                      <-- KSTREAM-MERGE-0000000006


                """)
        #expect(topology.copartitionGroups == [["left", "right"]])
        let named = StreamsBuilder()
        named.stream("left", key: .string, value: .string)
            .leftJoin(
                named.stream("right", key: .string, value: .string), .ofTimeDifferenceWithNoGrace(.seconds(1)),
                StreamJoined(named: "auth", storeName: "auth-capture")
            ) { l, r in JoinScenario.pair(l, r) }
            .to("out")
        #expect(
            try named.build().storeNames == [
                "auth-capture-left-shared-join-store", "auth-capture-outer-other-join-store", "auth-capture-this-join-store",
            ])
    }

    @Test func keyChangedUpstreamIsRepartitionedFirst() throws {
        let builder = StreamsBuilder()
        let left = builder.stream("left", key: .string, value: .string).selectKey { _, v in String(v.prefix(1)) }
        let right = builder.stream("right", key: .string, value: .string)
        left.join(right, .ofTimeDifferenceWithNoGrace(.seconds(1))) { l, r in JoinScenario.pair(l, r) }.to("out")
        let topology = try builder.build()
        #expect(topology.internalTopicNames == ["KSTREAM-KEY-SELECT-0000000001-repartition"])
        #expect(topology.copartitionGroups == [["KSTREAM-KEY-SELECT-0000000001-repartition", "right"]])
        let d = try JoinScenario.driver(topology)
        try d.inputTopic("left", key: .string, value: .string).pipeInput("ignored", "xy", timestamp: 1)
        try d.inputTopic("right", key: .string, value: .string).pipeInput("x", "r", timestamp: 2)
        #expect(try d.outputTopic("out", key: .string, value: .string).readKeyValuesToList() == [KeyValue("x", "[xy, r]")])
    }

    @Test func nullKeysAreDroppedAndCounted() throws {
        let builder = StreamsBuilder()
        let left = builder.stream("left", key: .optional(.string), value: .string)
        let right = builder.stream("right", key: .optional(.string), value: .string)
        left.join(right, .ofTimeDifferenceWithNoGrace(.seconds(1))) { l, r in JoinScenario.pair(l, r) }.to("out")
        let d = try JoinScenario.driver(try builder.build())
        let l = d.inputTopic("left", key: .optional(.string), value: .string)
        let r = d.inputTopic("right", key: .optional(.string), value: .string)
        try l.pipeInput(nil, "A", timestamp: 1)
        try r.pipeInput(nil, "a", timestamp: 1)
        try l.pipeInput("k", "B", timestamp: 2)
        try r.pipeInput("k", "b", timestamp: 3)
        #expect(
            try d.outputTopic("out", key: .optional(.string), value: .string).readKeyValuesToList() == [KeyValue("k", "[B, b]")])
        #expect(d.droppedRecordsByReason == ["null-key": 2])
    }

    @Test func throwingJoinerIsAProcessingErrorNamingTheProcessorAndRecord() throws {
        struct Refused: Error {}
        let builder = StreamsBuilder()
        let left = builder.stream("left", key: .string, value: .string)
        let right = builder.stream("right", key: .string, value: .string)
        left.join(right, .ofTimeDifferenceWithNoGrace(.seconds(1))) { (_: String, _: String) throws -> String in throw Refused() }
            .to("out")
        let d = try JoinScenario.driver(try builder.build())
        try d.inputTopic("left", key: .string, value: .string).pipeInput("k", "A", timestamp: 1)
        let error = #expect(throws: StreamsError.self) {
            try d.inputTopic("right", key: .string, value: .string).pipeInput("k", "a", timestamp: 2)
        }
        #expect(error?.code == .processing)
        #expect(error?.context.node == "KSTREAM-JOINOTHER-0000000005")
        #expect(error?.context.topic == "right")
        #expect(error?.context.offset == 0)
        #expect(error?.cause is Refused)
    }
}
