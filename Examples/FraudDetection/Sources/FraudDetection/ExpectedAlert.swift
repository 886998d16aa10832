/// A fraud pattern ``PaymentGenerator`` injected, as the alert it should cause.
public struct ExpectedAlert: Hashable, Sendable, Comparable {
    /// The rule that should fire.
    public var rule: Alert.Rule
    /// The card it should fire for.
    public var cardID: String

    /// Creates an expectation.
    public init(rule: Alert.Rule, cardID: String) {
        self.rule = rule
        self.cardID = cardID
    }

    /// Orders by card, then rule.
    public static func < (a: ExpectedAlert, b: ExpectedAlert) -> Bool {
        (a.cardID, a.rule.rawValue) < (b.cardID, b.rule.rawValue)
    }
}
