import Clickstream
import KafkaStreams
import KafkaStreamsTesting
import Testing

@Suite struct ClickstreamTests {
    let m = ClickFixture.minute

    @Test func enrichesEachViewWithTheProfileAsItIsThen() throws {
        let f = try ClickFixture()
        let fr = UserProfile(userID: "u1", country: "FR", tier: .premium)
        let de = UserProfile(userID: "u1", country: "DE", tier: .business)
        try f.users.pipeInput("u1", fr, timestamp: 0)
        let v1 = try f.view("u1", "/home", at: 1 * m)
        let v2 = try f.view("u2", "/home", at: 2 * m)  // no profile: still enriched, with nil
        try f.users.pipeInput("u1", de, timestamp: 3 * m)
        let v3 = try f.view("u1", "/about", at: 4 * m, referrer: "/home")
        #expect(
            try f.enriched.readRecordsToList() == [
                TestRecord(key: "u1", value: EnrichedPageView(view: v1, profile: fr), timestamp: 1 * m),
                TestRecord(key: "u2", value: EnrichedPageView(view: v2, profile: nil), timestamp: 2 * m),
                TestRecord(key: "u1", value: EnrichedPageView(view: v3, profile: de), timestamp: 4 * m),
            ])
    }

    @Test func emitsEachSessionOnceItHasClosed() throws {
        let f = try ClickFixture()
        try f.view("u1", "/home", at: 0)
        try f.view("u2", "/home", at: 5 * m)
        try f.view("u1", "/product/1", at: 10 * m)
        try f.view("u1", "/cart", at: 25 * m)
        try f.view("u2", "/blog/1", at: 50 * m)  // u2's first session ended 45 min ago; u1's is still open
        #expect(
            try f.sessions.readRecordsToList() == [
                TestRecord(key: "u2", value: UserSession(userID: "u2", start: 5 * m, end: 5 * m, pageViews: 1), timestamp: 5 * m)
            ])
        try f.view("u1", "/home", at: 60 * m)  // 35 min after u1's last view: a new session; the old one closes
        #expect(
            try f.sessions.readRecordsToList() == [
                TestRecord(key: "u1", value: UserSession(userID: "u1", start: 0, end: 25 * m, pageViews: 3), timestamp: 25 * m)
            ])
        let store = try f.driver.getStateStore(ClickstreamTopology.sessionsStore, as: (any StateStore).self)
        #expect(store.name == ClickstreamTopology.sessionsStore)
    }

    @Test func aViewWithinTheGapExtendsASessionEvenAfterOtherUsersMovedTimeOn() throws {
        let f = try ClickFixture()
        try f.view("u1", "/home", at: 0)
        try f.view("u2", "/home", at: 20 * m)
        try f.view("u1", "/cart", at: 29 * m)  // within 30 min of u1's last view
        try f.view("u3", "/home", at: 90 * m)
        #expect(
            try f.sessions.readValuesToList() == [
                UserSession(userID: "u2", start: 20 * m, end: 20 * m, pageViews: 1),  // by end, then user
                UserSession(userID: "u1", start: 0, end: 29 * m, pageViews: 2),
            ])
    }

    @Test func topPagesComeOutOncePerWindowWhenItCloses() throws {
        let f = try ClickFixture()
        try f.view("u1", "/home", at: 10_000)
        try f.view("u2", "/home", at: 1 * m)
        try f.view("u3", "/product/1", at: 2 * m)
        try f.view("u1", "/product/1", at: 3 * m)
        try f.view("u2", "/cart", at: 4 * m)
        try f.view("u4", "/about", at: 4 * m + 30_000)
        #expect(f.topPages.isEmpty)  // the window [0, 5 min) is still open
        try f.view("u1", "/checkout", at: 6 * m)
        let first = TopPages(
            windowStart: 0, windowEnd: 5 * m,
            pages: [
                PageCount(page: "/home", views: 2), PageCount(page: "/product/1", views: 2),
                PageCount(page: "/about", views: 1),
            ])
        #expect(try f.topPages.readRecordsToList() == [TestRecord(key: 0, value: first, timestamp: 4 * m + 30_000)])
        try f.view("u2", "/checkout", at: 7 * m)
        try f.view("u2", "/home", at: 12 * m)
        let second = TopPages(windowStart: 5 * m, windowEnd: 10 * m, pages: [PageCount(page: "/checkout", views: 2)])
        #expect(try f.topPages.readRecordsToList() == [TestRecord(key: 5 * m, value: second, timestamp: 7 * m)])
        let counts = try f.driver.getStateStore(ClickstreamTopology.pageCountsStore, as: (any StateStore).self)
        #expect(counts.name == ClickstreamTopology.pageCountsStore)
    }

    @Test func topNIsConfigurable() throws {
        let f = try ClickFixture(ClickstreamTopology(topN: 1))
        try f.view("u1", "/a", at: 0)
        try f.view("u2", "/b", at: 1_000)
        try f.view("u3", "/b", at: 2_000)
        try f.view("u1", "/a", at: 6 * m)
        #expect(try f.topPages.readValuesToList().map { $0?.pages } == [[PageCount(page: "/b", views: 2)]])
    }

    @Test func funnelCountsUsersReachingEachStepInOrder() throws {
        let f = try ClickFixture()
        let views: [(String, String)] = [
            ("u1", "/home"), ("u2", "/home"), ("u3", "/product/1"), ("u1", "/product/7"), ("u2", "/cart"), ("u3", "/home"),
            ("u1", "/cart"), ("u2", "/product/3"), ("u1", "/checkout"), ("u2", "/cart"), ("u1", "/home"),
        ]
        for (index, (user, page)) in views.enumerated() { try f.view(user, page, at: Int64(index + 1) * m) }
        #expect(
            try f.funnel.readRecordsToList() == [
                TestRecord(key: "/home", value: 1, timestamp: 1 * m), TestRecord(key: "/home", value: 2, timestamp: 2 * m),
                TestRecord(key: "/product", value: 1, timestamp: 4 * m), TestRecord(key: "/home", value: 3, timestamp: 6 * m),
                TestRecord(key: "/cart", value: 1, timestamp: 7 * m), TestRecord(key: "/product", value: 2, timestamp: 8 * m),
                TestRecord(key: "/checkout", value: 1, timestamp: 9 * m), TestRecord(key: "/cart", value: 2, timestamp: 10 * m),
            ])
        let counts = try f.driver.getKeyValueStore(ClickstreamTopology.funnelCountsStore, key: String.self, value: Int64.self)
        #expect(
            try counts.all().toArray() == [
                KeyValue("/cart", 2), KeyValue("/checkout", 1), KeyValue("/home", 3), KeyValue("/product", 2),
            ])
        let progress = try f.driver.getKeyValueStore(
            ClickstreamTopology.funnelProgressStore, key: String.self, value: FunnelProgress.self)
        #expect(try progress.get("u3")?.reached == 1)
    }

    @Test func funnelStepsMatchThePathAndBelowIt() {
        #expect(FunnelProgress.page("/product", isAt: "/product"))
        #expect(FunnelProgress.page("/product/42", isAt: "/product"))
        #expect(!FunnelProgress.page("/products", isAt: "/product"))
        let steps = ["/home", "/cart"]
        let progress = FunnelProgress().advancing(with: "/cart", steps: steps).advancing(with: "/home", steps: steps)
        #expect(progress.reached == 1)
        #expect(progress.newlyReached == "/home")
    }

    @Test func repartitionsByPageByWindowAndByStep() throws {
        let topology = try ClickstreamTopology().build()
        #expect(
            topology.internalTopicNames == [
                "funnel-steps-repartition", "page-counts-by-window-repartition", "page-views-by-page-repartition",
            ])
    }

    @Test func malformedViewIsDroppedAndCountedUnderLogAndContinue() throws {
        let f = try ClickFixture(handler: .logAndContinue)
        let raw = f.driver.inputTopic(ClickstreamTopology.pageViewsTopic, key: .string, value: .bytes)
        try raw.pipeInput("u1", Array(#"{"userID": 1}"#.utf8), timestamp: 0)
        let view = try f.view("u1", "/home", at: 1_000)
        #expect(try f.enriched.readValuesToList() == [EnrichedPageView(view: view, profile: nil)])
        #expect(f.driver.droppedRecordCount == 1)
        #expect(f.driver.droppedRecordsByReason == ["deserialization-error": 1])
    }

    @Test func malformedViewFailsUnderLogAndFailNamingTopicAndOffset() throws {
        let f = try ClickFixture()
        try f.view("u1", "/home", at: 0)
        let raw = f.driver.inputTopic(ClickstreamTopology.pageViewsTopic, key: .string, value: .bytes)
        let error = try #require(throws: StreamsError.self) { try raw.pipeInput("u1", Array("{".utf8), timestamp: 1_000) }
        #expect(error.code == .deserialization)
        #expect(error.context.topic == ClickstreamTopology.pageViewsTopic)
        #expect(error.context.offset == 1)
    }
}
