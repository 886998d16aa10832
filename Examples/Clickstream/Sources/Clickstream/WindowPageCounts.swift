/// The second-level aggregate of the top-pages output: the latest count of every page in
/// one window (store `top-pages-windows`).
public struct WindowPageCounts: Codable, Hashable, Sendable {
    /// Views per page.
    public var counts: [String: Int64] = [:]

    /// No pages yet.
    public init() {}

    /// The counts with a page's new count: counts only grow within a window, so the
    /// largest seen is the latest, whatever order updates arrive in.
    public func updating(_ count: PageCount) -> WindowPageCounts {
        var next = self
        next.counts[count.page] = max(counts[count.page] ?? 0, count.views)
        return next
    }

    /// The `n` most viewed pages, most views first, ties by page path.
    public func top(_ n: Int) -> [PageCount] {
        counts.map { PageCount(page: $0.key, views: $0.value) }
            .sorted { ($1.views, $0.page) < ($0.views, $1.page) }
            .prefix(n)
            .map { $0 }
    }
}
