/// A card and its holder: the value of the compacted `cards` topic, keyed by ``cardID``.
public struct CardProfile: Codable, Hashable, Sendable {
    /// The card id; also the record key.
    public var cardID: String
    /// The card holder's name.
    public var holder: String
    /// ISO 3166 country code of the holder's home.
    public var homeCountry: String
    /// The card's credit limit.
    public var limit: Double

    /// Creates a profile.
    public init(cardID: String, holder: String, homeCountry: String, limit: Double) {
        self.cardID = cardID
        self.holder = holder
        self.homeCountry = homeCountry
        self.limit = limit
    }
}
