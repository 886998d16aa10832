import KafkaStreams

/// Card-fraud detection with one rule, velocity: more than `threshold` payments of one
/// card within a minute raise an alert.
public struct FraudTopology: Sendable {
    /// Input: payments, key card id, value JSON `Payment`.
    public static let paymentsTopic = "payments"
    /// Output: alerts, key card id, value JSON `Alert`.
    public static let alertsTopic = "alerts"
    /// Window store of the velocity rule (card id and window → `VelocityWindow`).
    public static let velocityStore = "velocity-windows"

    /// More payments than this in one window raise an alert.
    public var threshold: Int

    public init(threshold: Int = 5) {
        self.threshold = threshold
    }

    /// Builds the topology.
    public func build() throws -> Topology {
        let builder = StreamsBuilder()
        let payments = builder.stream(Self.paymentsTopic, key: .string, value: .json(Payment.self))

        // One-minute windows starting every 10 s; payments up to 10 s late still count.
        let limit = threshold + 1
        let alerts = payments
            .groupByKey()
            .windowedBy(.hopping(size: .minutes(1), advance: .seconds(10)).grace(.seconds(10)))
            .aggregate(Materialized(Self.velocityStore, value: .json(VelocityWindow.self)), initializer: { VelocityWindow() }) {
                _, payment, window in window.adding(payment, limit: limit)
            }
            .toStream()
            .process(named: "velocity-alerts") { [threshold] in VelocityAlerter(threshold: threshold) }
        alerts.to(Self.alertsTopic, key: .string, value: .json(Alert.self))
        return try builder.build()
    }
}
