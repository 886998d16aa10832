import Foundation
import KafkaClient
import KafkaProtocol
import NIOCore

/// A consumer configuration for tests: fast retries, short group timeouts.
func consumerConfig(_ bootstrap: String, group: String? = nil, _ configure: (inout ConsumerConfig) -> Void = { _ in }) throws
    -> ConsumerConfig
{
    var config = try ConsumerConfig(bootstrapServers: bootstrap, groupID: group)
    config.client.retryBackoff = .milliseconds(20)
    config.retryBackoffMax = .milliseconds(200)
    config.client.reconnectBackoffMax = .milliseconds(200)
    config.autoOffsetReset = .earliest
    config.enableAutoCommit = false
    config.fetchMaxWait = .milliseconds(100)
    config.sessionTimeout = .seconds(6)
    config.heartbeatInterval = .milliseconds(300)
    config.defaultApiTimeout = .seconds(30)
    configure(&config)
    return config
}

/// Produces `values` to one partition with the Swift producer and waits for them.
func produce(_ bootstrap: String, topic: String, partition: Int32, values: [String]) async throws {
    var config = try ProducerConfig(bootstrapServers: bootstrap)
    config.client.retryBackoff = .milliseconds(20)
    config.linger = .milliseconds(1)
    let producer = try KafkaProducer(config: config)
    do {
        for value in values {
            try await producer.sendAndForget(topic: topic, partition: partition, key: nil, value: ByteBuffer(string: value))
        }
        try await producer.flush()
        let failed = await producer.statistics.recordsFailed
        await producer.close()
        if failed > 0 { throw PeerError("\(failed) record(s) not produced to \(topic)-\(partition)") }
    } catch {
        await producer.close()
        throw error
    }
}

/// Polls until `count` records arrived (or `timeout` passed); returns them.
func pollRecords(_ consumer: KafkaConsumer, count: Int, timeout: Duration = .seconds(20)) async throws -> [ConsumerRecord] {
    var records: [ConsumerRecord] = []
    let deadline = ContinuousClock.now + timeout
    while records.count < count && ContinuousClock.now < deadline {
        records += try await consumer.poll(timeout: .milliseconds(200))
    }
    return records
}

/// Values by partition, in the order returned.
func valuesByPartition(_ records: [ConsumerRecord]) -> [Int32: [String]] {
    Dictionary(grouping: records, by: \.partition).mapValues { $0.map { $0.value.map { String(buffer: $0) } ?? "null" } }
}

/// A member of a librdkafka consumer group (`scripts/peers/rdkafka_group_member.py`)
/// running in the background; ``finish()`` waits for it and returns what it printed.
final class RdkafkaGroupMember: @unchecked Sendable {  // process handles are only read after start
    private let process = Process()
    private let output = Pipe()

    init(bootstrap: String, topic: String, group: String, strategy: String = "range", idle: Double = 6, timeout: Double = 60)
        throws
    {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", peersDirectory.appendingPathComponent("rdkafka_group_member.py").path, "-b", bootstrap, "-t", topic, "-g",
            group, "--strategy", strategy, "--idle", "\(idle)", "--timeout", "\(timeout)",
        ]
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    /// Waits for the member to exit; returns its events (one JSON object per line).
    func finish() -> [[String: Any]] {
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }
}
