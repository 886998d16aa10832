import CardFraud
import KafkaStreams
import KafkaStreamsTesting
import Testing

@Suite struct FraudTopologyTests {
    static let paris = Location(lat: 48.8566, lon: 2.3522)

    @Test func aBurstOfPaymentsRaisesOneAlert() throws {
        let driver = try TopologyTestDriver(
            try FraudTopology().build(), config: StreamsConfig(applicationID: "card-fraud"), initialWallClockTime: 0)
        let payments = driver.inputTopic(FraudTopology.paymentsTopic, key: .string, value: .json(Payment.self))
        let alerts = driver.outputTopic(FraudTopology.alertsTopic, key: .string, value: .json(Alert.self))

        // p1…p7 at 600 s, 602 s, …, 612 s. The 6th payment takes the windows starting at
        // 560 s…600 s over 5; the window starting at 550 s ends at 610 s and holds only 5.
        for number in 1...7 {
            let payment = Payment(
                id: "p\(number)", cardID: "card-1", merchantID: "m-1", amount: 50, location: Self.paris,
                timestamp: 598_000 + Int64(number) * 2_000)
            try payments.pipeInput(payment.cardID, payment, timestamp: payment.timestamp)
        }

        let expected = Alert(
            cardID: "card-1", paymentIDs: ["p1", "p2", "p3", "p4", "p5", "p6"], windowStart: 560_000, windowEnd: 620_000,
            timestamp: 610_000, summary: "6 payments in [560000, 620000), more than 5")
        #expect(try alerts.readRecordsToList() == [TestRecord(key: "card-1", value: expected, timestamp: 610_000)])
    }
}
