/// The most viewed pages of one window: the value of `top-pages`, keyed by ``windowStart``.
public struct TopPages: Codable, Hashable, Sendable {
    /// The window's start (inclusive), ms.
    public var windowStart: Int64
    /// The window's end (exclusive), ms.
    public var windowEnd: Int64
    /// The top pages, most views first, ties by page path.
    public var pages: [PageCount]

    /// Creates a result.
    public init(windowStart: Int64, windowEnd: Int64, pages: [PageCount]) {
        self.windowStart = windowStart
        self.windowEnd = windowEnd
        self.pages = pages
    }
}
