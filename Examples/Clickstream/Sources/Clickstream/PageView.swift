/// A page view: the value of the `page-views` topic, keyed by ``userID``.
public struct PageView: Codable, Hashable, Sendable {
    /// The user; also the record key.
    public var userID: String
    /// The page's path, e.g. `/product/42`.
    public var page: String
    /// The page the user came from, if known.
    public var referrer: String?
    /// When the page was viewed, ms since the epoch (producers use it as the record timestamp too).
    public var timestamp: Int64

    /// Creates a page view.
    public init(userID: String, page: String, referrer: String? = nil, timestamp: Int64) {
        self.userID = userID
        self.page = page
        self.referrer = referrer
        self.timestamp = timestamp
    }
}
