/// A suspected fraud: the value of the `alerts` topic, keyed by ``cardID``.
public struct Alert: Codable, Hashable, Sendable {
    /// The rule that fired.
    public enum Rule: String, Codable, Hashable, Sendable, CaseIterable {
        /// More than N payments of one card in a 1-minute (hopping) window.
        case velocity
        /// A payment far above the card's running average.
        case amountAnomaly
        /// Two consecutive payments too far apart for the time between them.
        case impossibleTravel
        /// A payment at a merchant on the risk list.
        case riskyMerchant
    }

    /// The rule that fired.
    public var rule: Rule
    /// The card; also the record key.
    public var cardID: String
    /// The payments involved, oldest first; the last one triggered the alert.
    public var paymentIDs: [String]
    /// The time of the triggering payment, in ms since the epoch (also the record timestamp).
    public var timestamp: Int64
    /// The card holder, from the `cards` table (`nil` if the card had no profile).
    public var holder: String?
    /// The figures behind the alert.
    public var evidence: AlertEvidence
    /// A one-line human-readable explanation.
    public var summary: String

    /// Creates an alert.
    public init(
        rule: Rule, cardID: String, paymentIDs: [String], timestamp: Int64, holder: String?, evidence: AlertEvidence,
        summary: String
    ) {
        self.rule = rule
        self.cardID = cardID
        self.paymentIDs = paymentIDs
        self.timestamp = timestamp
        self.holder = holder
        self.evidence = evidence
        self.summary = summary
    }
}
