/// An entry of the risk list: the value of the `risky-merchants` topic (read as a global
/// table), keyed by ``merchantID``. A null value takes the merchant off the list.
public struct RiskyMerchant: Codable, Hashable, Sendable {
    /// The merchant; also the record key.
    public var merchantID: String
    /// Why the merchant is on the list.
    public var reason: String

    /// Creates an entry.
    public init(merchantID: String, reason: String) {
        self.merchantID = merchantID
        self.reason = reason
    }
}
