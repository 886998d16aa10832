import KafkaStreams
import KafkaStreamsTesting
import Testing

@Suite struct JoinOptionsTests {
    @Test func joinWindowsBounds() {
        let symmetric = JoinWindows.ofTimeDifferenceAndGrace(.seconds(5), .seconds(1))
        #expect(
            symmetric.beforeMs == 5_000 && symmetric.afterMs == 5_000 && symmetric.graceMs == 1_000 && symmetric.sizeMs == 10_000)
        let forward = JoinWindows.ofTimeDifferenceWithNoGrace(.seconds(5)).before(.zero)
        #expect(forward.beforeMs == 0 && forward.afterMs == 5_000 && forward.sizeMs == 5_000)
        // a negative bound shifts the window but never makes it empty
        let shifted = JoinWindows.ofTimeDifferenceWithNoGrace(.seconds(5)).after(.seconds(-2))
        #expect(shifted.beforeMs == 5_000 && shifted.afterMs == -2_000 && shifted.sizeMs == 3_000)
        #expect(JoinWindows.ofTimeDifferenceWithNoGrace(.seconds(5)).after(.seconds(-9)).sizeMs == 0)
    }

    @Test func streamJoinedLoggingNamesOrDisablesTheChangelogs() throws {
        func topology(_ options: StreamJoined<String, String, String>) throws -> Topology {
            let builder = StreamsBuilder()
            builder.stream("left", key: .string, value: .string)
                .outerJoin(
                    builder.stream("right", key: .string, value: .string), .ofTimeDifferenceWithNoGrace(.seconds(1)), options
                ) { l, r in
                    JoinScenario.pair(l, r)
                }
                .to("out")
            return try builder.build()
        }
        let logged = try topology(StreamJoined(storeName: "s"))
        #expect(logged.storeNames == ["s-outer-other-join-store", "s-outer-shared-join-store", "s-outer-this-join-store"])
        #expect(logged.changelogTopic(forStore: "s-outer-this-join-store") == "s-outer-this-join-store-changelog")
        let unlogged = try topology(StreamJoined(storeName: "s").withLoggingDisabled())
        #expect(unlogged.storeNames.map { unlogged.changelogTopic(forStore: $0) } == [nil, nil, nil])
    }

    @Test func namedStreamJoinNamesItsProcessors() throws {
        let builder = StreamsBuilder()
        builder.stream("left", key: .string, value: .string)
            .join(
                builder.stream("right", key: .string, value: .string), .ofTimeDifferenceWithNoGrace(.seconds(1)),
                StreamJoined(named: "j")
            ) {
                l, r in JoinScenario.pair(l, r)
            }
            .to("out")
        let text = "\(try builder.build().describe())"
        for name in ["j-this-windowed", "j-other-windowed", "j-this-join", "j-other-join", "j-merge"] {
            #expect(text.contains("Processor: \(name) "), "\(name) missing")
        }
        #expect(text.contains("(stores: [KSTREAM-JOINTHIS-0000000002-store])"))
    }

    @Test func chainedJoinsShareOneCopartitionGroup() throws {
        let builder = StreamsBuilder()
        let t1 = builder.table("t1", key: .string, value: .string)
        let t2 = builder.table("t2", key: .string, value: .string)
        builder.stream("s", key: .string, value: .string)
            .join(t1) { v, a in v + a }
            .join(t2) { v, b in v + b }
            .to("out")
        builder.stream("other", key: .string, value: .string).to("copy")
        #expect(try builder.build().copartitionGroups == [["s", "t1", "t2"]])
    }
}

@Suite struct JoinSerdeTests {
    struct Amount: Codable, Sendable, Equatable { let cents: Int }

    @Test func joinStoresNeedSerdesAndStreamJoinedSuppliesThem() throws {
        func build(_ options: StreamJoined<String, Amount, String>) throws -> Topology {
            let builder = StreamsBuilder()
            builder.stream("left", key: .string, value: .string)
                .mapValues { v in Amount(cents: v.count) }  // the value serde is dropped
                .join(builder.stream("right", key: .string, value: .string), .ofTimeDifferenceWithNoGrace(.seconds(1)), options) {
                    a, r in
                    "\(a.cents) \(r)"
                }
                .to("out")
            return try builder.build()
        }
        let error = #expect(throws: StreamsError.self) { try build(StreamJoined()) }
        #expect(error?.code == .invalidTopology)
        #expect(error?.context.node == "KSTREAM-JOINTHIS-0000000005")
        let d = try JoinScenario.driver(try build(StreamJoined(value: .json(Amount.self))))
        try d.inputTopic("left", key: .string, value: .string).pipeInput("k", "abc", timestamp: 1)
        try d.inputTopic("right", key: .string, value: .string).pipeInput("k", "r", timestamp: 2)
        #expect(try d.outputTopic("out", key: .string, value: .string).readKeyValuesToList() == [KeyValue("k", "3 r")])
    }
}
