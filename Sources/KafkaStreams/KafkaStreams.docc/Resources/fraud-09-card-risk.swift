/// A card's current risk: the aggregate of its alerts, for interactive queries.
public struct CardRisk: Codable, Hashable, Sendable {
    /// Alerts raised for the card.
    public var alertCount: Int64 = 0
    /// The latest alert.
    public var lastAlert: Alert?

    public init() {}

    /// The risk after one more alert.
    public func adding(_ alert: Alert) -> CardRisk {
        var next = self
        next.alertCount += 1
        next.lastAlert = alert
        return next
    }
}
