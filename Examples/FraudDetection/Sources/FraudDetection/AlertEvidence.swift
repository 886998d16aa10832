/// The figures behind an ``Alert``; each rule fills its own fields and leaves the others `nil`.
///
/// Computed values are rounded (amounts to cents, distances and speeds to 0.1) so that
/// alerts compare exactly.
public struct AlertEvidence: Codable, Hashable, Sendable {
    /// Velocity: the payments counted in the window.
    public var paymentCount: Int?
    /// Velocity: the window's start (inclusive), ms.
    public var windowStart: Int64?
    /// Velocity: the window's end (exclusive), ms.
    public var windowEnd: Int64?
    /// Amount anomaly: the payment's amount.
    public var amount: Double?
    /// Amount anomaly: the average of the card's previous payments.
    public var averageAmount: Double?
    /// Amount anomaly: how many previous payments the average covers.
    public var previousPayments: Int?
    /// Impossible travel: where the previous payment was made.
    public var from: Location?
    /// Impossible travel: where this payment was made.
    public var to: Location?
    /// Impossible travel: the great-circle distance, km.
    public var distanceKm: Double?
    /// Impossible travel: the time between the two payments, ms.
    public var elapsedMs: Int64?
    /// Impossible travel: the speed the holder would have needed, km/h (`nil` for no elapsed time).
    public var speedKmh: Double?
    /// Risky merchant: the merchant.
    public var merchantID: String?
    /// Risky merchant: why it is on the list.
    public var reason: String?

    /// Creates evidence; pass the fields of one rule.
    public init(
        paymentCount: Int? = nil, windowStart: Int64? = nil, windowEnd: Int64? = nil, amount: Double? = nil,
        averageAmount: Double? = nil, previousPayments: Int? = nil, from: Location? = nil, to: Location? = nil,
        distanceKm: Double? = nil, elapsedMs: Int64? = nil, speedKmh: Double? = nil, merchantID: String? = nil,
        reason: String? = nil
    ) {
        self.paymentCount = paymentCount
        self.windowStart = windowStart
        self.windowEnd = windowEnd
        self.amount = amount
        self.averageAmount = averageAmount
        self.previousPayments = previousPayments
        self.from = from
        self.to = to
        self.distanceKm = distanceKm
        self.elapsedMs = elapsedMs
        self.speedKmh = speedKmh
        self.merchantID = merchantID
        self.reason = reason
    }
}

extension Double {
    /// Rounded to `places` decimal places.
    func rounded(places: Int) -> Double {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        return (self * scale).rounded() / scale
    }
}
