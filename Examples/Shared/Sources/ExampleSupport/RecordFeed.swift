import KafkaClient
import Logging
import NIOCore
import ServiceLifecycle

/// A service producing generated records to Kafka in rounds, at a steady rate: the data
/// generator of an example run as a service. It stops after ``rounds`` rounds (`nil`:
/// until shutdown) or on a graceful shutdown, flushing what it sent.
public struct RecordFeed: Service {
    /// The servers to produce to, asked when the feed starts (the embedded broker's
    /// address is known only once it runs).
    public var bootstrap: @Sendable () async throws -> String
    /// The records of round `n` (from 0), in the order to send them.
    public var round: @Sendable (Int) -> [GeneratedRecord]
    /// Records per second (0: as fast as the producer takes them).
    public var rate: Double
    /// How many rounds (`nil`: until shutdown).
    public var rounds: Int?
    /// A pause after each round, so that an application has processed a round before the
    /// next (whose event times are far ahead) arrives.
    public var pause: Duration
    /// Called after each record is handed to the producer, with the wall-clock time.
    public var onSent: (@Sendable (GeneratedRecord, ContinuousClock.Instant) -> Void)?
    /// Called once the last round is flushed.
    public var onFinished: (@Sendable (Int) -> Void)?
    let logger: Logger

    /// Creates a feed.
    public init(
        bootstrap: @escaping @Sendable () async throws -> String, rate: Double, rounds: Int?, pause: Duration = .zero,
        logger: Logger = Logger(label: "example.feed"),
        onSent: (@Sendable (GeneratedRecord, ContinuousClock.Instant) -> Void)? = nil,
        onFinished: (@Sendable (Int) -> Void)? = nil, round: @escaping @Sendable (Int) -> [GeneratedRecord]
    ) {
        self.bootstrap = bootstrap
        self.round = round
        self.rate = rate
        self.rounds = rounds
        self.pause = pause
        self.onSent = onSent
        self.onFinished = onFinished
        self.logger = logger
    }

    /// Sends the rounds; returns how many records and rounds were sent.
    func produce(_ producer: KafkaProducer) async -> (Int, Int) {
        let clock = ContinuousClock()
        var start = clock.now
        var paced = 0
        var sent = 0
        var number = 0
        do {
            while rounds.map({ number < $0 }) ?? true, !Task.isCancelled {
                for record in round(number) {
                    if Task.isCancelled { break }
                    try await producer.sendAndForget(
                        topic: record.topic, key: record.key, value: record.value, timestamp: record.timestamp)
                    onSent?(record, clock.now)
                    sent += 1
                    paced += 1
                    if rate > 0 {
                        let due = start + .seconds(Double(paced) / rate)
                        if due > clock.now { try await Task.sleep(until: due, clock: clock) }
                    }
                }
                number += 1
                if pause > .zero {
                    try await producer.flush()
                    try await Task.sleep(for: pause)
                    start = clock.now
                    paced = 0
                }
            }
        } catch is CancellationError {
        } catch {
            logger.error("the generator stopped: \(error)")
        }
        return (sent, number)
    }

    /// Produces until done, cancelled or shut down.
    public func run() async throws {
        var config = ProducerConfig(client: try ClientConfig(bootstrapServers: try await bootstrap()))
        config.linger = .milliseconds(5)
        let producer = try KafkaProducer(config: config)
        let (sent, number) = await cancelWhenGracefulShutdown { await produce(producer) }
        try? await producer.flush()
        await producer.close()
        onFinished?(sent)
        logger.info("generator sent \(sent) records in \(number) rounds")
        // A service group takes a service that returns during its graceful shutdown (before
        // its turn) for a failure: a finished feed waits for its turn.
        if !Task.isCancelled { try? await gracefulShutdown() }
    }
}
