import KafkaClient
import KafkaProtocol
import Testing

@Suite(.serialized) struct ConnectionTests {
    @Test func negotiatesVersionsAndFetchesMetadataFromTansu() async throws {
        let broker = try TansuBroker()
        defer { broker.stop() }
        let cluster = KafkaCluster(config: try broker.config)
        let connection = try await cluster.anyConnection()
        #expect(connection.brokerVersions[MetadataRequest.apiKey] != nil)
        let version = try connection.version(for: MetadataRequest.self)
        #expect(MetadataRequest.versions.contains(version))
        let metadata = try await cluster.metadata(refresh: true)
        #expect(metadata.brokers.count == 1)
        #expect(metadata.brokers.values.first?.description == broker.bootstrap)
        await cluster.close()
    }

    @Test func fetchesMetadataOfAThreeBrokerMockCluster() async throws {
        let mock = try MockCluster(brokers: 3)
        defer { mock.stop() }
        try mock.command("create-topic orders 4 3")
        let cluster = KafkaCluster(config: try mock.config)
        let metadata = try await cluster.metadata(topics: ["orders"])
        #expect(metadata.brokers.count == 3)
        let orders = try #require(metadata.topics["orders"])
        #expect(orders.partitions.map(\.id) == [0, 1, 2, 3])
        #expect(orders.partitions.allSatisfy { $0.replicas.count == 3 && $0.leader >= 1 })
        try mock.command("leader orders 0 2")
        #expect(try await cluster.leader(topic: "orders", partition: 0) == orders.partitions[0].leader)
        await cluster.invalidateMetadata()
        #expect(try await cluster.leader(topic: "orders", partition: 0) == 2)
        await cluster.close()
    }

    @Test func unreachableBootstrapIsATypedError() async throws {
        var config = try ClientConfig(bootstrapServers: "127.0.0.1:1")
        config.connectTimeout = .seconds(2)
        let cluster = KafkaCluster(config: config)
        do {
            _ = try await cluster.metadata()
            Issue.record("expected failure")
        } catch let error as KafkaClientError {
            #expect(error.code == .metadata)
            #expect("\(error)".contains("127.0.0.1:1"))
        }
    }

    @Test func badBootstrapAddressesAreRejected() {
        #expect(throws: KafkaClientError.self) { try ClientConfig(bootstrapServers: "") }
        #expect(throws: KafkaClientError.self) { try ClientConfig(bootstrapServers: "localhost") }
        #expect(throws: KafkaClientError.self) { try ClientConfig(bootstrapServers: "host:99999") }
        #expect(throws: KafkaClientError.self) { try ClientConfig(properties: ["bootstrap.servers": "a:1", "request.timeout.ms": "x"]) }
        #expect((try? BrokerAddress.list("a:1, [::1]:9092"))?.map(\.description) == ["a:1", "[::1]:9092"])
    }
}
