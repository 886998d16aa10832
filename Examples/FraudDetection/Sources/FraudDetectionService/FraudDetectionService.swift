import FraudDetection
import Foundation
import Hummingbird
import KafkaClient
import KafkaStreams
import KafkaStreamsService
import Logging
import Metrics

/// Puts the fraud-detection service together: topology, queryable stores, the
/// `/cards/{card}/risk` route, the payment generator and the alert printer.
enum FraudDetectionService {
    /// Input topics and their partition counts.
    static let topics: [(String, Int32)] = [
        (FraudDetectionTopology.paymentsTopic, 4), (FraudDetectionTopology.cardsTopic, 4),
        (FraudDetectionTopology.riskyMerchantsTopic, 1), (FraudDetectionTopology.alertsTopic, 4),
    ]
    /// Generated rounds are this far apart in event time, so that one round's payments never
    /// look like travel or velocity next to the previous round's.
    static let roundSpan: Int64 = 2 * 24 * 3_600_000

    static func make(configuration: ServiceConfiguration, settings: FraudServiceSettings) throws -> StreamsService {
        ServiceMetrics.bootstrap()  // before the example's own metrics
        let rules = FraudDetectionTopology()
        let latency = LatencyRecorder()
        let alertLatency = Timer(label: "fraud_alert_latency")
        let alertCount = Counter(label: "fraud_alerts_total")
        let stores: [QueryableStore] = [
            .keyValue(FraudDetectionTopology.cardRiskStore, key: .string, value: CardRisk.self),
            .keyValue(FraudDetectionTopology.cardsStore, key: .string, value: CardProfile.self),
            .keyValue(FraudDetectionTopology.spendingStore, key: .string, value: SpendingProfile.self),
            .keyValue(FraudDetectionTopology.lastPaymentStore, key: .string, value: Payment.self),
            .window(FraudDetectionTopology.velocityStore, key: .string, value: VelocityWindow.self, windowSize: rules.velocityWindowSize),
        ]
        var services: [any Service] = []
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
        if settings.rounds != 0 {
            let start = Int64(Date().timeIntervalSince1970 * 1000)
            let generator = PaymentGenerator(
                seed: settings.seed, cardCount: settings.cards, malformedRate: settings.malformedRate, startTime: start, rules: rules)
            services.append(
                RecordFeed(
                    bootstrap: generatorBootstrap, rate: settings.rate, rounds: settings.rounds,
                    onSent: { record, time in
                        guard record.topic == FraudDetectionTopology.paymentsTopic, let value = record.value,
                            let payment = try? JSONDecoder().decode(Payment.self, from: Data(value))
                        else { return }
                        latency.sent(payment.id, at: time)
                    },
                    onFinished: { sent in printLine("generator: sent \(sent) records") }
                ) { round in
                    var next = generator
                    next.startTime = generator.startTime + Int64(round) * roundSpan
                    next.round = round
                    // Cards and the risk list are the same every round: sent once. (Sent
                    // again, their later timestamps could move a task's stream time past
                    // payments of the round before that are still queued.)
                    let data = next.generate()
                    return round == 0 ? data.all : data.payments
                })
        }
        services.append(
            TopicFollower(
                bootstrap: bootstrap, topic: FraudDetectionTopology.alertsTopic,
                readCommitted: configuration.streams.processingGuarantee == .exactlyOnceV2
            ) { record in
                guard let value = record.value, let alert = try? JSONDecoder().decode(Alert.self, from: Data(value.readableBytesView))
                else { return }
                alertCount.increment()
                let took = alert.paymentIDs.last.flatMap { latency.arrived($0, at: .now) }
                if let took { alertLatency.recordNanoseconds(Int64(took.exampleMilliseconds * 1_000_000)) }
                if settings.printAlerts {
                    let after = took.map { String(format: " (%.0f ms after the payment was sent)", $0.exampleMilliseconds) } ?? ""
                    printLine("ALERT \(alert.rule.rawValue) \(alert.cardID): \(alert.summary)\(after)")
                }
            })
        services.append(LatencyReport(latency: latency))
        let service = StreamsService(
            topology: try rules.build(), configuration: configuration, stores: stores, services: services,
            routes: { router, routes in
                router.get("/cards/:card/risk") { request, context -> Response in
                    await routes.respondForKey(
                        store: FraudDetectionTopology.cardRiskStore, key: try context.parameters.require("card"), request: request)
                }
            },
            prepare: { app in try await TopicSetUp.ensure(topics, bootstrap: try await app.startEmbeddedBroker()) })
        holder.application = service.application
        return service
    }
}

/// Prints the alert latency percentiles when the service stops.
struct LatencyReport: Service {
    let latency: LatencyRecorder

    func run() async throws {
        try? await gracefulShutdown()
        guard let p50 = latency.percentile(50), let p99 = latency.percentile(99) else { return }
        printLine(
            String(
                format: "alerts: %d measured; latency from payment sent to alert read p50 %.1f ms, p99 %.1f ms", latency.count,
                p50.exampleMilliseconds, p99.exampleMilliseconds))
    }
}
