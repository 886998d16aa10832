import KafkaStreams
import KafkaStreamsTesting
import Testing

@Suite struct TableTableJoinTests {
    enum Kind { case inner, left, outer }

    static func topology(_ kind: Kind, materialized: Bool = false) throws -> Topology {
        let builder = StreamsBuilder()
        let left = builder.table("left", key: .string, value: .string)
        let right = builder.table("right", key: .string, value: .string)
        let store: Materialized<String, String>? =
            materialized ? Materialized("joined", value: .string).withCachingDisabled() : nil
        let joined: KTable<String, String>
        switch kind {
        case .inner: joined = left.join(right, store) { l, r in JoinScenario.pair(l, r) }
        case .left: joined = left.leftJoin(right, store) { l, r in JoinScenario.pair(l, r) }
        case .outer: joined = left.outerJoin(right, store) { l, r in JoinScenario.pair(l, r) }
        }
        joined.toStream().to("out", key: .string, value: .optional(.string))
        return try builder.build()
    }

    /// Kafka Streams' documented KTable–KTable sequence (one key, tombstones included).
    static let steps: [JoinStep] = [
        .left("k", nil, 1), .right("k", nil, 2), .left("k", "A", 3), .right("k", "a", 4), .left("k", "B", 5), .right("k", "b", 6),
        .left("k", nil, 7), .right("k", nil, 8), .left("k", "C", 9), .right("k", "c", 10), .right("k", nil, 11),
        .left("k", nil, 12),
        .right("k", nil, 13), .right("k", "d", 14), .left("k", "D", 15),
    ]

    @Test func stepTableInnerLeftOuter() throws {
        let inner = try JoinScenario.run(Self.topology(.inner), Self.steps)
        let left = try JoinScenario.run(Self.topology(.left), Self.steps)
        let outer = try JoinScenario.run(Self.topology(.outer), Self.steps)
        #expect(
            inner == [
                [], [], [], ["k=[A, a] @4"], ["k=[B, a] @5"], ["k=[B, b] @6"], ["k=null @7"], [], [], ["k=[C, c] @10"],
                ["k=null @11"], [], [],
                [], ["k=[D, d] @15"],
            ])
        #expect(
            left == [
                [], [], ["k=[A, null] @3"], ["k=[A, a] @4"], ["k=[B, a] @5"], ["k=[B, b] @6"], ["k=null @7"], [],
                ["k=[C, null] @9"],
                ["k=[C, c] @10"], ["k=[C, null] @11"], ["k=null @12"], [], [], ["k=[D, d] @15"],
            ])
        #expect(
            outer == [
                [], [], ["k=[A, null] @3"], ["k=[A, a] @4"], ["k=[B, a] @5"], ["k=[B, b] @6"], ["k=[null, b] @7"], ["k=null @8"],
                ["k=[C, null] @9"], ["k=[C, c] @10"], ["k=[C, null] @11"], ["k=null @12"], [], ["k=[null, d] @14"],
                ["k=[D, d] @15"],
            ])
        try JoinScenario.checkDocTable(
            "table-table",
            JoinScenario.table(Self.steps, columns: [("inner join", inner), ("left join", left), ("outer join", outer)]))
    }

    @Test func materializedResultIsQueryableAndEmitsTheSame() throws {
        let steps = Self.steps
        let plain = try JoinScenario.run(Self.topology(.outer), steps)
        let stored = try JoinScenario.run(Self.topology(.outer, materialized: true), steps)
        #expect(stored == plain)
        let d = try JoinScenario.driver(try Self.topology(.left, materialized: true))
        try d.inputTopic("left", key: .string, value: .string).pipeInput("k", "A", timestamp: 3)
        try d.inputTopic("right", key: .string, value: .string).pipeInput("k", "a", timestamp: 9)
        let store = try d.getKeyValueStore("joined", key: String.self, value: ValueAndTimestamp<String>.self)
        #expect(try store.get("k") == ValueAndTimestamp("[A, a]", timestamp: 9))
    }

    @Test func describeUsesKafkaNames() throws {
        let topology = try Self.topology(.inner)
        let text = "\(topology.describe())"
        #expect(text.contains("Processor: KTABLE-JOINTHIS-0000000007 (stores: [right-STATE-STORE-0000000003])"))
        #expect(text.contains("Processor: KTABLE-JOINOTHER-0000000008 (stores: [left-STATE-STORE-0000000000])"))
        #expect(text.contains("Processor: KTABLE-MERGE-0000000006 (stores: [])"))
        #expect(topology.copartitionGroups == [["left", "right"]])
    }

    @Test func chainedJoinLooksUpAnUnmaterializedJoinResult() throws {
        let builder = StreamsBuilder()
        let a = builder.table("a", key: .string, value: .string)
        let b = builder.table("b", key: .string, value: .string)
        let c = builder.table("c", key: .string, value: .string)
        a.join(b) { x, y in x + y }.join(c) { xy, z in xy + z }.toStream().to("out", key: .string, value: .optional(.string))
        let topology = try builder.build()
        #expect("\(topology.describe())".contains("(stores: [a-STATE-STORE-0000000000, b-STATE-STORE-0000000003])"))
        let d = try JoinScenario.driver(topology)
        try d.inputTopic("c", key: .string, value: .string).pipeInput("k", "3", timestamp: 1)
        try d.inputTopic("a", key: .string, value: .string).pipeInput("k", "1", timestamp: 2)
        try d.inputTopic("b", key: .string, value: .string).pipeInput("k", "2", timestamp: 3)
        try d.inputTopic("c", key: .string, value: .string).pipeInput("k", "4", timestamp: 4)
        #expect(
            try d.outputTopic("out", key: .string, value: .optional(.string)).readRecordsToList() == [
                TestRecord(key: "k", value: "123", timestamp: 3), TestRecord(key: "k", value: "124", timestamp: 4),
            ])
    }

    @Test func throwingJoinerNamesTheProcessor() throws {
        struct Refused: Error {}
        let builder = StreamsBuilder()
        builder.table("left", key: .string, value: .string)
            .join(builder.table("right", key: .string, value: .string)) { (_: String, _: String) throws -> String in
                throw Refused()
            }
            .toStream().to("out", key: .string, value: .optional(.string))
        // With the record cache off, the update reaches the join while its record is processed.
        var config = StreamsConfig(applicationID: "joins")
        config.cacheMaxBytes = 0
        let d = try TopologyTestDriver(try builder.build(), config: config, initialWallClockTime: 0)
        try d.inputTopic("left", key: .string, value: .string).pipeInput("k", "A", timestamp: 1)
        let error = #expect(throws: StreamsError.self) {
            try d.inputTopic("right", key: .string, value: .string).pipeInput("k", "a", timestamp: 2)
        }
        #expect(error?.code == .processing)
        #expect(error?.context.node == "KTABLE-JOINOTHER-0000000008")
        #expect(error?.context.topic == "right")
        #expect(error?.context.offset == 0)
        #expect(error?.cause is Refused)
        // Cached (the default), the source table forwards on flush: the flush fails with the
        // join's processing error as its cause.
        let cached = try JoinScenario.driver(try builder.build())
        try cached.inputTopic("left", key: .string, value: .string).pipeInput("k", "A", timestamp: 1)
        let flush = #expect(throws: StreamsError.self) {
            try cached.inputTopic("right", key: .string, value: .string).pipeInput("k", "a", timestamp: 2)
        }
        #expect(flush?.code == .stateStore)
        #expect((flush?.cause as? StreamsError)?.context.node == "KTABLE-JOINOTHER-0000000008")
    }
}

@Suite struct TableJoinOldValuesTests {
    /// A re-grouping after a join needs the join's old values to subtract a row from its
    /// old group: the join asks both inputs for old values and forwards (new, old).
    @Test func groupByAfterAJoinSubtractsTheOldResult() throws {
        let builder = StreamsBuilder()
        let accounts = builder.table("left", key: .string, value: .string)
        let tiers = builder.table("right", key: .string, value: .string)
        accounts.join(tiers) { _, tier in tier }
            .groupBy(Grouped(key: .string, value: .string)) { account, tier in (tier, account) }
            .count()
            .toStream()
            .to("out", key: .string, value: .optional(.int64))
        let d = try JoinScenario.driver(try builder.build())
        let left = d.inputTopic("left", key: .string, value: .string)
        let right = d.inputTopic("right", key: .string, value: .string)
        let out = d.outputTopic("out", key: .string, value: .optional(.int64))
        try left.pipeInput("a1", "alice", timestamp: 1)
        try right.pipeInput("a1", "gold", timestamp: 2)
        #expect(try out.readKeyValuesToList() == [KeyValue("gold", 1)])
        try right.pipeInput("a1", "silver", timestamp: 3)
        #expect(try out.readKeyValuesToList() == [KeyValue("gold", 0), KeyValue("silver", 1)])
        try left.pipeInput(TestRecord(key: "a1", value: nil, timestamp: 4))
        #expect(try out.readKeyValuesToList() == [KeyValue("silver", 0)])
    }
}
