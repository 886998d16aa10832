/// A closed session of one user: the value of `user-sessions`, keyed by ``userID``.
public struct UserSession: Codable, Hashable, Sendable {
    /// The user; also the record key.
    public var userID: String
    /// The first page view's time, ms.
    public var start: Int64
    /// The last page view's time, ms (also the record timestamp).
    public var end: Int64
    /// How many pages the user viewed in the session.
    public var pageViews: Int64

    /// Creates a session.
    public init(userID: String, start: Int64, end: Int64, pageViews: Int64) {
        self.userID = userID
        self.start = start
        self.end = end
        self.pageViews = pageViews
    }
}
