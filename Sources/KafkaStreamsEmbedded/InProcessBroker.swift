import KafkaBroker
@_exported import KafkaStreams
import Logging

/// The project's embedded broker started in-process: what `bootstrap.servers = "embedded"`
/// means for a ``StreamsApplication`` given `embeddedBroker: .inProcess`.
///
/// It listens on 127.0.0.1 on a free port and keeps its log under the data directory the
/// application passes (`<state.dir>/<application.id>/embedded-broker`), so a restarted
/// application finds its topics, offsets and changelogs again. Topics are not
/// auto-created; the application creates its internal topics, and input topics are
/// created by whoever produces them (``StreamsApplication/createTopics(_:partitions:)``).
public struct InProcessBroker: EmbeddedBrokerProvider {
    /// The broker's settings (topic defaults, security, ...).
    public var config: BrokerConfig
    /// The broker's logger.
    public var logger: Logger

    /// Creates the provider.
    public init(config: BrokerConfig = BrokerConfig(), logger: Logger = Logger(label: "kafka-broker")) {
        self.config = config
        self.logger = logger
    }

    /// Starts the broker.
    public func start(dataDirectory: String) async throws -> any RunningEmbeddedBroker {
        Running(broker: try await EmbeddedBroker.start(dataDirectory: dataDirectory, config: config, logger: logger))
    }

    struct Running: RunningEmbeddedBroker {
        let broker: EmbeddedBroker
        var bootstrapServers: String { broker.bootstrapServers }
        func shutdown() async throws { try await broker.shutdown() }
    }
}

extension EmbeddedBrokerProvider where Self == InProcessBroker {
    /// The embedded broker, in-process.
    public static var inProcess: InProcessBroker { InProcessBroker() }
}
