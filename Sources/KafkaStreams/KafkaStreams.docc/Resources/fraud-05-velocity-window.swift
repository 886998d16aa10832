/// The payments of one card in one window: the aggregate of the velocity rule.
public struct VelocityWindow: Codable, Hashable, Sendable {
    /// Payments in the window so far.
    public var count: Int = 0
    /// The ids of the first `limit` payments (enough to show the threshold crossing).
    public var paymentIDs: [String] = []

    public init() {}

    /// The window with one more payment, keeping at most `limit` ids.
    public func adding(_ payment: Payment, limit: Int) -> VelocityWindow {
        var next = self
        next.count += 1
        if next.paymentIDs.count < limit { next.paymentIDs.append(payment.id) }
        return next
    }
}
