/// A user's profile: the value of the compacted `users` topic, keyed by ``userID``.
public struct UserProfile: Codable, Hashable, Sendable {
    /// The subscription tier.
    public enum Tier: String, Codable, Hashable, Sendable, CaseIterable {
        /// Free users.
        case free
        /// Paying users.
        case premium
        /// Business accounts.
        case business
    }

    /// The user; also the record key.
    public var userID: String
    /// ISO 3166 country code.
    public var country: String
    /// The subscription tier.
    public var tier: Tier

    /// Creates a profile.
    public init(userID: String, country: String, tier: Tier) {
        self.userID = userID
        self.country = country
        self.tier = tier
    }
}
