import Clickstream
import KafkaStreams
import KafkaStreamsTesting
import Testing

@Suite struct ClickGeneratorTests {
    @Test func topologyComputesWhatTheGeneratorPlanned() throws {
        for seed: UInt64 in [1, 2, 3] {
            let data = ClickGenerator(seed: seed, userCount: 12, malformedRate: 0.05).generate()
            var config = StreamsConfig(applicationID: "clickstream")
            config.deserializationExceptionHandler = .logAndContinue
            config.defaultDSLStore = .inMemory  // the other tests cover RocksDB; this one pipes hundreds of records
            let driver = try TopologyTestDriver(try ClickstreamTopology().build(), config: config, initialWallClockTime: 0)
            for record in data.all {
                try driver.inputTopic(record.topic, key: .bytes, value: .bytes)
                    .pipeInput(TestRecord(key: record.key, value: record.value, timestamp: record.timestamp))
            }
            let sessions = try driver
                .outputTopic(ClickstreamTopology.userSessionsTopic, key: .string, value: .json(UserSession.self))
                .readValuesToList().compactMap { $0 }
            #expect(sessions.sorted { ($0.end, $0.userID) < ($1.end, $1.userID) } == data.expectedSessions, "seed \(seed)")
            let top = try driver.outputTopic(ClickstreamTopology.topPagesTopic, key: .int64, value: .json(TopPages.self))
                .readValuesToList().compactMap { $0 }
            #expect(top == data.expectedTopPages, "seed \(seed)")
            let funnel = try driver.outputTopic(ClickstreamTopology.funnelTopic, key: .string, value: .int64).readKeyValuesToMap()
            #expect(funnel == data.expectedFunnel, "seed \(seed)")
            let enriched = try driver.outputTopic(
                ClickstreamTopology.enrichedPageViewsTopic, key: .string, value: .json(EnrichedPageView.self)
            ).readValuesToList()
            #expect(enriched.count == data.validViewCount + 1)  // and the closing view
            #expect(enriched.allSatisfy { $0?.profile != nil || $0?.view.userID == "closing" })
            #expect(driver.droppedRecordCount == data.malformedCount)
            #expect(data.malformedCount > 0)
        }
    }

    @Test func theSameSeedGivesTheSameRecords() {
        let a = ClickGenerator(seed: 4, malformedRate: 0.1).generate()
        #expect(a.all == ClickGenerator(seed: 4, malformedRate: 0.1).generate().all)
        #expect(a.all != ClickGenerator(seed: 5, malformedRate: 0.1).generate().all)
        #expect(a.pageViews.map(\.timestamp) == a.pageViews.map(\.timestamp).sorted())
        #expect(!a.expectedSessions.isEmpty && !a.expectedTopPages.isEmpty && !a.expectedFunnel.isEmpty)
    }
}
