import KafkaStreams

/// Card-fraud detection: payments in, alerts out, with four rules.
///
/// ```text
/// payments ─ leftJoin cards ─┬─ velocity: hopping-window count per card ─────────┐
///  (cardID → Payment)        ├─ amount anomaly: running count + sum per card ─────┤
///                            ├─ impossible travel: previous payment per card ─────┼─ merge ─┬─ alerts
///                            └─ risky merchant: join risky-merchants (global) ────┘         └─ card-risk (store)
/// ```
///
/// Every rule reads the payments after a left join with the `cards` table, so alerts carry
/// the holder's name. Rules:
/// - **Velocity**: more than ``velocityThreshold`` payments of a card in a window of
///   ``velocityWindowSize`` advancing by ``velocityAdvance``. Alerts come at once, from the
///   payment that takes a window over the threshold, not at the window's end: suppression
///   would delay every alert by the window size plus grace. See ``VelocityAlerter`` for how
///   overlapping windows crossing on the same payment give one alert.
/// - **Amount anomaly**: a payment above ``anomalyFactor`` × the average of the card's
///   previous payments, once the card has ``minimumHistory`` of them.
/// - **Impossible travel**: a payment too far from the card's previous one for the time
///   between them (faster than ``maxTravelSpeedKmh``, and at least
///   ``minimumTravelDistanceKm`` apart).
/// - **Risky merchant**: a payment at a merchant in the `risky-merchants` global table.
///
/// For one payment, alerts come out in that order. Each alert also updates the card's
/// ``CardRisk`` in the store ``cardRiskStore``, after a repartition by card
/// (`alerts-by-card`): the velocity alerts come out of a windowed aggregation whose keys
/// are re-keyed to the card, so the merged alerts are marked for repartitioning, as they
/// would be in Kafka Streams.
public struct FraudDetectionTopology: Sendable {
    /// Input: payments, key card id, value JSON ``Payment``.
    public static let paymentsTopic = "payments"
    /// Input (table): cards, key card id, value JSON ``CardProfile``.
    public static let cardsTopic = "cards"
    /// Input (global table): the risk list, key merchant id, value JSON ``RiskyMerchant``.
    public static let riskyMerchantsTopic = "risky-merchants"
    /// Output: alerts, key card id, value JSON ``Alert``.
    public static let alertsTopic = "alerts"

    /// Store of the `cards` table (card id → ``CardProfile``).
    public static let cardsStore = "cards-store"
    /// Store of the risk list (merchant id → ``RiskyMerchant``).
    public static let riskyMerchantsStore = "risky-merchants-store"
    /// Window store of the velocity rule (card id and window → ``VelocityWindow``).
    public static let velocityStore = "velocity-windows"
    /// Store of the amount-anomaly rule (card id → ``SpendingProfile``).
    public static let spendingStore = "card-spending"
    /// Store of the impossible-travel rule (card id → its latest ``Payment``).
    public static let lastPaymentStore = "card-last-payment"
    /// Store of each card's current risk (card id → ``CardRisk``), for interactive queries.
    public static let cardRiskStore = "card-risk"

    /// Velocity: more payments than this in one window raise an alert.
    public var velocityThreshold: Int
    /// Velocity: the window size.
    public var velocityWindowSize: Duration
    /// Velocity: how far consecutive windows are apart.
    public var velocityAdvance: Duration
    /// Velocity: how long after its end a window still accepts out-of-order payments.
    public var velocityGrace: Duration
    /// Amount anomaly: how many times the average a payment must exceed.
    public var anomalyFactor: Double
    /// Amount anomaly: how many previous payments a card needs before the rule applies.
    public var minimumHistory: Int
    /// Impossible travel: the fastest plausible speed between two payments, km/h.
    public var maxTravelSpeedKmh: Double
    /// Impossible travel: payments closer than this never count as travel, km.
    public var minimumTravelDistanceKm: Double

    /// Creates the topology's configuration; the defaults suit card payments.
    public init(
        velocityThreshold: Int = 5, velocityWindowSize: Duration = .minutes(1), velocityAdvance: Duration = .seconds(10),
        velocityGrace: Duration = .seconds(10), anomalyFactor: Double = 5, minimumHistory: Int = 3,
        maxTravelSpeedKmh: Double = 900, minimumTravelDistanceKm: Double = 100
    ) {
        self.velocityThreshold = velocityThreshold
        self.velocityWindowSize = velocityWindowSize
        self.velocityAdvance = velocityAdvance
        self.velocityGrace = velocityGrace
        self.anomalyFactor = anomalyFactor
        self.minimumHistory = minimumHistory
        self.maxTravelSpeedKmh = maxTravelSpeedKmh
        self.minimumTravelDistanceKm = minimumTravelDistanceKm
    }

    /// Builds the topology.
    /// - Throws: ``StreamsError`` if the topology is invalid (for example a window advance larger than its size).
    public func build() throws -> Topology {
        let builder = StreamsBuilder()
        let cards = builder.table(Self.cardsTopic, key: .string, value: .json(CardProfile.self), .as(Self.cardsStore))
        let riskList = builder.globalTable(
            Self.riskyMerchantsTopic, key: .string, value: .json(RiskyMerchant.self), .as(Self.riskyMerchantsStore))
        builder.addStateStore(
            Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(Self.lastPaymentStore), key: .string, value: .json(Payment.self)))

        let payments = builder.stream(Self.paymentsTopic, key: .string, value: .json(Payment.self))
            .leftJoin(cards, Joined.as("payments-with-card")) { payment, card in CardPayment(payment: payment, card: card) }

        let velocity = velocityAlerts(payments)
        let anomalies = amountAnomalyAlerts(payments)
        let travel = payments.processValues(named: "impossible-travel", stores: [Self.lastPaymentStore]) {
            [maxTravelSpeedKmh, minimumTravelDistanceKm] in
            ImpossibleTravelDetector(
                storeName: Self.lastPaymentStore, maxSpeedKmh: maxTravelSpeedKmh, minimumDistanceKm: minimumTravelDistanceKm)
        }
        let risky = payments.join(riskList, keySelector: { _, payment in payment.payment.merchantID }, named: "risky-merchants") {
            payment, merchant in
            Alert(
                rule: .riskyMerchant, cardID: payment.payment.cardID, paymentIDs: [payment.payment.id],
                timestamp: payment.payment.timestamp, holder: payment.card?.holder,
                evidence: AlertEvidence(merchantID: merchant.merchantID, reason: merchant.reason),
                summary: "merchant \(merchant.merchantID) is on the risk list: \(merchant.reason)")
        }

        let alerts = velocity.merge(anomalies, named: "alerts-velocity-amount")
            .merge(travel, named: "alerts-travel")
            .merge(risky, named: "alerts")
        alerts.to(Self.alertsTopic, key: .string, value: .json(Alert.self))
        alerts.groupByKey(Grouped(named: "alerts-by-card", key: .string, value: .json(Alert.self)))
            .aggregate(Materialized(Self.cardRiskStore, value: .json(CardRisk.self)), initializer: { CardRisk() }) {
                _, alert, risk in risk.adding(alert)
            }
        return try builder.build()
    }

    /// The velocity rule: a hopping-window count per card, then ``VelocityAlerter``.
    func velocityAlerts(_ payments: KStream<String, CardPayment>) -> KStream<String, Alert> {
        let limit = velocityThreshold + 1
        return payments.groupByKey()
            .windowedBy(.hopping(size: velocityWindowSize, advance: velocityAdvance).grace(velocityGrace))
            .aggregate(Materialized(Self.velocityStore, value: .json(VelocityWindow.self)), initializer: { VelocityWindow() }) {
                _, payment, window in window.adding(payment, limit: limit)
            }
            .toStream()
            .process(named: "velocity-alerts") { [velocityThreshold] in VelocityAlerter(threshold: velocityThreshold) }
    }

    /// The amount-anomaly rule: a running count and sum per card; the aggregate flags the
    /// payment it has just added. Caching is off so that every payment's verdict is
    /// forwarded, not only the last one per commit.
    func amountAnomalyAlerts(_ payments: KStream<String, CardPayment>) -> KStream<String, Alert> {
        payments.groupByKey()
            .aggregate(
                Materialized(Self.spendingStore, value: .json(SpendingProfile.self)).withCachingDisabled(),
                initializer: { SpendingProfile() }
            ) { [anomalyFactor, minimumHistory] _, payment, profile in
                profile.adding(payment, factor: anomalyFactor, minimumHistory: minimumHistory)
            }
            .toStream()
            .flatMapValues(named: "amount-anomaly-alerts") { profile in profile?.anomaly.map { [$0] } ?? [] }
    }
}
