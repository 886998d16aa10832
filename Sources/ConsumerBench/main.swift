// kafka-consumer-bench: consume and transactional-produce throughput of the Swift client.
//
// The Swift side of scripts/bench-consumer (counterpart: scripts/peers/rdkafka_consume_bench.py):
//
//   kafka-consumer-bench consume -b HOST:PORT -t TOPIC -n RECORDS [-X consumer.property=value ...]
//       Assigns every partition of TOPIC, reads from the beginning until RECORDS records were
//       returned by poll, and prints one JSON line (records/s, MB/s of key + value bytes).
//       The clock runs from the first poll to the last record.
//   kafka-consumer-bench produce -b HOST:PORT -t TOPIC -n RECORDS [-p 8] [--txn-interval-ms 100]
//       Produces RECORDS records (16-byte keys, 100-byte values) with sendAndForget in chunks of
//       1000; with --txn-interval-ms > 0 inside transactions committed every that many ms
//       (transactional.id bench-<random>), else idempotent without transactions.
//
// Command-line parsing is by hand: swift-argument-parser is not a dependency of the client.

import Foundation
import KafkaClient
import KafkaProtocol
import NIOCore

struct Options {
    var command = ""
    var bootstrap = ""
    var topic = ""
    var records = 1_000_000
    var partitions: Int32 = 8
    var txnInterval = 0
    var properties: [String: String] = [:]
}

func fail(_ text: String) -> Never {
    FileHandle.standardError.write(Data("kafka-consumer-bench: \(text)\n".utf8))
    exit(2)
}

func parse() -> Options {
    var options = Options()
    var arguments = CommandLine.arguments.dropFirst()
    options.command = arguments.popFirst() ?? ""
    func value(_ name: String) -> String {
        guard let next = arguments.popFirst() else { fail("\(name) needs a value") }
        return next
    }
    while let argument = arguments.popFirst() {
        switch argument {
        case "-b", "--bootstrap": options.bootstrap = value(argument)
        case "-t", "--topic": options.topic = value(argument)
        case "-n", "--records": options.records = Int(value(argument)) ?? options.records
        case "-p", "--partitions": options.partitions = Int32(value(argument)) ?? options.partitions
        case "--txn-interval-ms": options.txnInterval = Int(value(argument)) ?? 0
        case "-X":
            let pair = value(argument).split(separator: "=", maxSplits: 1).map(String.init)
            options.properties[pair[0]] = pair.count > 1 ? pair[1] : ""
        default: fail("unknown argument \(argument)")
        }
    }
    if options.bootstrap.isEmpty || options.topic.isEmpty || !["consume", "produce"].contains(options.command) {
        fail("usage: kafka-consumer-bench consume|produce -b HOST:PORT -t TOPIC [-n N] (see the source's header)")
    }
    return options
}

func seconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

func report(_ fields: [String: Any]) throws {
    let json = try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
    print(String(decoding: json, as: UTF8.self))
}

func consume(_ options: Options) async throws {
    var properties = ["bootstrap.servers": options.bootstrap, "auto.offset.reset": "earliest"]
    properties.merge(options.properties) { $1 }
    let config = try ConsumerConfig(properties: properties)
    let cluster = KafkaCluster(config: config.client)
    let metadata = try await cluster.metadata(refresh: true, topics: [options.topic])
    guard let topic = metadata.topics[options.topic], topic.error == .none else { fail("no topic \(options.topic)") }
    await cluster.close()
    let consumer = try KafkaConsumer(config: config)
    try await consumer.assign(topic.partitions.map { TopicPartition(options.topic, $0.id) })
    var count = 0
    var bytes = 0
    let start = ContinuousClock.now
    while count < options.records {
        let records = try await consumer.poll(timeout: .seconds(10))
        if records.isEmpty { fail("no records for 10 s after \(count)") }
        for record in records {
            bytes += (record.key?.readableBytes ?? 0) + (record.value?.readableBytes ?? 0)
        }
        count += records.count
    }
    let elapsed = seconds(since: start)
    let statistics = await consumer.statistics
    await consumer.close()
    try report([
        "client": "swift-kafka-streams KafkaConsumer", "mode": "consume", "topic": options.topic, "records": count,
        "partitions": topic.partitions.count, "seconds": (elapsed * 10000).rounded() / 10000,
        "records_per_s": (Double(count) / elapsed * 10).rounded() / 10,
        "mb_per_s": (Double(bytes) / elapsed / 1e6 * 1000).rounded() / 1000, "fetch_requests": statistics.fetchRequests,
        "max_poll_records": config.maxPollRecords,
    ])
}

func produce(_ options: Options) async throws {
    var properties = ["bootstrap.servers": options.bootstrap]
    if options.txnInterval > 0 { properties["transactional.id"] = "bench-\(UUID().uuidString.prefix(8))" }
    properties.merge(options.properties) { $1 }
    let config = try ProducerConfig(properties: properties)
    let producer = try KafkaProducer(config: config)
    _ = try await producer.partitionCount(of: options.topic)
    var values: [ByteBuffer] = []
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    var state: UInt64 = 1
    for _ in 0..<1024 {
        var value = ByteBuffer()
        for _ in 0..<100 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            value.writeInteger(alphabet[Int(state >> 58)])
        }
        values.append(value)
    }
    let transactional = options.txnInterval > 0
    if transactional { try await producer.initTransactions() }
    var transactions = 0
    let start = ContinuousClock.now
    var index = 0
    var txnStart = ContinuousClock.now
    if transactional { try await producer.beginTransaction() }
    while index < options.records {
        let end = min(index + 1000, options.records)
        let chunk = (index..<end).map { i in
            ProducerRecord(
                topic: options.topic, key: ByteBuffer(string: String(format: "%016d", i)), value: values[i % values.count])
        }
        try await producer.sendAndForget(chunk)
        index = end
        if transactional && ContinuousClock.now - txnStart >= .milliseconds(options.txnInterval) {
            try await producer.commitTransaction()
            transactions += 1
            try await producer.beginTransaction()
            txnStart = .now
        }
    }
    if transactional {
        try await producer.commitTransaction()
        transactions += 1
    } else {
        try await producer.flush()
    }
    let elapsed = seconds(since: start)
    let statistics = await producer.statistics
    await producer.close()
    try report([
        "client": "swift-kafka-streams KafkaProducer", "mode": transactional ? "transactional" : "idempotent",
        "topic": options.topic, "records": options.records, "transactions": transactions,
        "txn_interval_ms": options.txnInterval, "seconds": (elapsed * 10000).rounded() / 10000,
        "records_per_s": (Double(options.records) / elapsed * 10).rounded() / 10,
        "mb_per_s": (Double(options.records * 116) / elapsed / 1e6 * 1000).rounded() / 1000,
        "delivery_errors": statistics.recordsFailed,
    ])
}

let options = parse()
switch options.command {
case "consume": try await consume(options)
default: try await produce(options)
}
