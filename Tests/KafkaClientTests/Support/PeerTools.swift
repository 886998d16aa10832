import Foundation
import KafkaClient
import KafkaProtocol

/// Runs a command with `input` on its stdin; returns stdout, throws with stderr on failure.
@discardableResult
func run(_ executable: String, _ arguments: [String], input: Data) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let stdin = Pipe()
    let out = Pipe()
    let err = Pipe()
    process.standardInput = stdin
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Write from another thread so a large input cannot dead-lock against a full stdout pipe.
    let writer = Thread {
        stdin.fileHandleForWriting.write(input)
        try? stdin.fileHandleForWriting.close()
    }
    writer.start()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    let errors = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw PeerError("\(executable) \(arguments.joined(separator: " ")) failed: \(String(decoding: errors, as: UTF8.self))")
    }
    return String(decoding: data, as: UTF8.self)
}

/// A record as librdkafka (confluent-kafka) read it back, from `scripts/peers/rdkafka_consume.py`.
struct ConsumedRecord: Equatable, CustomStringConvertible {
    var partition: Int32
    var offset: Int64
    var timestamp: Int64
    var timestampType: String
    var key: [UInt8]?
    var value: [UInt8]?
    var headers: [Header]

    struct Header: Equatable {
        var key: String
        var value: [UInt8]?
    }

    var description: String {
        "p\(partition)@\(offset) ts=\(timestamp) key=\(key.map { String(decoding: $0, as: UTF8.self) } ?? "null") value=\(value.map { "\($0.count)B" } ?? "null")"
    }
}

/// Reads every record of a topic with librdkafka, sorted by (partition, offset).
func consumeWithRdkafka(bootstrap: String, topic: String, timeout: Int = 30) throws -> [ConsumedRecord] {
    let output = try run(
        "/usr/bin/env",
        [
            "python3", peersDirectory.appendingPathComponent("rdkafka_consume.py").path, "-b", bootstrap, "-t", topic,
            "--timeout", "\(timeout)",
        ])
    func bytes(_ any: Any?) -> [UInt8]? {
        guard let text = any as? String else { return nil }
        return Data(base64Encoded: text).map { [UInt8]($0) }
    }
    return try output.split(separator: "\n").map { line in
        guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
            throw PeerError("rdkafka_consume.py printed \(line)")
        }
        let headers = (object["headers"] as? [[Any]] ?? []).map { pair in
            ConsumedRecord.Header(key: pair.first as? String ?? "", value: bytes(pair.count > 1 ? pair[1] : nil))
        }
        return ConsumedRecord(
            partition: Int32((object["partition"] as? Int) ?? -1), offset: Int64((object["offset"] as? Int) ?? -1),
            timestamp: Int64((object["timestamp"] as? Int) ?? -1), timestampType: object["timestamp_type"] as? String ?? "",
            key: bytes(object["key"]), value: bytes(object["value"]), headers: headers)
    }
}

/// The partitions librdkafka's partitioner (`murmur2_random` by default) picks for these
/// keys, from `scripts/peers/rdkafka_partition.py` (which produces each key to a private
/// mock cluster and reads the partition from the delivery report).
func rdkafkaPartitions(for keys: [[UInt8]], partitionCount: Int, partitioner: String = "murmur2_random") throws -> [Int32] {
    let input = keys.map { key in key.map { String(format: "%02x", $0) }.joined() }.joined(separator: "\n") + "\n"
    let output = try run(
        "/usr/bin/env",
        [
            "python3", peersDirectory.appendingPathComponent("rdkafka_partition.py").path, "-p", "\(partitionCount)", "--hex",
            "--partitioner", partitioner,
        ],
        input: Data(input.utf8))
    let lines = output.split(separator: "\n")
    guard lines.count == keys.count else {
        throw PeerError("rdkafka_partition.py printed \(lines.count) lines for \(keys.count) keys")
    }
    return try lines.map { line in
        guard let partition = Int32(line.split(separator: "\t", omittingEmptySubsequences: false)[0]) else {
            throw PeerError("rdkafka_partition.py printed \(line)")
        }
        return partition
    }
}

/// Creates a topic with CreateTopics (tansu) and waits until every partition has a leader.
func createTopic(_ name: String, partitions: Int32, on config: ClientConfig) async throws {
    let cluster = KafkaCluster(config: config)
    do {
        let connection = try await cluster.anyConnection()
        let response = try await connection.send(
            CreateTopicsRequest(
                topics: [.init(name: name, numPartitions: partitions, replicationFactor: 1, assignments: [], configs: [])],
                timeoutMs: 10_000))
        for result in response.topics where result.errorCode != 0 && result.errorCode != KafkaErrorCode.topicAlreadyExists.code {
            throw KafkaError(code: result.errorCode, message: result.errorMessage, api: "CreateTopics", topic: result.name)
        }
        for _ in 0..<100 {
            let metadata = try await cluster.metadata(refresh: true, topics: [name])
            if let topic = metadata.topics[name], topic.error == .none, topic.partitions.count == Int(partitions),
                topic.partitions.allSatisfy({ $0.leader >= 0 })
            {
                await cluster.close()
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw PeerError("topic \(name) has no leaders")
    } catch {
        await cluster.close()
        throw error
    }
}

/// One tansu broker shared by every producer test in this process (started on first use;
/// its watchdog stops it when the test process exits).
let sharedTansu: Result<TansuBroker, any Error> = Result { try TansuBroker() }

/// A unique topic name for one test.
func uniqueTopic(_ prefix: String) -> String {
    "\(prefix)-\(UUID().uuidString.prefix(8).lowercased())"
}
