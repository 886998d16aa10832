/// A point on Earth, in decimal degrees.
public struct Location: Codable, Hashable, Sendable {
    public var lat: Double
    public var lon: Double

    public init(lat: Double, lon: Double) {
        self.lat = lat
        self.lon = lon
    }
}

/// A card payment: the value of the `payments` topic, keyed by `cardID`.
public struct Payment: Codable, Hashable, Sendable {
    /// The payment's unique id.
    public var id: String
    /// The card charged; also the record key.
    public var cardID: String
    /// The merchant paid.
    public var merchantID: String
    /// The amount, in `currency`.
    public var amount: Double
    /// ISO 4217 currency code.
    public var currency: String
    /// Where the card was used.
    public var location: Location
    /// When the payment happened, in ms since the epoch (producers use it as the record timestamp too).
    public var timestamp: Int64

    public init(
        id: String, cardID: String, merchantID: String, amount: Double, currency: String = "EUR", location: Location,
        timestamp: Int64
    ) {
        self.id = id
        self.cardID = cardID
        self.merchantID = merchantID
        self.amount = amount
        self.currency = currency
        self.location = location
        self.timestamp = timestamp
    }
}
