@_exported import ExampleSupport
import Foundation

/// Makes deterministic test data for ``ClickstreamTopology``: users with profiles, their
/// sessions of page views (some following the funnel), optionally malformed records, and
/// the sessions, top pages and funnel counts the topology should compute.
///
/// Views within a session are at most 10 minutes apart; sessions of one user are more than
/// the session gap apart. Half the sessions follow a prefix of the funnel
/// (`/home`, `/product/<n>`, `/cart`, `/checkout`) before browsing elsewhere.
public struct ClickGenerator: Sendable {
    /// The seed of the random sequence.
    public var seed: UInt64
    /// How many users (`user-000`, `user-001`, …).
    public var userCount: Int
    /// Sessions per user.
    public var sessionsPerUser: ClosedRange<Int>
    /// Page views per session (a funnel journey may add views).
    public var viewsPerSession: ClosedRange<Int>
    /// The probability, after each view, of an extra malformed (bad JSON) record.
    public var malformedRate: Double
    /// The time of the first views, ms since the epoch.
    public var startTime: Int64
    /// The configuration the expectations are computed for.
    public var settings: ClickstreamTopology

    /// Creates a generator.
    public init(
        seed: UInt64, userCount: Int = 10, sessionsPerUser: ClosedRange<Int> = 1...3, viewsPerSession: ClosedRange<Int> = 1...6,
        malformedRate: Double = 0, startTime: Int64 = 1_700_000_000_000, settings: ClickstreamTopology = ClickstreamTopology()
    ) {
        self.seed = seed
        self.userCount = userCount
        self.sessionsPerUser = sessionsPerUser
        self.viewsPerSession = viewsPerSession
        self.malformedRate = malformedRate
        self.startTime = startTime
        self.settings = settings
    }

    /// Pages browsed outside the funnel.
    public static let otherPages = ["/home", "/about", "/search", "/blog/1", "/blog/2", "/product/1", "/product/2", "/help"]

    /// The value bytes of a malformed page view: truncated JSON.
    public static let malformedValue = Array(#"{"userID":"user-0"#.utf8)

    /// The id of user `index`.
    public static func userID(_ index: Int) -> String {
        let digits = String(index)
        return "user-" + String(repeating: "0", count: max(0, 3 - digits.count)) + digits
    }

    /// Generates the records and expectations.
    public func generate() -> GeneratedClicks {
        var random = SeededRandom(seed: seed)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        func json<T: Encodable>(_ value: T) -> [UInt8] { Array((try? encoder.encode(value)) ?? Data()) }
        let gap = settings.sessionGap.milliseconds

        var users: [GeneratedRecord] = []
        var views: [PageView] = []
        var sessions: [UserSession] = []
        let countries = ["FR", "DE", "US", "JP", "BR"]
        for index in 0..<userCount {
            let user = Self.userID(index)
            let profile = UserProfile(
                userID: user, country: countries[Int.random(in: 0..<countries.count, using: &random)],
                tier: UserProfile.Tier.allCases[Int.random(in: 0..<UserProfile.Tier.allCases.count, using: &random)])
            users.append(GeneratedRecord(topic: ClickstreamTopology.usersTopic, key: Array(user.utf8), value: json(profile),
                                         timestamp: startTime))
            var time = startTime + Int64.random(in: 0..<1_200_000, using: &random)
            for _ in 0..<Int.random(in: sessionsPerUser, using: &random) {
                var pages: [String] = []
                if Bool.random(using: &random) {
                    let journey = ["/home", "/product/\(Int.random(in: 1...9, using: &random))", "/cart", "/checkout"]
                    pages += journey.prefix(Int.random(in: 1...journey.count, using: &random))
                }
                while pages.count < Int.random(in: viewsPerSession, using: &random) {
                    pages.append(Self.otherPages[Int.random(in: 0..<Self.otherPages.count, using: &random)])
                }
                if pages.isEmpty { pages.append("/home") }
                let start = time
                for (number, page) in pages.enumerated() {
                    if number > 0 { time += Int64.random(in: 30_000...600_000, using: &random) }
                    let referrer = number > 0 ? pages[number - 1] : nil
                    views.append(PageView(userID: user, page: page, referrer: referrer, timestamp: time))
                }
                sessions.append(UserSession(userID: user, start: start, end: time, pageViews: Int64(pages.count)))
                time += gap + Int64.random(in: 60_000...3_600_000, using: &random)
            }
        }
        views.sort { ($0.timestamp, $0.userID) < ($1.timestamp, $1.userID) }

        var records: [GeneratedRecord] = []
        var malformed = 0
        for view in views {
            records.append(GeneratedRecord(
                topic: ClickstreamTopology.pageViewsTopic, key: Array(view.userID.utf8), value: json(view),
                timestamp: view.timestamp))
            if Double.random(in: 0..<1, using: &random) < malformedRate {
                malformed += 1
                records.append(GeneratedRecord(
                    topic: ClickstreamTopology.pageViewsTopic, key: Array(view.userID.utf8), value: Self.malformedValue,
                    timestamp: view.timestamp))
            }
        }
        let last = views.last?.timestamp ?? startTime
        let closingTime = last + gap + settings.sessionGrace.milliseconds + settings.topPagesWindow.milliseconds
            + settings.topPagesGrace.milliseconds + 60_000
        let closingView = PageView(userID: "closing", page: "/closing", timestamp: closingTime)
        return GeneratedClicks(
            users: users, pageViews: records,
            closing: GeneratedRecord(
                topic: ClickstreamTopology.pageViewsTopic, key: Array("closing".utf8), value: json(closingView),
                timestamp: closingTime),
            expectedSessions: sessions.sorted { ($0.end, $0.userID) < ($1.end, $1.userID) },
            expectedTopPages: expectedTopPages(views), expectedFunnel: expectedFunnel(views), validViewCount: views.count,
            malformedCount: malformed)
    }

    /// The top pages per tumbling window, computed directly from the views.
    func expectedTopPages(_ views: [PageView]) -> [TopPages] {
        let size = settings.topPagesWindow.milliseconds
        var counts: [Int64: [String: Int64]] = [:]
        for view in views { counts[view.timestamp / size * size, default: [:]][view.page, default: 0] += 1 }
        return counts.keys.sorted().map { start in
            let pages = counts[start]!.map { PageCount(page: $0.key, views: $0.value) }
                .sorted { $0.views != $1.views ? $0.views > $1.views : $0.page < $1.page }
            return TopPages(windowStart: start, windowEnd: start + size, pages: Array(pages.prefix(settings.topN)))
        }
    }

    /// Users reaching each funnel step, computed directly from the views.
    func expectedFunnel(_ views: [PageView]) -> [String: Int64] {
        let steps = settings.funnelSteps
        var reached: [String: Int] = [:]
        var result: [String: Int64] = [:]
        for view in views {
            let done = reached[view.userID] ?? 0
            guard done < steps.count else { continue }
            let step = steps[done]
            if view.page == step || view.page.hasPrefix(step + "/") {
                reached[view.userID] = done + 1
                result[step, default: 0] += 1
            }
        }
        return result
    }
}

extension Duration {
    /// The duration in whole milliseconds.
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000 + attoseconds / 1_000_000_000_000_000
    }
}
