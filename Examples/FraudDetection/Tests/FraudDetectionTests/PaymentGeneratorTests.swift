import FraudDetection
import KafkaStreams
import KafkaStreamsTesting
import Testing

@Suite struct PaymentGeneratorTests {
    /// Pipes every generated record into a new driver; returns the driver and the alerts.
    func run(_ data: GeneratedPayments, rules: FraudDetectionTopology = FraudDetectionTopology()) throws
        -> (TopologyTestDriver, [Alert])
    {
        var config = StreamsConfig(applicationID: "fraud-detection")
        config.deserializationExceptionHandler = .logAndContinue
        config.defaultDSLStore = .inMemory  // the other tests cover RocksDB; this one pipes hundreds of records
        let driver = try TopologyTestDriver(try rules.build(), config: config, initialWallClockTime: 0)
        for record in data.all {
            let input = driver.inputTopic(record.topic, key: .bytes, value: .bytes)
            try input.pipeInput(TestRecord(key: record.key, value: record.value, timestamp: record.timestamp))
        }
        let alerts = driver.outputTopic(FraudDetectionTopology.alertsTopic, key: .string, value: .json(Alert.self))
        return (driver, try alerts.readValuesToList().compactMap { $0 })
    }

    @Test func cleanDataRaisesNoAlert() throws {
        for seed: UInt64 in [1, 2, 3] {
            let data = PaymentGenerator(seed: seed, cardCount: 30, patterns: []).generate()
            #expect(data.expectedAlerts.isEmpty)
            let (_, alerts) = try run(data)
            #expect(alerts.isEmpty, "seed \(seed): \(alerts.map(\.summary))")
        }
    }

    @Test func everyInjectedPatternIsCaughtAndNothingElse() throws {
        for seed: UInt64 in [7, 8, 9] {
            let data = PaymentGenerator(seed: seed, cardCount: 25, malformedRate: 0.05).generate()
            #expect(data.expectedAlerts.count == FraudPattern.allCases.count)
            #expect(data.malformedCount > 0)
            let (driver, alerts) = try run(data)
            let caught = Set(alerts.map { ExpectedAlert(rule: $0.rule, cardID: $0.cardID) })
            #expect(caught == Set(data.expectedAlerts), "seed \(seed)")
            #expect(driver.droppedRecordCount == data.malformedCount)
            let risk = try driver.getKeyValueStore(FraudDetectionTopology.cardRiskStore, key: String.self, value: CardRisk.self)
            for expected in data.expectedAlerts {
                #expect(try risk.get(expected.cardID)?.alertsByRule[expected.rule.rawValue] ?? 0 >= 1)
            }
        }
    }

    @Test func patternsFollowTheConfiguredThresholds() throws {
        let rules = FraudDetectionTopology(velocityThreshold: 10, anomalyFactor: 8, minimumHistory: 5)
        let data = PaymentGenerator(seed: 11, cardCount: 10, rules: rules).generate()
        let (_, alerts) = try run(data, rules: rules)
        #expect(Set(alerts.map { ExpectedAlert(rule: $0.rule, cardID: $0.cardID) }) == Set(data.expectedAlerts))
    }

    @Test func theSameSeedGivesTheSameRecords() {
        let a = PaymentGenerator(seed: 5, malformedRate: 0.1).generate()
        let b = PaymentGenerator(seed: 5, malformedRate: 0.1).generate()
        let c = PaymentGenerator(seed: 6, malformedRate: 0.1).generate()
        #expect(a.all == b.all)
        #expect(a.all != c.all)
        #expect(a.payments.map(\.timestamp) == a.payments.map(\.timestamp).sorted())
    }

    @Test func expectedAlertsNameTheFirstCards() {
        let data = PaymentGenerator(seed: 1, cardCount: 6).generate()
        #expect(
            data.expectedAlerts == [
                ExpectedAlert(rule: .velocity, cardID: "card-0000"), ExpectedAlert(rule: .amountAnomaly, cardID: "card-0001"),
                ExpectedAlert(rule: .impossibleTravel, cardID: "card-0002"),
                ExpectedAlert(rule: .riskyMerchant, cardID: "card-0003"),
            ])
        #expect(data.cards.count == 6)
        #expect(data.riskyMerchants.count == 2)
    }
}
