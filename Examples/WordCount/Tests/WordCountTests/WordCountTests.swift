import KafkaStreams
import KafkaStreamsTesting
import Testing
import WordCount

@Suite struct WordCountTests {
    @Test func countsEveryWordAcrossLines() throws {
        let driver = try TopologyTestDriver(try WordCount.topology(), initialWallClockTime: 0)
        let input = driver.inputTopic(WordCount.inputTopic, key: .optional(.string), value: .string, startTimestamp: 100)
        let output = driver.outputTopic(WordCount.outputTopic, key: .string, value: .int64)

        try input.pipeInput(nil, "Hello Kafka Streams")
        try input.pipeInput(nil, "hello swift, hello!")

        #expect(
            try output.readKeyValuesToList() == [
                KeyValue("hello", 1), KeyValue("kafka", 1), KeyValue("streams", 1),
                KeyValue("hello", 2), KeyValue("swift", 1), KeyValue("hello", 3),
            ])
        #expect(output.isEmpty)
        let store = try driver.getKeyValueStore(WordCount.storeName, key: String.self, value: Int64.self)
        #expect(try store.get("hello") == 3)
        #expect(try store.all().toArray().map(\.key) == ["hello", "kafka", "streams", "swift"])
    }

    @Test func keepsTheTimestampOfTheLine() throws {
        let driver = try TopologyTestDriver(try WordCount.topology())
        let input = driver.inputTopic(WordCount.inputTopic, key: .optional(.string), value: .string)
        let output = driver.outputTopic(WordCount.outputTopic, key: .string, value: .int64)
        try input.pipeInput("line-1", "a b", timestamp: 42)
        #expect(try output.readRecordsToList() == [
            TestRecord(key: "a", value: 1, timestamp: 42), TestRecord(key: "b", value: 1, timestamp: 42),
        ])
    }

    @Test func repartitionsThroughAnInternalTopic() throws {
        var config = StreamsConfig(applicationID: "wordcount")
        config.commitInterval = .seconds(1)
        let driver = try TopologyTestDriver(try WordCount.topology(), config: config)
        let input = driver.inputTopic(WordCount.inputTopic, key: .optional(.string), value: .string)
        try input.pipeInput(nil, "x")
        // As in Kafka Streams' driver, internal topics (repartition, changelog) are listed too.
        #expect(
            driver.producedTopicNames == [
                "wordcount-counts-store-repartition", "wordcount-counts-store-changelog", WordCount.outputTopic,
            ])
    }

    @Test func splitsWords() {
        #expect(WordCount.words("It's a Test, it's 2 TESTS.") == ["it's", "a", "test", "it's", "2", "tests"])
        #expect(WordCount.words("  ") == [])
    }

    @Test func describesTheTopology() throws {
        let text = try WordCount.topology().describe().description
        #expect(
            text == """
                Topologies:
                   Sub-topology: 0
                    Source: KSTREAM-SOURCE-0000000000 (topics: [streams-plaintext-input])
                      --> KSTREAM-FLATMAPVALUES-0000000001
                    Processor: KSTREAM-FLATMAPVALUES-0000000001 (stores: [])
                      --> KSTREAM-KEY-SELECT-0000000002
                      <-- KSTREAM-SOURCE-0000000000
                    Processor: KSTREAM-KEY-SELECT-0000000002 (stores: [])
                      --> counts-store-repartition-sink
                      <-- KSTREAM-FLATMAPVALUES-0000000001
                    Sink: counts-store-repartition-sink (topic: counts-store-repartition)
                      <-- KSTREAM-KEY-SELECT-0000000002

                  Sub-topology: 1
                    Source: counts-store-repartition-source (topics: [counts-store-repartition])
                      --> KSTREAM-AGGREGATE-0000000003
                    Processor: KSTREAM-AGGREGATE-0000000003 (stores: [counts-store])
                      --> KTABLE-TOSTREAM-0000000004
                      <-- counts-store-repartition-source
                    Processor: KTABLE-TOSTREAM-0000000004 (stores: [])
                      --> KSTREAM-SINK-0000000005
                      <-- KSTREAM-AGGREGATE-0000000003
                    Sink: KSTREAM-SINK-0000000005 (topic: streams-wordcount-output)
                      <-- KTABLE-TOSTREAM-0000000004


                """)
    }
}
