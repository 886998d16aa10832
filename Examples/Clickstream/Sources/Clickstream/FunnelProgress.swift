/// How far one user got through the conversion funnel (store `funnel-progress`).
public struct FunnelProgress: Codable, Hashable, Sendable {
    /// How many steps the user has reached, in order.
    public var reached: Int = 0
    /// The step the latest page view reached, or `nil` if it reached none.
    public var newlyReached: String?

    /// No step reached.
    public init() {}

    /// The progress after a page view: the next step is reached when the page is that
    /// step's path or below it (`/product/42` reaches `/product`). Steps must be reached in
    /// order: a view of a later step before the earlier ones counts for nothing, and
    /// viewing a reached step again changes nothing.
    public func advancing(with page: String, steps: [String]) -> FunnelProgress {
        var next = self
        next.newlyReached = nil
        if reached < steps.count, FunnelProgress.page(page, isAt: steps[reached]) {
            next.reached += 1
            next.newlyReached = steps[reached]
        }
        return next
    }

    /// Whether `page` is the step's path or below it.
    public static func page(_ page: String, isAt step: String) -> Bool {
        page == step || page.hasPrefix(step.hasSuffix("/") ? step : step + "/")
    }
}
