/// A kind of fraud ``PaymentGenerator`` can inject into a card's payments.
public enum FraudPattern: String, CaseIterable, Hashable, Sendable {
    /// A burst of `velocityThreshold + 1` payments within a few seconds.
    case velocityBurst
    /// A last payment of many times the card's usual amount.
    case hugeAmount
    /// A last payment on another continent 20 minutes after the previous one.
    case impossibleTravel
    /// One payment at a merchant on the risk list.
    case riskyMerchant

    /// The rule that should catch it.
    public var rule: Alert.Rule {
        switch self {
        case .velocityBurst: .velocity
        case .hugeAmount: .amountAnomaly
        case .impossibleTravel: .impossibleTravel
        case .riskyMerchant: .riskyMerchant
        }
    }
}
