import Clickstream
import Foundation
import KafkaStreams
import KafkaStreamsService

/// Puts the clickstream service together: topology, queryable stores, routes per user,
/// page and funnel, the page-view generator and the output printer.
enum ClickstreamService {
    /// Topics and their partition counts.
    static let topics: [(String, Int32)] = [
        (ClickstreamTopology.pageViewsTopic, 4), (ClickstreamTopology.usersTopic, 4),
        (ClickstreamTopology.userSessionsTopic, 4), (ClickstreamTopology.topPagesTopic, 1),
        (ClickstreamTopology.enrichedPageViewsTopic, 4), (ClickstreamTopology.funnelTopic, 1),
    ]
    /// Generated rounds are a day apart in event time: every session and window of a round
    /// closes during the next.
    static let roundSpan: Int64 = 24 * 3_600_000

    static func make(configuration: ServiceConfiguration, settings: ClickstreamSettings) throws -> StreamsService {
        // Six hours of grace: page views reach the windowed counts through repartition
        // topics, where the upstream tasks' batches interleave out of time order, and the
        // generator sends hours of event time per second, which stretches that disorder to
        // hours. Each round's sessions and windows close when the next round (a day later)
        // starts.
        let topology = ClickstreamTopology(sessionGrace: .hours(6), topPagesGrace: .hours(6))
        let stores: [QueryableStore] = [
            .keyValue(ClickstreamTopology.usersStore, key: .string, value: UserProfile.self),
            .session(ClickstreamTopology.sessionsStore, key: .string, value: Int64.self),
            .window(ClickstreamTopology.pageCountsStore, key: .string, value: Int64.self, windowSize: topology.topPagesWindow),
            .keyValue(ClickstreamTopology.funnelCountsStore, key: .string, value: Int64.self),
            .keyValue(ClickstreamTopology.funnelProgressStore, key: .string, value: FunnelProgress.self),
        ]
        let holder = ApplicationHolder()
        let bootstrap: @Sendable () async throws -> String = {
            guard let app = holder.application else { throw StreamsError(.invalidConfig, "no application") }
            return try await app.startEmbeddedBroker()
        }
        // The generator starts once the application runs: records sent while it is still
        // joining pile up, and a backlog is fetched partition by partition, so one input
        // partition's tasks run far ahead in event time of the others.
        let generatorBootstrap: @Sendable () async throws -> String = {
            let servers = try await bootstrap()
            await holder.application?.waitForState([.running], timeout: .seconds(120))
            return servers
        }
        var services: [any Service] = []
        if settings.rounds != 0 {
            let start = Int64(Date().timeIntervalSince1970 * 1000)
            let generator = ClickGenerator(
                seed: settings.seed, userCount: settings.users, malformedRate: 0.01, startTime: start, settings: topology)
            services.append(
                RecordFeed(bootstrap: generatorBootstrap, rate: settings.rate, rounds: settings.rounds, pause: .seconds(2), onFinished: { sent in
                    printLine("generator: sent \(sent) records")
                }) { round in
                    var next = generator
                    next.startTime = generator.startTime + Int64(round) * roundSpan
                    // Profiles are the same every round: sent once. The generator's closing
                    // view is left out: the next round, a day later, closes this one's
                    // sessions and windows; sent right after the round it would race the
                    // round's last views through the repartition topics and make them late.
                    let data = next.generate()
                    return (round == 0 ? data.users : []) + data.pageViews
                })
        }
        if settings.printOutput {
            services.append(
                TopicFollower(bootstrap: bootstrap, topic: ClickstreamTopology.topPagesTopic) { record in
                    guard let value = record.value,
                        let top = try? JSONDecoder().decode(TopPages.self, from: Data(value.readableBytesView))
                    else { return }
                    let pages = top.pages.map { "\($0.page) \($0.views)" }.joined(separator: ", ")
                    printLine("TOP PAGES window \(top.windowStart)–\(top.windowEnd): \(pages)")
                })
            services.append(
                TopicFollower(bootstrap: bootstrap, topic: ClickstreamTopology.funnelTopic) { record in
                    guard let key = record.key, var value = record.value, let users = value.readInteger(as: Int64.self) else { return }
                    printLine("FUNNEL \(String(buffer: key)): \(users) users")
                })
        }
        let service = StreamsService(
            topology: try topology.build(), configuration: configuration, stores: stores, services: services,
            routes: { router, routes in
                router.get("/users/:user/sessions") { request, context -> Response in
                    await routes.respondForKey(
                        store: ClickstreamTopology.sessionsStore, key: try context.parameters.require("user"), request: request)
                }
                router.get("/pages/:page/views") { request, context -> Response in
                    let page = try context.parameters.require("page")
                    return await routes.respondForKey(
                        store: ClickstreamTopology.pageCountsStore, key: "/" + (page.removingPercentEncoding ?? page), request: request)
                }
            },
            prepare: { app in try await TopicSetUp.ensure(topics, bootstrap: try await app.startEmbeddedBroker()) })
        holder.application = service.application
        return service
    }
}
