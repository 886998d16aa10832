/// A suspected fraud: the value of the `alerts` topic, keyed by `cardID`.
public struct Alert: Codable, Hashable, Sendable {
    /// The card; also the record key.
    public var cardID: String
    /// The payments in the window, oldest first; the last one triggered the alert.
    public var paymentIDs: [String]
    /// The window's start (inclusive) and end (exclusive), ms since the epoch.
    public var windowStart: Int64
    public var windowEnd: Int64
    /// The time of the triggering payment (also the record timestamp).
    public var timestamp: Int64
    /// A one-line explanation.
    public var summary: String

    public init(cardID: String, paymentIDs: [String], windowStart: Int64, windowEnd: Int64, timestamp: Int64, summary: String) {
        self.cardID = cardID
        self.paymentIDs = paymentIDs
        self.windowStart = windowStart
        self.windowEnd = windowEnd
        self.timestamp = timestamp
        self.summary = summary
    }
}
