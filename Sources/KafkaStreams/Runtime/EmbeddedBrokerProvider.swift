/// Starts the embedded broker when `bootstrap.servers` is `"embedded"`.
///
/// `KafkaStreams` does not link the broker; the module `KafkaStreamsEmbedded` provides
/// ``EmbeddedBrokerProvider/inProcess`` (the project's own broker, in-process, with its
/// data under `state.dir`), which examples and services pass to ``StreamsApplication``:
///
/// ```swift
/// import KafkaStreamsEmbedded
/// let app = StreamsApplication(topology, config: config, embeddedBroker: .inProcess)
/// ```
public protocol EmbeddedBrokerProvider: Sendable {
    /// Starts a broker keeping its data in `dataDirectory` and returns it running.
    func start(dataDirectory: String) async throws -> any RunningEmbeddedBroker
}

/// A broker started by an ``EmbeddedBrokerProvider``.
public protocol RunningEmbeddedBroker: Sendable {
    /// `host:port` to connect to.
    var bootstrapServers: String { get }
    /// Stops the broker (after the application's clients have closed).
    func shutdown() async throws
}
