/// The amount-anomaly rule's aggregate: a card's payment count and total (store
/// `card-spending`), with the verdict on the payment just added.
public struct SpendingProfile: Codable, Hashable, Sendable {
    /// Payments seen, the latest included.
    public var count: Int = 0
    /// Their total amount.
    public var sum: Double = 0
    /// The latest payment, if it was anomalous; `nil` otherwise.
    public var anomaly: Alert?

    /// No payments yet.
    public init() {}

    /// The average amount, or `nil` before the first payment.
    public var average: Double? { count == 0 ? nil : sum / Double(count) }

    /// The profile after `payment`: flags it when the card already has `minimumHistory`
    /// payments and the amount exceeds `factor` × their average; then adds it to the
    /// running total (anomalous payments included).
    public func adding(_ payment: CardPayment, factor: Double, minimumHistory: Int) -> SpendingProfile {
        var next = self
        next.anomaly = nil
        let amount = payment.payment.amount
        if count >= minimumHistory, let average, amount > factor * average {
            let shownAverage = average.rounded(places: 2)
            next.anomaly = Alert(
                rule: .amountAnomaly, cardID: payment.payment.cardID, paymentIDs: [payment.payment.id],
                timestamp: payment.payment.timestamp, holder: payment.card?.holder,
                evidence: AlertEvidence(amount: amount, averageAmount: shownAverage, previousPayments: count),
                summary: "amount \(amount) is more than \(factor) × the average \(shownAverage) of \(count) payments")
        }
        next.count += 1
        next.sum += amount
        return next
    }
}
