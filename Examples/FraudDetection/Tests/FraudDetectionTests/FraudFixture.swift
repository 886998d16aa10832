import FraudDetection
import KafkaStreams
import KafkaStreamsTesting

/// A driver over the fraud topology with its topics, and helpers to make payments.
struct FraudFixture {
    static let paris = Location(lat: 48.8566, lon: 2.3522)
    static let versailles = Location(lat: 48.8049, lon: 2.1204)
    static let newYork = Location(lat: 40.7128, lon: -74.006)
    static let london = Location(lat: 51.5074, lon: -0.1278)

    let driver: TopologyTestDriver
    let payments: TestInputTopic<String, Payment>
    let cards: TestInputTopic<String, CardProfile>
    let riskyMerchants: TestInputTopic<String, RiskyMerchant?>
    let alerts: TestOutputTopic<String, Alert>

    init(
        _ topology: FraudDetectionTopology = FraudDetectionTopology(),
        handler: StreamsConfig.DeserializationExceptionHandler = .logAndFail
    ) throws {
        var config = StreamsConfig(applicationID: "fraud-detection")
        config.deserializationExceptionHandler = handler
        driver = try TopologyTestDriver(try topology.build(), config: config, initialWallClockTime: 0)
        payments = driver.inputTopic(FraudDetectionTopology.paymentsTopic, key: .string, value: .json(Payment.self))
        cards = driver.inputTopic(FraudDetectionTopology.cardsTopic, key: .string, value: .json(CardProfile.self))
        riskyMerchants = driver.inputTopic(
            FraudDetectionTopology.riskyMerchantsTopic, key: .string, value: .optional(.json(RiskyMerchant.self)))
        alerts = driver.outputTopic(FraudDetectionTopology.alertsTopic, key: .string, value: .json(Alert.self))
        try cards.pipeInput("card-1", CardProfile(cardID: "card-1", holder: "Ada", homeCountry: "FR", limit: 5_000), timestamp: 0)
    }

    /// A payment of `card-1` (unless told otherwise) at Paris.
    static func payment(
        _ id: String, at time: Int64, amount: Double = 50, card: String = "card-1", merchant: String = "m-1",
        location: Location = paris
    ) -> Payment {
        Payment(id: id, cardID: card, merchantID: merchant, amount: amount, location: location, timestamp: time)
    }

    /// Pipes payments with their own timestamps.
    func pipe(_ list: [Payment]) throws {
        for payment in list { try payments.pipeInput(payment.cardID, payment, timestamp: payment.timestamp) }
    }

    /// Every unread alert.
    func readAlerts() throws -> [Alert] { try alerts.readValuesToList().compactMap { $0 } }

    /// The current risk of a card.
    func risk(_ card: String) throws -> CardRisk? {
        try driver.getKeyValueStore(FraudDetectionTopology.cardRiskStore, key: String.self, value: CardRisk.self).get(card)
    }
}
