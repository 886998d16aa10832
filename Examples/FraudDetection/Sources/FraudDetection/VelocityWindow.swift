/// The velocity rule's aggregate: the payments of one card in one hopping window
/// (store `velocity-windows`).
public struct VelocityWindow: Codable, Hashable, Sendable {
    /// Payments in the window so far.
    public var count: Int = 0
    /// The ids of the first `limit` payments (enough to show the threshold crossing).
    public var paymentIDs: [String] = []
    /// The card holder, from the latest payment's profile.
    public var holder: String?

    /// An empty window.
    public init() {}

    /// The window with one more payment, keeping at most `limit` ids.
    public func adding(_ payment: CardPayment, limit: Int) -> VelocityWindow {
        var next = self
        next.count += 1
        if next.paymentIDs.count < limit { next.paymentIDs.append(payment.payment.id) }
        next.holder = payment.card?.holder ?? holder
        return next
    }
}
