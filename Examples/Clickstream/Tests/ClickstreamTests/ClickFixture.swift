import Clickstream
import KafkaStreams
import KafkaStreamsTesting

/// A driver over the clickstream topology with its topics.
struct ClickFixture {
    static let minute: Int64 = 60_000

    let driver: TopologyTestDriver
    let views: TestInputTopic<String, PageView>
    let users: TestInputTopic<String, UserProfile>
    let sessions: TestOutputTopic<String, UserSession>
    let topPages: TestOutputTopic<Int64, TopPages>
    let enriched: TestOutputTopic<String, EnrichedPageView>
    let funnel: TestOutputTopic<String, Int64>

    init(
        _ topology: ClickstreamTopology = ClickstreamTopology(),
        handler: StreamsConfig.DeserializationExceptionHandler = .logAndFail
    ) throws {
        var config = StreamsConfig(applicationID: "clickstream")
        config.deserializationExceptionHandler = handler
        driver = try TopologyTestDriver(try topology.build(), config: config, initialWallClockTime: 0)
        views = driver.inputTopic(ClickstreamTopology.pageViewsTopic, key: .string, value: .json(PageView.self))
        users = driver.inputTopic(ClickstreamTopology.usersTopic, key: .string, value: .json(UserProfile.self))
        sessions = driver.outputTopic(ClickstreamTopology.userSessionsTopic, key: .string, value: .json(UserSession.self))
        topPages = driver.outputTopic(ClickstreamTopology.topPagesTopic, key: .int64, value: .json(TopPages.self))
        enriched = driver.outputTopic(
            ClickstreamTopology.enrichedPageViewsTopic, key: .string, value: .json(EnrichedPageView.self))
        funnel = driver.outputTopic(ClickstreamTopology.funnelTopic, key: .string, value: .int64)
    }

    /// Pipes a view of `page` by `user` at `time`, with the view's time as the record timestamp.
    @discardableResult
    func view(_ user: String, _ page: String, at time: Int64, referrer: String? = nil) throws -> PageView {
        let view = PageView(userID: user, page: page, referrer: referrer, timestamp: time)
        try views.pipeInput(user, view, timestamp: time)
        return view
    }
}
