/// A page view with its user's profile: the value of `enriched-page-views`, keyed by user.
public struct EnrichedPageView: Codable, Hashable, Sendable {
    /// The page view.
    public var view: PageView
    /// The user's profile when the view arrived, or `nil` if the `users` table had none.
    public var profile: UserProfile?

    /// Creates an enriched view.
    public init(view: PageView, profile: UserProfile?) {
        self.view = view
        self.profile = profile
    }
}
