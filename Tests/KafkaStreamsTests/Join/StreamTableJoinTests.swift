import KafkaStreams
import KafkaStreamsTesting
import Testing

@Suite struct StreamTableJoinTests {
    static func topology(left: Bool) throws -> Topology {
        let builder = StreamsBuilder()
        let stream = builder.stream("left", key: .string, value: .string)
        let table = builder.table("right", key: .string, value: .string)
        let joined =
            left
            ? stream.leftJoin(table) { v, row in JoinScenario.pair(v, row) }
            : stream.join(table) { v, row in JoinScenario.pair(v, row) }
        joined.to("out", key: .string, value: .string)
        return try builder.build()
    }

    /// Table updates and deletes never emit; each stream record sees the table as it is
    /// when the record is processed, whatever its timestamp.
    static let steps: [JoinStep] = [
        .right("k", nil, 1), .left("k", "A", 2), .right("k", "a", 3), .left("k", "B", 4), .right("k", "b", 5), .left("k", "C", 6),
        .right("k", nil, 7), .left("k", "D", 8), .right("j", "x", 9), .left("j", "E", 1),
    ]

    @Test func stepTableInnerAndLeft() throws {
        let inner = try JoinScenario.run(Self.topology(left: false), Self.steps)
        let left = try JoinScenario.run(Self.topology(left: true), Self.steps)
        #expect(inner == [[], [], [], ["k=[B, a] @4"], [], ["k=[C, b] @6"], [], [], [], ["j=[E, x] @1"]])
        #expect(
            left == [
                [], ["k=[A, null] @2"], [], ["k=[B, a] @4"], [], ["k=[C, b] @6"], [], ["k=[D, null] @8"], [], ["j=[E, x] @1"],
            ])
        try JoinScenario.checkDocTable(
            "stream-table", JoinScenario.table(Self.steps, columns: [("inner join", inner), ("left join", left)]))
    }

    @Test func describeMaterializesTheSourceTableAndRecordsCopartitioning() throws {
        let topology = try Self.topology(left: false)
        #expect(
            "\(topology.describe())" == """
                Topologies:
                   Sub-topology: 0
                    Source: KSTREAM-SOURCE-0000000000 (topics: [left])
                      --> KSTREAM-JOIN-0000000004
                    Processor: KSTREAM-JOIN-0000000004 (stores: [right-STATE-STORE-0000000001])
                      --> KSTREAM-SINK-0000000005
                      <-- KSTREAM-SOURCE-0000000000
                    Source: KSTREAM-SOURCE-0000000002 (topics: [right])
                      --> KTABLE-SOURCE-0000000003
                    Sink: KSTREAM-SINK-0000000005 (topic: out)
                      <-- KSTREAM-JOIN-0000000004
                    Processor: KTABLE-SOURCE-0000000003 (stores: [right-STATE-STORE-0000000001])
                      --> none
                      <-- KSTREAM-SOURCE-0000000002


                """)
        #expect(topology.copartitionGroups == [["left", "right"]])
    }

    @Test func joinsThroughAnUnmaterializedFilterAndMapValues() throws {
        let builder = StreamsBuilder()
        let table = builder.table("right", key: .string, value: .string)
            .filter { _, v in v != "hidden" }
            .mapValues { _, v in v.uppercased() }
        builder.stream("left", key: .string, value: .string).leftJoin(table) { v, row in JoinScenario.pair(v, row) }.to("out")
        let d = try JoinScenario.driver(try builder.build())
        let right = d.inputTopic("right", key: .string, value: .string)
        let left = d.inputTopic("left", key: .string, value: .string)
        try right.pipeInput("a", "x", timestamp: 1)
        try right.pipeInput("b", "hidden", timestamp: 1)
        try left.pipeInput("a", "A", timestamp: 2)
        try left.pipeInput("b", "B", timestamp: 2)
        #expect(
            try d.outputTopic("out", key: .string, value: .string).readKeyValuesToList() == [
                KeyValue("a", "[A, X]"), KeyValue("b", "[B, null]"),
            ])
    }

    @Test func keyChangedStreamIsRepartitionedBeforeTheLookup() throws {
        let builder = StreamsBuilder()
        let cards = builder.table("right", key: .string, value: .string)
        builder.stream("left", key: .string, value: .string)
            .map { _, v in (String(v.split(separator: ":")[0]), String(v.split(separator: ":")[1])) }
            .join(cards, .as("enrich")) { amount, owner in "\(owner) paid \(amount)" }
            .to("out")
        let topology = try builder.build()
        #expect(topology.internalTopicNames == ["enrich-left-repartition"])
        #expect(topology.copartitionGroups == [["enrich-left-repartition", "right"]])
        let d = try JoinScenario.driver(topology)
        try d.inputTopic("right", key: .string, value: .string).pipeInput("c1", "alice", timestamp: 1)
        try d.inputTopic("left", key: .string, value: .string).pipeInput("ignored", "c1:100", timestamp: 2)
        #expect(
            try d.outputTopic("out", key: .string, value: .string).readKeyValuesToList() == [KeyValue("c1", "alice paid 100")])
    }

    @Test func nullStreamKeysAreDroppedAndCounted() throws {
        let builder = StreamsBuilder()
        let table = builder.table("right", key: .optional(.string), value: .string)
        builder.stream("left", key: .optional(.string), value: .string).leftJoin(table) { v, row in JoinScenario.pair(v, row) }
            .to("out")
        let d = try JoinScenario.driver(try builder.build())
        try d.inputTopic("left", key: .optional(.string), value: .string).pipeInput(nil, "A", timestamp: 1)
        #expect(try d.outputTopic("out", key: .optional(.string), value: .string).readRecordsToList().isEmpty)
        #expect(d.droppedRecordsByReason == ["null-key": 1])
    }
}

@Suite struct GlobalTableJoinTests {
    @Test func keySelectorMapsEachRecordToATableRow() throws {
        let builder = StreamsBuilder()
        let merchants = builder.globalTable("merchants", key: .string, value: .string)
        let payments = builder.stream("payments", key: .optional(.string), value: .string)
        payments.join(merchants, keySelector: { _, p in String(p.split(separator: "@")[1]) }) { p, risk in "\(p) \(risk)" }.to(
            "inner")
        payments.leftJoin(merchants, keySelector: { _, p in String(p.split(separator: "@")[1]) }) { p, risk in
            "\(p) \(risk ?? "unknown")"
        }
        .to("left")
        let topology = try builder.build()
        #expect(topology.copartitionGroups.isEmpty)
        let d = try JoinScenario.driver(topology)
        try d.inputTopic("merchants", key: .string, value: .string).pipeInput("shop", "low", timestamp: 1)
        let input = d.inputTopic("payments", key: .optional(.string), value: .string)
        try input.pipeInput("c1", "10@shop", timestamp: 5)
        try input.pipeInput(nil, "20@shop", timestamp: 6)  // a null stream key is kept: the selector maps it
        try input.pipeInput("c2", "30@casino", timestamp: 7)
        #expect(
            try d.outputTopic("inner", key: .optional(.string), value: .string).readRecordsToList() == [
                TestRecord(key: "c1", value: "10@shop low", timestamp: 5),
                TestRecord(key: nil, value: "20@shop low", timestamp: 6),
            ])
        #expect(
            try d.outputTopic("left", key: .optional(.string), value: .string).readValuesToList() == [
                "10@shop low", "20@shop low", "30@casino unknown",
            ])
        #expect(d.droppedRecordCount == 0)
    }
}
