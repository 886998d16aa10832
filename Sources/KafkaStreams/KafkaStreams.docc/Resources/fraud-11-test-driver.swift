import CardFraud
import KafkaStreams
import KafkaStreamsTesting
import Testing

@Suite struct FraudTopologyTests {
    @Test func aBurstOfPaymentsRaisesOneAlert() throws {
        let driver = try TopologyTestDriver(
            try FraudTopology().build(), config: StreamsConfig(applicationID: "card-fraud"), initialWallClockTime: 0)
        let payments = driver.inputTopic(FraudTopology.paymentsTopic, key: .string, value: .json(Payment.self))
        let alerts = driver.outputTopic(FraudTopology.alertsTopic, key: .string, value: .json(Alert.self))
        _ = (payments, alerts)
    }
}
