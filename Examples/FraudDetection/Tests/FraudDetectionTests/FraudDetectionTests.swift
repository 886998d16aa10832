import FraudDetection
import KafkaStreams
import KafkaStreamsTesting
import Testing

@Suite struct FraudDetectionTests {
    typealias F = FraudFixture

    @Test func cleanPaymentsRaiseNoAlert() throws {
        let f = try FraudFixture()
        try f.pipe((0..<10).map { F.payment("p\($0)", at: 600_000 + Int64($0) * 120_000, amount: 40 + Double($0 % 3) * 10) })
        #expect(f.alerts.isEmpty)
        #expect(try f.risk("card-1") == nil)
        let spending = try f.driver.getKeyValueStore(
            FraudDetectionTopology.spendingStore, key: String.self, value: SpendingProfile.self)
        #expect(try spending.get("card-1")?.count == 10)
    }

    @Test func velocityAlertsOncePerBurstFromThePaymentThatCrossesTheThreshold() throws {
        let f = try FraudFixture()
        // p1…p6 at 600 s, 602 s, …, 610 s: the 6th payment takes the windows starting at
        // 560 s…600 s over 5; the window starting at 550 s ends at 610 s and holds only 5.
        try f.pipe((1...7).map { F.payment("p\($0)", at: 598_000 + Int64($0) * 2_000) })
        let expected = Alert(
            rule: .velocity, cardID: "card-1", paymentIDs: ["p1", "p2", "p3", "p4", "p5", "p6"], timestamp: 610_000,
            holder: "Ada", evidence: AlertEvidence(paymentCount: 6, windowStart: 560_000, windowEnd: 620_000),
            summary: "6 payments in [560000, 620000), more than 5")
        #expect(try f.alerts.readRecordsToList() == [TestRecord(key: "card-1", value: expected, timestamp: 610_000)])
    }

    @Test func velocityAlertsAgainWhenAnotherWindowCrossesLater() throws {
        let f = try FraudFixture()
        try f.pipe((1...6).map { F.payment("p\($0)", at: 598_000 + Int64($0) * 2_000) })
        _ = try f.alerts.readRecordsToList()
        // 609 s is still in [550 s, 610 s), whose 6th payment this is (out of order, within grace).
        try f.pipe([F.payment("p7", at: 609_000)])
        let alerts = try f.readAlerts()
        #expect(alerts.map(\.paymentIDs) == [["p1", "p2", "p3", "p4", "p5", "p7"]])
        #expect(alerts.map(\.evidence.windowStart) == [550_000])
        #expect(alerts.map(\.timestamp) == [609_000])
    }

    @Test func velocityThresholdIsConfigurable() throws {
        let f = try FraudFixture(FraudDetectionTopology(velocityThreshold: 2))
        try f.pipe((1...3).map { F.payment("p\($0)", at: 600_000 + Int64($0) * 1_000) })
        #expect(try f.readAlerts().map(\.paymentIDs) == [["p1", "p2", "p3"]])
    }

    @Test func amountFarAboveTheAverageOfPreviousPaymentsAlerts() throws {
        let f = try FraudFixture()
        let amounts: [Double] = [40, 50, 60, 250, 2_000]  // 250 = 5 × 50 is not above; 2000 > 5 × 100
        try f.pipe(amounts.enumerated().map { index, amount in
            F.payment("p\(index)", at: 600_000 + Int64(index) * 120_000, amount: amount)
        })
        let expected = Alert(
            rule: .amountAnomaly, cardID: "card-1", paymentIDs: ["p4"], timestamp: 1_080_000, holder: "Ada",
            evidence: AlertEvidence(amount: 2_000, averageAmount: 100, previousPayments: 4),
            summary: "amount 2000.0 is more than 5.0 × the average 100.0 of 4 payments")
        #expect(try f.alerts.readRecordsToList() == [TestRecord(key: "card-1", value: expected, timestamp: 1_080_000)])
    }

    @Test func amountRuleWaitsForTheMinimumHistory() throws {
        let f = try FraudFixture()
        try f.pipe([
            F.payment("p0", at: 600_000, amount: 10), F.payment("p1", at: 720_000, amount: 20),
            F.payment("p2", at: 840_000, amount: 1_000),  // 66 × the average, but only 2 previous payments
        ])
        #expect(f.alerts.isEmpty)
    }

    @Test func impossibleTravelComparesConsecutivePayments() throws {
        let f = try FraudFixture()
        let start: Int64 = 600_000
        try f.pipe([
            F.payment("p1", at: start, location: F.paris),
            F.payment("p2", at: start + 600_000, location: F.versailles),  // 17 km: a local move
            F.payment("p3", at: start + 7_200_000, location: F.newYork),  // ~5,800 km in 1 h 50 min
            F.payment("p4", at: start + 50_400_000, location: F.london),  // ~5,600 km in 12 h: a flight
        ])
        let distance = (F.versailles.distanceKm(to: F.newYork) * 10).rounded() / 10
        let elapsed: Int64 = 6_600_000
        let speed = (F.versailles.distanceKm(to: F.newYork) / (Double(elapsed) / 3_600_000) * 10).rounded() / 10
        let expected = Alert(
            rule: .impossibleTravel, cardID: "card-1", paymentIDs: ["p2", "p3"], timestamp: start + 7_200_000, holder: "Ada",
            evidence: AlertEvidence(
                from: F.versailles, to: F.newYork, distanceKm: distance, elapsedMs: elapsed, speedKmh: speed),
            summary: "\(distance) km in \(elapsed) ms (\(speed) km/h), faster than 900.0 km/h")
        #expect(try f.alerts.readRecordsToList() == [TestRecord(key: "card-1", value: expected, timestamp: start + 7_200_000)])
        #expect(distance > 5_800 && distance < 5_900)
        let last = try f.driver.getKeyValueStore(FraudDetectionTopology.lastPaymentStore, key: String.self, value: Payment.self)
        #expect(try last.get("card-1")?.id == "p4")
    }

    @Test func paymentsAtTheSameTimeFarApartAreImpossible() throws {
        let f = try FraudFixture()
        try f.pipe([F.payment("p1", at: 600_000, location: F.paris), F.payment("p2", at: 600_000, location: F.london)])
        let alert = try f.alerts.readValue()
        #expect(alert?.rule == .impossibleTravel)
        #expect(alert?.evidence.speedKmh == nil)
        #expect(alert?.evidence.elapsedMs == 0)
    }

    @Test func riskyMerchantJoinsTheGlobalTable() throws {
        let f = try FraudFixture()
        try f.riskyMerchants.pipeInput("m-bad", RiskyMerchant(merchantID: "m-bad", reason: "chargebacks"), timestamp: 0)
        try f.pipe([F.payment("p1", at: 600_000, merchant: "m-ok"), F.payment("p2", at: 720_000, merchant: "m-bad")])
        let expected = Alert(
            rule: .riskyMerchant, cardID: "card-1", paymentIDs: ["p2"], timestamp: 720_000, holder: "Ada",
            evidence: AlertEvidence(merchantID: "m-bad", reason: "chargebacks"),
            summary: "merchant m-bad is on the risk list: chargebacks")
        #expect(try f.alerts.readRecordsToList() == [TestRecord(key: "card-1", value: expected, timestamp: 720_000)])

        try f.riskyMerchants.pipeInput("m-bad", nil, timestamp: 800_000)  // off the list
        try f.pipe([F.payment("p3", at: 840_000, merchant: "m-bad")])
        #expect(f.alerts.isEmpty)
    }

    @Test func aCardWithoutProfileStillGetsAlertsWithoutHolder() throws {
        let f = try FraudFixture()
        try f.riskyMerchants.pipeInput("m-bad", RiskyMerchant(merchantID: "m-bad", reason: "chargebacks"), timestamp: 0)
        try f.pipe([F.payment("p1", at: 600_000, card: "card-9", merchant: "m-bad")])
        let alert = try f.alerts.readRecord()
        #expect(alert.key == "card-9")
        #expect(alert.value?.holder == nil)
    }

    @Test func onePaymentCanBreakSeveralRulesInAFixedOrder() throws {
        let f = try FraudFixture(FraudDetectionTopology(velocityThreshold: 3, minimumHistory: 3))
        try f.riskyMerchants.pipeInput("m-bad", RiskyMerchant(merchantID: "m-bad", reason: "card testing"), timestamp: 0)
        try f.pipe([
            F.payment("p1", at: 600_000), F.payment("p2", at: 601_000), F.payment("p3", at: 602_000),
            F.payment("p4", at: 603_000, amount: 5_000, merchant: "m-bad", location: F.newYork),
        ])
        #expect(try f.readAlerts().map(\.rule) == [.velocity, .amountAnomaly, .impossibleTravel, .riskyMerchant])
        let risk = try #require(try f.risk("card-1"))
        #expect(risk.alertCount == 4)
        #expect(risk.alertsByRule == ["velocity": 1, "amountAnomaly": 1, "impossibleTravel": 1, "riskyMerchant": 1])
        #expect(risk.lastAlert?.rule == .riskyMerchant)
        #expect(risk.lastAlert?.paymentIDs == ["p4"])
    }

    @Test func theCardRiskStoreIsUpdatedThroughARepartitionByCard() throws {
        let f = try FraudFixture()
        try f.riskyMerchants.pipeInput("m-bad", RiskyMerchant(merchantID: "m-bad", reason: "chargebacks"), timestamp: 0)
        try f.pipe([F.payment("p1", at: 600_000, merchant: "m-bad"), F.payment("p2", at: 720_000, merchant: "m-bad")])
        #expect(try f.risk("card-1")?.alertCount == 2)
        #expect(f.driver.producedTopicNames.contains("fraud-detection-alerts-by-card-repartition"))
    }

    @Test func malformedPaymentIsDroppedAndCountedUnderLogAndContinue() throws {
        let f = try FraudFixture(handler: .logAndContinue)
        let raw = f.driver.inputTopic(FraudDetectionTopology.paymentsTopic, key: .string, value: .bytes)
        try raw.pipeInput("card-1", Array(#"{"id": "p0", "amount": "#.utf8), timestamp: 600_000)
        try f.riskyMerchants.pipeInput("m-bad", RiskyMerchant(merchantID: "m-bad", reason: "chargebacks"), timestamp: 0)
        try f.pipe([F.payment("p1", at: 610_000, merchant: "m-bad")])
        #expect(try f.readAlerts().map(\.paymentIDs) == [["p1"]])
        #expect(f.driver.droppedRecordCount == 1)
        #expect(f.driver.droppedRecordsByReason == ["deserialization-error": 1])
    }

    @Test func malformedPaymentFailsUnderLogAndFailNamingTopicAndOffset() throws {
        let f = try FraudFixture()
        try f.pipe([F.payment("p0", at: 600_000), F.payment("p1", at: 610_000)])
        let raw = f.driver.inputTopic(FraudDetectionTopology.paymentsTopic, key: .string, value: .bytes)
        let error = try #require(throws: StreamsError.self) {
            try raw.pipeInput("card-1", Array("not json".utf8), timestamp: 620_000)
        }
        #expect(error.code == .deserialization)
        #expect(error.context.topic == FraudDetectionTopology.paymentsTopic)
        #expect(error.context.offset == 2)
    }

    @Test func topologyNamesItsStoresAndTopics() throws {
        let topology = try FraudDetectionTopology().build()
        let text = topology.describe().description
        for store in [
            FraudDetectionTopology.cardsStore, FraudDetectionTopology.riskyMerchantsStore, FraudDetectionTopology.velocityStore,
            FraudDetectionTopology.spendingStore, FraudDetectionTopology.lastPaymentStore, FraudDetectionTopology.cardRiskStore,
        ] {
            #expect(text.contains(store), "\(store)")
        }
        #expect(text.contains("topic: alerts"))
        #expect(topology.internalTopicNames == ["alerts-by-card-repartition"])
    }
}
