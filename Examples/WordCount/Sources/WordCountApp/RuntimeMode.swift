import KafkaClient
import KafkaStreams
import KafkaStreamsEmbedded
import NIOCore
import WordCount

/// Runs WordCount as a StreamsApplication: creates the topics if missing, produces the
/// lines, and prints the counts once every line is processed (or keeps running).
func runOnRuntime(lines: [String], config: StreamsConfig, follow: Bool) async throws {
    let app = StreamsApplication(try WordCount.topology(), config: config, embeddedBroker: .inProcess)
    let setUp = TopicSetUp(config: config)
    if config.bootstrapServers != "embedded" { try await setUp.createTopics(bootstrap: config.bootstrapServers) }
    if config.bootstrapServers == "embedded" {
        // The embedded broker starts with the application; the topics must exist before
        // the application checks its sources, so start it through a hook.
        try await app.startEmbeddedBroker()
        try await setUp.createTopics(bootstrap: app.bootstrapServers)
    }
    if !lines.isEmpty {
        try await setUp.produce(lines, bootstrap: app.bootstrapServers)
        print("-- produced \(lines.count) lines to \(WordCount.inputTopic) on \(app.bootstrapServers)")
    }
    if follow {
        try await app.run()
        return
    }
    try await app.start()
    let counts = try await setUp.readCounts(bootstrap: app.bootstrapServers, until: app)
    await app.close()
    printCounts(counts, lines: lines.count, limit: 20)
}

/// Topic creation, input and output for the example.
struct TopicSetUp {
    let config: StreamsConfig

    func createTopics(bootstrap: String) async throws {
        let admin = KafkaAdmin(cluster: KafkaCluster(config: try ClientConfig(bootstrapServers: bootstrap)))
        defer { Task { await admin.close() } }
        _ = try await admin.createTopics(
            [
                NewTopic(WordCount.inputTopic, partitions: 4, replicationFactor: -1),
                NewTopic(WordCount.outputTopic, partitions: 1, replicationFactor: -1),
            ], ifNotExists: true)
    }

    func produce(_ lines: [String], bootstrap: String) async throws {
        let producer = try KafkaProducer(config: ProducerConfig(client: try ClientConfig(bootstrapServers: bootstrap)))
        for (index, line) in lines.enumerated() {
            try await producer.sendAndForget(topic: WordCount.inputTopic, key: ByteBuffer(string: "\(index)"), value: ByteBuffer(string: line))
        }
        try await producer.flush()
        await producer.close()
    }

    /// Reads the output until the application's group has committed every input record
    /// and the output has been quiet for a second.
    func readCounts(bootstrap: String, until app: StreamsApplication) async throws -> [String: Int64] {
        let client = try ClientConfig(bootstrapServers: bootstrap)
        var consumerConfig = ConsumerConfig(client: client)
        consumerConfig.enableAutoCommit = false
        consumerConfig.autoOffsetReset = .earliest
        consumerConfig.isolationLevel = config.processingGuarantee == .exactlyOnceV2 ? .readCommitted : .readUncommitted
        let consumer = try KafkaConsumer(config: consumerConfig)
        try await consumer.assign([TopicPartition(WordCount.outputTopic, 0)])
        let admin = KafkaAdmin(cluster: KafkaCluster(config: client))
        var counts: [String: Int64] = [:]
        var quietSince = ContinuousClock.now
        while true {
            let records = try await consumer.poll(timeout: .milliseconds(250))
            for record in records {
                guard let key = record.key, var value = record.value, let count = value.readInteger(as: Int64.self) else { continue }
                counts[String(buffer: key)] = count
            }
            if !records.isEmpty { quietSince = .now }
            if ContinuousClock.now - quietSince > .seconds(1), try await lag(admin) == 0 { break }
        }
        await consumer.close()
        await admin.close()
        return counts
    }

    /// Input records not yet committed by the application's group.
    private func lag(_ admin: KafkaAdmin) async throws -> Int64 {
        let committed = try await admin.listConsumerGroupOffsets(config.applicationID)
        let partitions = (0..<Int32(4)).map { TopicPartition(WordCount.inputTopic, $0) }
        let ends = try await admin.listOffsets(Dictionary(uniqueKeysWithValues: partitions.map { ($0, OffsetSpec.latest) }))
        return partitions.reduce(0) { sum, tp in sum + max(0, (ends[tp]?.offset ?? 0) - (committed[tp]?.offset ?? 0)) }
    }
}
