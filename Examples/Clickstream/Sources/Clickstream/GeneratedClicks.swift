/// What ``ClickGenerator/generate()`` produces: the records to send, in order, and the
/// outputs the topology should produce from them.
public struct GeneratedClicks: Sendable {
    /// User profiles for the `users` topic.
    public var users: [GeneratedRecord]
    /// Page views (and malformed records) for `page-views`, by timestamp.
    public var pageViews: [GeneratedRecord]
    /// A last page view, far enough after the others to close every session and window.
    /// Its own session and window stay open, so the expectations leave it out.
    public var closing: GeneratedRecord
    /// Every session, by end, then user.
    public var expectedSessions: [UserSession]
    /// The top pages of every window with views, by window.
    public var expectedTopPages: [TopPages]
    /// Users reaching each funnel step (steps nobody reached are absent).
    public var expectedFunnel: [String: Int64]
    /// The number of valid page views (the closing one excluded).
    public var validViewCount: Int
    /// How many of ``pageViews`` are malformed.
    public var malformedCount: Int

    /// Everything, in the order to send it: profiles, page views, the closing view.
    public var all: [GeneratedRecord] { users + pageViews + [closing] }
}
