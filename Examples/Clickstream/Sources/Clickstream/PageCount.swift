/// A page and how often it was viewed in a window.
public struct PageCount: Codable, Hashable, Sendable {
    /// The page's path.
    public var page: String
    /// Views in the window.
    public var views: Int64

    /// Creates a count.
    public init(page: String, views: Int64) {
        self.page = page
        self.views = views
    }
}
