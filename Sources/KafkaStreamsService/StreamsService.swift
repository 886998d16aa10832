import Hummingbird
import KafkaStreams
import KafkaStreamsEmbedded
import Logging
import NIOConcurrencyHelpers
import NIOCore
import ServiceLifecycle
import UnixSignals

/// A topology run as a service: the ``StreamsApplication`` and its HTTP endpoint (health,
/// Prometheus metrics, topology, interactive queries routed between instances) under
/// swift-service-lifecycle, with a graceful shutdown on SIGTERM and SIGINT that finishes the
/// batch in hand, commits, flushes and closes.
///
/// ```swift
/// let configuration = try await ServiceConfiguration.load(defaults: ["application.id": "fraud-detection"])
/// let service = StreamsService(
///     topology: try FraudDetectionTopology().build(), configuration: configuration,
///     stores: [.keyValue("card-risk", key: .string, value: CardRisk.self)])
/// try await service.run()
/// ```
///
/// `bootstrap.servers = "embedded"` (the default) runs the project's embedded broker in the
/// process. See `docs/service.md` for the keys and endpoints.
public final class StreamsService: Service, Sendable {
    /// The streams application.
    public let application: StreamsApplication
    /// The configuration it was made with.
    public let configuration: ServiceConfiguration
    /// The stores the endpoint answers queries on.
    public let stores: [QueryableStore]
    let extraServices: [any Service]
    let routes: (@Sendable (Router<BasicRequestContext>, ServiceRoutes) -> Void)?
    let signals: [UnixSignal]
    let prepare: (@Sendable (StreamsApplication) async throws -> Void)?
    let logger: Logger
    private let box = NIOLockedValueBox(Box())

    private struct Box {
        var port: Int?
        var waiters: [CheckedContinuation<Int, Never>] = []
        var group: ServiceGroup?
        var shutdownRequested = false
    }

    /// Creates a service.
    /// - Parameters:
    ///   - topology: what to run.
    ///   - configuration: see ``ServiceConfiguration``.
    ///   - stores: the stores answering `/stores/...` queries.
    ///   - services: more services to run beside it (a data generator, an output printer);
    ///     on shutdown they stop first, then the HTTP endpoint, then the application. One
    ///     that returns leaves the others running; one that throws stops them all.
    ///   - gracefulShutdownSignals: the signals that start a graceful shutdown.
    ///   - routes: adds the program's own routes (for example a domain-specific query).
    ///   - prepare: runs before the application starts, for example to create its input
    ///     topics (``StreamsApplication/startEmbeddedBroker()`` gives the servers).
    ///   - logger: the service's logger.
    public init(
        topology: Topology, configuration: ServiceConfiguration, stores: [QueryableStore] = [],
        services: [any Service] = [], gracefulShutdownSignals: [UnixSignal] = [.sigterm, .sigint],
        routes: (@Sendable (Router<BasicRequestContext>, ServiceRoutes) -> Void)? = nil,
        prepare: (@Sendable (StreamsApplication) async throws -> Void)? = nil,
        logger: Logger = Logger(label: "kafka-streams.service")
    ) {
        self.prepare = prepare
        self.configuration = configuration
        self.application = StreamsApplication(topology, config: configuration.streams, embeddedBroker: .inProcess, logger: logger)
        self.stores = stores
        self.extraServices = services
        self.signals = gracefulShutdownSignals
        self.routes = routes
        self.logger = logger
        ServiceMetrics.bootstrap()
    }

    /// Runs the application, the HTTP endpoint and the extra services until a signal (or
    /// ``shutdown()``) stops them gracefully, or one of them fails.
    /// - Throws: the error that stopped the application or a service.
    public func run() async throws {
        try await prepare?(application)
        let router = Router()
        let queries = StoreQueryRouter(
            application: application, stores: Dictionary(stores.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first }),
            client: HTTPGetClient(), logger: logger)
        ServiceEndpoints.add(to: router, application: application, queries: queries)
        routes?(router, ServiceRoutes(application: application, queries: queries))
        let http = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.httpHost, port: configuration.httpPort), serverName: "kafka-streams"),
            onServerRunning: { [self] channel in listening(on: channel.localAddress?.port ?? configuration.httpPort) },
            logger: logger)
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: ApplicationService(application: application))] + [.init(service: http)]
                    + extraServices.map { .init(service: $0, successTerminationBehavior: .ignore) },
                gracefulShutdownSignals: signals, logger: logger))
        let stopAtOnce = box.withLockedValue { box in
            box.group = group
            return box.shutdownRequested
        }
        if stopAtOnce { await group.triggerGracefulShutdown() }
        try await group.run()
    }

    /// Starts a graceful shutdown, as SIGTERM does.
    public func shutdown() async {
        let group = box.withLockedValue { box in
            box.shutdownRequested = true
            return box.group
        }
        await group?.triggerGracefulShutdown()
    }

    /// The HTTP port once the endpoint listens (useful with `http.port = 0`).
    public func waitUntilListening() async -> Int {
        await withCheckedContinuation { continuation in
            let port: Int? = box.withLockedValue { box in
                if box.port == nil { box.waiters.append(continuation) }
                return box.port
            }
            if let port { continuation.resume(returning: port) }
        }
    }

    private func listening(on port: Int) {
        logger.notice("HTTP endpoint listening on \(configuration.httpHost):\(port)")
        let waiters = box.withLockedValue { box in
            box.port = port
            defer { box.waiters = [] }
            return box.waiters
        }
        for waiter in waiters { waiter.resume(returning: port) }
    }
}

/// The application as a service of the group: ``StreamsApplication/run()`` closes it on a
/// graceful shutdown.
struct ApplicationService: Service {
    let application: StreamsApplication
    func run() async throws { try await application.run() }
}
