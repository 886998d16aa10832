// kafka-producer-bench: produce-throughput benchmark of the Swift KafkaProducer.
//
// The Swift side of scripts/bench-producer, the counterpart of
// scripts/peers/rdkafka_produce_bench.py (same records, same JSON report):
//
//   kafka-producer-bench -b 127.0.0.1:9092 [-t TOPIC] [-n 1000000] [-p 8] [-c none|gzip|snappy|lz4|zstd]
//       [--key-size 16] [--value-size 100] [--values-file F] [--mode forget|batch|send] [--chunk 1000]
//       [-X producer.property=value ...]
//
// Keys are the decimal record number zero-padded to --key-size bytes ("%016d"). Values come
// from --values-file (the value pool rdkafka_produce_bench.py draws, written by the script:
// --value-size bytes each, concatenated) or, without it, from a built-in pool of 1024 values
// over the same 64-character alphabet. The clock runs from the first send until flush()
// returns (every record acknowledged, acks=all by default). MB counts key + value bytes,
// 10^6 per MB. Command-line parsing is by hand: swift-argument-parser is not a dependency
// of this package.
//
// Modes: `forget` awaits sendAndForget per record; `batch` hands --chunk records per await
// to sendAndForget(_:) (the stream-thread path); `send` runs --chunk concurrent awaited sends.

import Foundation
import KafkaClient
import KafkaProtocol
import NIOCore

struct Options {
    var bootstrap = ""
    var topic = "bench-\(UUID().uuidString.prefix(8).lowercased())"
    var records = 1_000_000
    var partitions: Int32 = 8
    var compression = "none"
    var keySize = 16
    var valueSize = 100
    var valuesFile: String?
    var mode = "forget"
    var chunk = 1000
    var properties: [String: String] = [:]
}

func parse() -> Options {
    var options = Options()
    var arguments = CommandLine.arguments.dropFirst()
    func value(_ name: String) -> String {
        guard let next = arguments.popFirst() else {
            FileHandle.standardError.write(Data("kafka-producer-bench: \(name) needs a value\n".utf8))
            exit(2)
        }
        return next
    }
    while let argument = arguments.popFirst() {
        switch argument {
        case "-b", "--bootstrap": options.bootstrap = value(argument)
        case "-t", "--topic": options.topic = value(argument)
        case "-n", "--records": options.records = Int(value(argument)) ?? options.records
        case "-p", "--partitions": options.partitions = Int32(value(argument)) ?? options.partitions
        case "-c", "--compression": options.compression = value(argument)
        case "--key-size": options.keySize = Int(value(argument)) ?? options.keySize
        case "--value-size": options.valueSize = Int(value(argument)) ?? options.valueSize
        case "--values-file": options.valuesFile = value(argument)
        case "--mode": options.mode = value(argument)
        case "--chunk": options.chunk = max(1, Int(value(argument)) ?? options.chunk)
        case "-X":
            let pair = value(argument).split(separator: "=", maxSplits: 1).map(String.init)
            options.properties[pair[0]] = pair.count > 1 ? pair[1] : ""
        default:
            FileHandle.standardError.write(Data("kafka-producer-bench: unknown argument \(argument)\n".utf8))
            exit(2)
        }
    }
    if options.bootstrap.isEmpty {
        FileHandle.standardError.write(
            Data("usage: kafka-producer-bench -b HOST:PORT [options] (see the source's header)\n".utf8))
        exit(2)
    }
    return options
}

/// Creates the topic with CreateTopics unless it exists.
func ensureTopic(_ options: Options, cluster: KafkaCluster) async throws {
    let metadata = try await cluster.metadata(refresh: true, topics: [options.topic])
    if let topic = metadata.topics[options.topic], topic.error == .none {
        guard topic.partitions.count == Int(options.partitions) else {
            throw KafkaClientError(
                .invalidConfig, "\(options.topic) has \(topic.partitions.count) partitions, not \(options.partitions)")
        }
        return
    }
    let response = try await cluster.anyConnection().send(
        CreateTopicsRequest(
            topics: [
                .init(name: options.topic, numPartitions: options.partitions, replicationFactor: 1, assignments: [], configs: [])
            ],
            timeoutMs: 30_000))
    for result in response.topics where result.errorCode != 0 && result.errorCode != KafkaErrorCode.topicAlreadyExists.code {
        throw KafkaError(code: result.errorCode, message: result.errorMessage, api: "CreateTopics", topic: result.name)
    }
}

func valuePool(_ options: Options) throws -> [ByteBuffer] {
    var pool = ByteBuffer()
    if let file = options.valuesFile {
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        pool.writeBytes(data)
    } else {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        var state: UInt64 = 1
        for _ in 0..<(1024 * options.valueSize) {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            pool.writeInteger(alphabet[Int(state >> 58)])
        }
    }
    let count = pool.readableBytes / max(options.valueSize, 1)
    guard count > 0 else { throw KafkaClientError(.invalidConfig, "the value pool is empty") }
    return (0..<count).map { pool.getSlice(at: $0 * options.valueSize, length: options.valueSize)! }
}

func keys(_ options: Options) -> [ByteBuffer] {
    var all = ByteBuffer()
    all.reserveCapacity(options.records * options.keySize)
    var digits = [UInt8](repeating: 0x30, count: max(options.keySize, 20))
    for i in 0..<options.records {
        var n = i
        var index = digits.count - 1
        for j in digits.indices { digits[j] = 0x30 }
        while n > 0 && index >= 0 {
            digits[index] = UInt8(0x30 + n % 10)
            n /= 10
            index -= 1
        }
        all.writeBytes(digits[(digits.count - options.keySize)...])
    }
    return (0..<options.records).map { all.getSlice(at: $0 * options.keySize, length: options.keySize)! }
}

func main() async throws {
    let options = parse()
    var properties = ["bootstrap.servers": options.bootstrap, "compression.type": options.compression]
    properties.merge(options.properties) { $1 }
    let config = try ProducerConfig(properties: properties)

    let setup = KafkaCluster(config: config.client)
    try await ensureTopic(options, cluster: setup)
    await setup.close()

    let values = try valuePool(options)
    let keys = keys(options)
    let producer = try KafkaProducer(config: config)
    _ = try await producer.partitionCount(of: options.topic)  // metadata before the clock

    let start = ContinuousClock.now
    switch options.mode {
    case "batch":
        var index = 0
        while index < options.records {
            let end = min(index + options.chunk, options.records)
            var chunk: [ProducerRecord] = []
            chunk.reserveCapacity(end - index)
            for i in index..<end {
                chunk.append(ProducerRecord(topic: options.topic, key: keys[i], value: values[i % values.count]))
            }
            try await producer.sendAndForget(chunk)
            index = end
        }
    case "send":
        var index = 0
        while index < options.records {
            let end = min(index + options.chunk, options.records)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in index..<end {
                    let key = keys[i]
                    let value = values[i % values.count]
                    group.addTask { _ = try await producer.send(topic: options.topic, key: key, value: value) }
                }
                try await group.waitForAll()
            }
            index = end
        }
    default:
        let topic = options.topic
        for i in 0..<options.records {
            try await producer.sendAndForget(topic: topic, key: keys[i], value: values[i % values.count])
        }
    }
    try await producer.flush()
    let seconds =
        Double((ContinuousClock.now - start).components.attoseconds) / 1e18
        + Double((ContinuousClock.now - start).components.seconds)
    let statistics = await producer.statistics
    await producer.close()

    let payload = Double(options.records * (options.keySize + options.valueSize))
    let report: [String: Any] = [
        "client": "swift-kafka-streams KafkaProducer",
        "mode": options.mode,
        "bootstrap": options.bootstrap,
        "topic": options.topic,
        "records": options.records,
        "partitions": options.partitions,
        "key_bytes": options.keySize,
        "value_bytes": options.valueSize,
        "compression": options.compression,
        "acks": config.acks.description,
        "linger_ms": config.linger.components.seconds * 1000 + config.linger.components.attoseconds / 1_000_000_000_000_000,
        "batch_size": config.batchSize,
        "idempotence": config.enableIdempotence,
        "seconds": (seconds * 10000).rounded() / 10000,
        "records_per_s": (Double(options.records) / seconds * 10).rounded() / 10,
        "mb_per_s": (payload / seconds / 1e6 * 1000).rounded() / 1000,
        "requests": statistics.requests,
        "batches": statistics.batches,
        "retries": statistics.retries,
        "delivery_errors": statistics.recordsFailed,
    ]
    let json = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
    print(String(decoding: json, as: UTF8.self))
    if statistics.recordsFailed > 0 { exit(1) }
}

try await main()
