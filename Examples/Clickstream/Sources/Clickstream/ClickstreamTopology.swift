import KafkaStreams

/// Clickstream analytics: page views and user profiles in; sessions, top pages, enriched
/// views and a conversion funnel out.
///
/// ```text
/// page-views ─┬─ leftJoin users ──────────────────────────────────────────── enriched-page-views
/// (userID →   ├─ session windows (gap 30 min), count, final results ───────── user-sessions
///  PageView)  ├─ by page → 5-min tumbling count → by window → top N, suppressed ─ top-pages
///             └─ funnel progress per user → users per step ──────────────────── funnel
/// ```
///
/// - **`enriched-page-views`**: each view with the user's current profile (a stream–table
///   left join, so views of users without a profile still come out, with `profile: nil`).
/// - **`user-sessions`**: one record per session once it has closed (no view for
///   ``sessionGap`` + ``sessionGrace``): count and first/last view time. Emitted on window
///   close (`emitStrategy(.onWindowClose)`), so a consumer never sees a session that a
///   later view extends or merges; the price is that a session comes out only once a later
///   view (of any user) moves stream time past its end + gap + grace.
/// - **`top-pages`**: the ``topN`` most viewed pages of each ``topPagesWindow`` tumbling
///   window, one record per window once it closes. Views are counted per (window, page)
///   after a repartition by page; each count update goes, re-keyed by a single constant key,
///   to a second windowed aggregation with the same windows that keeps the latest count per
///   page; its result is suppressed until the window closes. (All windows' counts meet under
///   one key: fine for page views per 5 minutes, a hot partition for a very large site.)
/// - **`funnel`**: per step of ``funnelSteps``, the number of users who reached it in
///   order. Each user's progress is an aggregate (caching off, so that no step is skipped
///   when several views share a commit); each newly reached step is counted per step after
///   a repartition by step.
public struct ClickstreamTopology: Sendable {
    /// Input: page views, key user id, value JSON ``PageView``.
    public static let pageViewsTopic = "page-views"
    /// Input (table): user profiles, key user id, value JSON ``UserProfile``.
    public static let usersTopic = "users"
    /// Output: closed sessions, key user id, value JSON ``UserSession``.
    public static let userSessionsTopic = "user-sessions"
    /// Output: top pages per window, key the window start (int64), value JSON ``TopPages``.
    public static let topPagesTopic = "top-pages"
    /// Output: page views with profiles, key user id, value JSON ``EnrichedPageView``.
    public static let enrichedPageViewsTopic = "enriched-page-views"
    /// Output: users per funnel step, key the step's path, value int64.
    public static let funnelTopic = "funnel"

    /// Store of the `users` table.
    public static let usersStore = "users-store"
    /// Session store: page views per user and session.
    public static let sessionsStore = "user-sessions-store"
    /// Window store: views per page and window.
    public static let pageCountsStore = "page-counts"
    /// Window store: every page's count per window, before the top N is taken.
    public static let windowPageCountsStore = "top-pages-windows"
    /// Store: each user's ``FunnelProgress``.
    public static let funnelProgressStore = "funnel-progress"
    /// Store: users per funnel step.
    public static let funnelCountsStore = "funnel-counts"
    /// The key all page counts are re-keyed to for the top-N aggregation.
    public static let topPagesKey = "all-pages"

    /// Sessions: the inactivity gap that ends a session.
    public var sessionGap: Duration
    /// Sessions: how long after its end a session still accepts out-of-order views.
    public var sessionGrace: Duration
    /// Top pages: the tumbling window size.
    public var topPagesWindow: Duration
    /// Top pages: how long after its end a window still accepts out-of-order views.
    public var topPagesGrace: Duration
    /// Top pages: how many pages per window.
    public var topN: Int
    /// Funnel: the steps' paths, in order.
    public var funnelSteps: [String]

    /// Creates the configuration.
    public init(
        sessionGap: Duration = .minutes(30), sessionGrace: Duration = .zero, topPagesWindow: Duration = .minutes(5),
        topPagesGrace: Duration = .zero, topN: Int = 3, funnelSteps: [String] = ["/home", "/product", "/cart", "/checkout"]
    ) {
        self.sessionGap = sessionGap
        self.sessionGrace = sessionGrace
        self.topPagesWindow = topPagesWindow
        self.topPagesGrace = topPagesGrace
        self.topN = topN
        self.funnelSteps = funnelSteps
    }

    /// Builds the topology.
    /// - Throws: ``StreamsError`` if the topology is invalid (it is not).
    public func build() throws -> Topology {
        let builder = StreamsBuilder()
        let users = builder.table(Self.usersTopic, key: .string, value: .json(UserProfile.self), .as(Self.usersStore))
        let views = builder.stream(Self.pageViewsTopic, key: .string, value: .json(PageView.self))

        views.leftJoin(users, Joined.as("page-views-with-profile")) { view, profile in
            EnrichedPageView(view: view, profile: profile)
        }
        .to(Self.enrichedPageViewsTopic, key: .string, value: .json(EnrichedPageView.self))

        sessions(views).to(Self.userSessionsTopic, key: .string, value: .json(UserSession.self))
        topPages(views).to(Self.topPagesTopic, key: .int64, value: .json(TopPages.self))
        funnel(views).to(Self.funnelTopic, key: .string, value: .optional(.int64))
        return try builder.build()
    }

    /// Closed sessions per user.
    func sessions(_ views: KStream<String, PageView>) -> KStream<String, UserSession> {
        views.groupByKey()
            .windowedBy(.session(gap: sessionGap).grace(sessionGrace))
            .emitStrategy(.onWindowClose)
            .count(Materialized(Self.sessionsStore))
            .toStream()
            .flatMap(named: "user-sessions") { session, count in
                count.map { [KeyValue(session.key, UserSession(
                    userID: session.key, start: session.window.start, end: session.window.end, pageViews: $0))] } ?? []
            }
    }

    /// The top pages of each closed window.
    func topPages(_ views: KStream<String, PageView>) -> KStream<Int64, TopPages> {
        let windows = TimeWindows.tumbling(every: topPagesWindow).grace(topPagesGrace)
        let n = topN
        let byPage = Grouped<String, PageView>(named: "page-views-by-page", key: .string, value: .json(PageView.self))
        return views.groupBy(byPage) { _, view in view.page }
            .windowedBy(windows)
            .count(Materialized(Self.pageCountsStore))
            .toStream()
            .flatMap(named: "page-counts-to-window") { page, count in
                count.map { [KeyValue(Self.topPagesKey, PageCount(page: page.key, views: $0))] } ?? []
            }
            .groupByKey(Grouped(named: "page-counts-by-window", key: .string, value: .json(PageCount.self)))
            .windowedBy(windows)
            .aggregate(Materialized(Self.windowPageCountsStore, value: .json(WindowPageCounts.self)), initializer: {
                WindowPageCounts()
            }) { _, count, counts in counts.updating(count) }
            .suppress(named: "top-pages-until-window-closes", .untilWindowCloses)
            .toStream()
            .flatMap(named: "top-pages") { window, counts in
                counts.map { [KeyValue(window.window.start, TopPages(
                    windowStart: window.window.start, windowEnd: window.window.end, pages: $0.top(n)))] } ?? []
            }
    }

    /// Users per funnel step.
    func funnel(_ views: KStream<String, PageView>) -> KStream<String, Int64?> {
        let steps = funnelSteps
        return views.groupByKey()
            .aggregate(
                Materialized(Self.funnelProgressStore, value: .json(FunnelProgress.self)).withCachingDisabled(),
                initializer: { FunnelProgress() }
            ) { _, view, progress in progress.advancing(with: view.page, steps: steps) }
            .toStream()
            .flatMap(named: "funnel-steps-reached") { user, progress in
                progress?.newlyReached.map { [KeyValue($0, user)] } ?? []
            }
            .groupByKey(Grouped(named: "funnel-steps", key: .string, value: .string))
            .count(Materialized(Self.funnelCountsStore))
            .toStream()
    }
}
