import KafkaClient
import Logging
import NIOCore
import ServiceLifecycle

/// A service reading every partition of a topic from the beginning and handing each
/// record to ``handle``: how an example shows its output as it arrives. It stops on a
/// graceful shutdown.
public struct TopicFollower: Service {
    /// The servers to read from, asked when it starts.
    public var bootstrap: @Sendable () async throws -> String
    /// The topic.
    public var topic: String
    /// Read only committed records (for an exactly-once application).
    public var readCommitted: Bool
    /// Called for each record, in partition order.
    public var handle: @Sendable (ConsumerRecord) -> Void
    let logger: Logger

    /// Creates a follower.
    public init(
        bootstrap: @escaping @Sendable () async throws -> String, topic: String, readCommitted: Bool = false,
        logger: Logger = Logger(label: "example.follower"), handle: @escaping @Sendable (ConsumerRecord) -> Void
    ) {
        self.bootstrap = bootstrap
        self.topic = topic
        self.readCommitted = readCommitted
        self.handle = handle
        self.logger = logger
    }

    /// Reads until shut down.
    public func run() async throws {
        let client = try ClientConfig(bootstrapServers: try await bootstrap())
        let admin = KafkaAdmin(cluster: KafkaCluster(config: client))
        let partitions = try await admin.describeTopics([topic])[topic]?.partitions.count ?? 1
        await admin.close()
        var config = ConsumerConfig(client: client)
        config.enableAutoCommit = false
        config.autoOffsetReset = .earliest
        config.isolationLevel = readCommitted ? .readCommitted : .readUncommitted
        let consumer = try KafkaConsumer(config: config)
        try await consumer.assign((0..<Int32(partitions)).map { TopicPartition(topic, $0) })
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    for record in try await consumer.poll(timeout: .milliseconds(200)) { handle(record) }
                } catch is CancellationError {
                    return
                } catch {
                    logger.warning("reading \(topic) failed, retrying: \(error)")
                    try? await Task.sleep(for: .seconds(1))
                }
            }
        }
        await consumer.close()
    }
}
