/// A payment with its card's profile, if the `cards` table had one when it arrived.
///
/// The first step of the topology (a stream–table left join); every rule reads these.
public struct CardPayment: Codable, Hashable, Sendable {
    /// The payment.
    public var payment: Payment
    /// The card's profile, or `nil` for a card not (yet) in the `cards` table.
    public var card: CardProfile?

    /// Creates a pair.
    public init(payment: Payment, card: CardProfile?) {
        self.payment = payment
        self.card = card
    }
}
