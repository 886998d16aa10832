/// A card's current risk: the aggregate of its alerts (store `card-risk`), for the service
/// to answer "how risky is this card now" by interactive query.
public struct CardRisk: Codable, Hashable, Sendable {
    /// Alerts raised for the card.
    public var alertCount: Int64 = 0
    /// Alerts per rule, keyed by ``Alert/Rule`` raw value.
    public var alertsByRule: [String: Int64] = [:]
    /// The latest alert.
    public var lastAlert: Alert?

    /// No alerts.
    public init() {}

    /// Creates a risk record.
    public init(alertCount: Int64, alertsByRule: [String: Int64], lastAlert: Alert?) {
        self.alertCount = alertCount
        self.alertsByRule = alertsByRule
        self.lastAlert = lastAlert
    }

    /// The risk after one more alert.
    public func adding(_ alert: Alert) -> CardRisk {
        var next = self
        next.alertCount += 1
        next.alertsByRule[alert.rule.rawValue, default: 0] += 1
        next.lastAlert = alert
        return next
    }
}
