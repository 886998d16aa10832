import Foundation
import KafkaBroker
import KafkaClient
import KafkaTestSupport
import NIOCore

/// The built `kstreams` binary (`swift build` puts it in `.build/debug`).
let kstreamsBinary = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent(".build/debug/kstreams").path

/// Runs `kstreams` with the arguments and returns its standard output; throws
/// `PeerFailure` (with its stderr) when it exits non-zero.
@discardableResult
func kstreams(_ arguments: String...) async throws -> String {
    try await runProcess(kstreamsBinary, arguments, timeout: 120)
}

/// The embedded broker in-process, with helpers for the tests.
struct ToolBroker {
    let broker: EmbeddedBroker
    var bootstrap: String { broker.bootstrapServers }

    static func start() async throws -> ToolBroker {
        ToolBroker(broker: try await EmbeddedBroker.start(dataDirectory: temporaryDirectory("broker")))
    }

    func stop() async { try? await broker.shutdown() }

    /// Runs an operation with an admin client.
    func withAdmin<T: Sendable>(_ body: (KafkaAdmin) async throws -> T) async throws -> T {
        let admin = KafkaAdmin(cluster: KafkaCluster(config: try ClientConfig(bootstrapServers: bootstrap)))
        do {
            let result = try await body(admin)
            await admin.close()
            return result
        } catch {
            await admin.close()
            throw error
        }
    }

    /// Creates topics with the given partition counts.
    func createTopics(_ topics: [String: Int32]) async throws {
        try await withAdmin { admin in
            _ = try await admin.createTopics(topics.map { NewTopic($0.key, partitions: $0.value, replicationFactor: -1) })
        }
    }

    /// Produces string values (keys "0", "1", ...) to a topic and waits for the acknowledgements.
    func produce(_ topic: String, _ values: [String]) async throws {
        let producer = try KafkaProducer(config: ProducerConfig(client: try ClientConfig(bootstrapServers: bootstrap)))
        for (i, value) in values.enumerated() {
            try await producer.sendAndForget(topic: topic, key: ByteBuffer(string: "\(i)"), value: ByteBuffer(string: value))
        }
        try await producer.flush()
        await producer.close()
    }

    /// Reads a topic's partition 0 from the beginning until it is quiet for a second and
    /// returns the latest int64 value per key.
    func latestCounts(_ topic: String) async throws -> [String: Int64] {
        var config = ConsumerConfig(client: try ClientConfig(bootstrapServers: bootstrap))
        config.autoOffsetReset = .earliest
        config.enableAutoCommit = false
        let consumer = try KafkaConsumer(config: config)
        try await consumer.assign([TopicPartition(topic, 0)])
        var counts: [String: Int64] = [:]
        var quietSince = ContinuousClock.now
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now - quietSince < .seconds(1) && ContinuousClock.now < deadline {
            let records = try await consumer.poll(timeout: .milliseconds(200))
            if !records.isEmpty { quietSince = .now }
            for record in records {
                guard let key = record.key, var value = record.value, value.readableBytes == 8,
                    let count = value.readInteger(as: Int64.self)
                else { continue }
                counts[String(buffer: key)] = count
            }
        }
        await consumer.close()
        return counts
    }

    /// Waits until the group has committed offsets on `topic` and has no lag anywhere.
    func waitForNoLag(group: String, on topic: String, timeout: Duration = .seconds(60)) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let lag = try await withAdmin { admin in try await admin.consumerGroupLag(group) }
            let input = lag.filter { $0.key.topic == topic }
            if !input.isEmpty && input.values.allSatisfy({ $0.committed == $0.endOffset }) && lag.values.allSatisfy({ $0.lag == 0 }) {
                return true
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        return false
    }

    /// Waits until the group has no members.
    func waitForNoMembers(group: String, timeout: Duration = .seconds(60)) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let members = try await withAdmin { admin in try await admin.describeGroups([group])[group]?.members.count ?? 0 }
            if members == 0 { return true }
            try await Task.sleep(for: .milliseconds(200))
        }
        return false
    }
}
