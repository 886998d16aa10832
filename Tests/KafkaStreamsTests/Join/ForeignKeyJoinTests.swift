import KafkaStreams
import KafkaStreamsTesting
import NIOCore
import Testing

@Suite struct ForeignKeyJoinTests {
    /// Orders keyed by order id, valued `customer|item`, joined with customers by the
    /// customer id before the `|`.
    static func topology(left: Bool) throws -> Topology {
        let builder = StreamsBuilder()
        let orders = builder.table("left", key: .string, value: .string)
        let customers = builder.table("right", key: .string, value: .string)
        let customerOf: @Sendable (String) -> String = { String($0.split(separator: "|")[0]) }
        let joined =
            left
            ? orders.leftJoin(customers, foreignKey: customerOf) { o, c in JoinScenario.pair(o, c) }
            : orders.join(customers, foreignKey: customerOf) { o, c in JoinScenario.pair(o, c) }
        joined.toStream().to("out", key: .string, value: .optional(.string))
        return try builder.build()
    }

    static let steps: [JoinStep] = [
        .right("c1", "alice", 1), .left("o1", "c1|A", 2), .left("o2", "c2|B", 3), .right("c2", "bob", 4),
        .left("o1", "c2|A2", 5),  // o1's foreign key changes from c1 to c2
        .right("c1", "ann", 6),  // o1 no longer follows c1
        .right("c2", nil, 7),  // both subscribers of c2 see the delete
        .left("o3", "c9|C", 8), .left("o2", nil, 9), .left("o1", "c1|A3", 10),
    ]

    @Test func stepTableInnerAndLeft() throws {
        let inner = try JoinScenario.run(Self.topology(left: false), Self.steps)
        let left = try JoinScenario.run(Self.topology(left: true), Self.steps)
        #expect(
            inner == [
                [], ["o1=[c1|A, alice] @2"], [], ["o2=[c2|B, bob] @4"], ["o1=[c2|A2, bob] @5"], [], ["o1=null @7", "o2=null @7"],
                [],
                ["o2=null @9"], ["o1=[c1|A3, ann] @10"],
            ])
        #expect(
            left == [
                [], ["o1=[c1|A, alice] @2"], ["o2=[c2|B, null] @3"], ["o2=[c2|B, bob] @4"], ["o1=[c2|A2, bob] @5"], [],
                ["o1=[c2|A2, null] @7", "o2=[c2|B, null] @7"], ["o3=[c9|C, null] @8"], ["o2=null @9"], ["o1=[c1|A3, ann] @10"],
            ])
        try JoinScenario.checkDocTable(
            "foreign-key", JoinScenario.table(Self.steps, columns: [("inner join", inner), ("left join", left)]))
    }

    @Test func topicsStoresAndNamesFollowKafka() throws {
        let topology = try Self.topology(left: false)
        #expect(
            topology.internalTopicNames == [
                "KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000006-topic",
                "KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-0000000014-topic",
            ])
        #expect(
            topology.storeNames == [
                "KTABLE-FK-JOIN-SUBSCRIPTION-STATE-STORE-0000000010", "left-STATE-STORE-0000000000",
                "right-STATE-STORE-0000000003",
            ])
        #expect(
            topology.copartitionGroups == [
                ["KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000006-topic", "right"],
                ["KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-0000000014-topic", "left"],
            ])
    }

    /// A response computed for an older version of the row is recognized by its value
    /// hash and discarded.
    @Test func staleResponsesAreDiscardedByTheHashCheck() throws {
        let d = try JoinScenario.driver(try Self.topology(left: false))
        try d.inputTopic("left", key: .string, value: .string).pipeInput("o1", "c1|A", timestamp: 1)
        let responses = d.inputTopic("joins-KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-0000000014-topic", key: .string, value: .bytes)
        func response(answering value: String, with customer: String) -> [UInt8] {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a of the left value's bytes
            for byte in Array(value.utf8) { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            var buffer = ByteBuffer()
            buffer.writeInteger(UInt8(0))
            buffer.writeInteger(UInt8(1))
            buffer.writeInteger(hash)
            buffer.writeInteger(UInt8(1))
            buffer.writeString(customer)
            return Array(buffer.readableBytesView)
        }
        try responses.pipeInput("o1", response(answering: "c0|OLD", with: "mallory"), timestamp: 2)
        let out = d.outputTopic("out", key: .string, value: .optional(.string))
        #expect(try out.readRecordsToList().isEmpty)
        try responses.pipeInput("o1", response(answering: "c1|A", with: "zed"), timestamp: 3)
        #expect(try out.readRecordsToList() == [TestRecord(key: "o1", value: "[c1|A, zed]", timestamp: 3)])
    }

    @Test func materializedResultIsQueryable() throws {
        let builder = StreamsBuilder()
        let orders = builder.table("left", key: .string, value: .string)
        let customers = builder.table("right", key: .string, value: .string)
        orders.join(customers, foreignKey: { String($0.split(separator: "|")[0]) }, Materialized("enriched", value: .string)) {
            o, c in
            "\(o)->\(c)"
        }
        let d = try JoinScenario.driver(try builder.build())
        try d.inputTopic("right", key: .string, value: .string).pipeInput("c1", "alice", timestamp: 1)
        try d.inputTopic("left", key: .string, value: .string).pipeInput("o1", "c1|A", timestamp: 2)
        try d.inputTopic("right", key: .string, value: .string).pipeInput("c1", "ann", timestamp: 3)
        #expect(try d.getKeyValueStore("enriched", key: String.self, value: String.self).get("o1") == "c1|A->ann")
    }
}

@Suite struct ForeignKeyJoinLookupTests {
    /// The right table is an unmaterialized filter: subscriptions look it up through its
    /// source's store and the predicate.
    @Test func foreignTableMayBeAnUnmaterializedFilter() throws {
        let builder = StreamsBuilder()
        let orders = builder.table("left", key: .string, value: .string)
        let activeCustomers = builder.table("right", key: .string, value: .string).filter { _, name in name != "closed" }
        orders.leftJoin(activeCustomers, foreignKey: { String($0.split(separator: "|")[0]) }) { o, c in JoinScenario.pair(o, c) }
            .toStream().to("out", key: .string, value: .optional(.string))
        let d = try JoinScenario.driver(try builder.build())
        try d.inputTopic("right", key: .string, value: .string).pipeInput("c1", "alice", timestamp: 1)
        try d.inputTopic("right", key: .string, value: .string).pipeInput("c2", "closed", timestamp: 1)
        try d.inputTopic("left", key: .string, value: .string).pipeInput("o1", "c1|A", timestamp: 2)
        try d.inputTopic("left", key: .string, value: .string).pipeInput("o2", "c2|B", timestamp: 3)
        #expect(
            try d.outputTopic("out", key: .string, value: .optional(.string)).readKeyValuesToList() == [
                KeyValue("o1", "[c1|A, alice]"), KeyValue("o2", "[c2|B, null]"),
            ])
    }
}
