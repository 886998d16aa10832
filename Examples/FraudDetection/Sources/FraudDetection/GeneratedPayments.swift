/// What ``PaymentGenerator/generate()`` produces: the records to send, in order, and what
/// the topology should make of them.
public struct GeneratedPayments: Sendable {
    /// Card profiles for the `cards` topic.
    public var cards: [GeneratedRecord]
    /// The risk list for the `risky-merchants` topic.
    public var riskyMerchants: [GeneratedRecord]
    /// Payments (and malformed records) for the `payments` topic, by timestamp.
    public var payments: [GeneratedRecord]
    /// One entry per injected pattern: the topology must raise at least one alert of that
    /// rule for that card, and no alert of any other (rule, card).
    public var expectedAlerts: [ExpectedAlert]
    /// How many of ``payments`` are malformed.
    public var malformedCount: Int

    /// Everything, in the order to send it: cards and the risk list first, then payments.
    public var all: [GeneratedRecord] { cards + riskyMerchants + payments }
}
