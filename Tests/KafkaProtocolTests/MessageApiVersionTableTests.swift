import KafkaProtocol
import NIOCore
import Testing

@Suite("API version table")
struct MessageApiVersionTableTests {
    @Test("the implemented table: one entry per API, sorted, with the generated versions")
    func implemented() throws {
        let table = KafkaApiVersionTable.implemented
        #expect(table.entries.count == 31)
        #expect(table.entries.map(\.apiKey) == table.entries.map(\.apiKey).sorted())
        #expect(Set(table.entries.map(\.apiKey)).count == 31)

        let metadata = try #require(table.entry(for: .metadata))
        #expect(metadata.minVersion == 0 && metadata.maxVersion == 9 && metadata.firstFlexibleVersion == 9)
        let produce = try #require(table.entry(for: .produce))
        #expect(produce.versions == 0...8 && produce.firstFlexibleVersion == nil)
        #expect(table.entry(for: .deleteTopics)?.versions == 1...6)
        #expect(table.entry(for: .writeTxnMarkers)?.versions == 1...1)
        #expect(table.entry(for: .offsetForLeaderEpoch) == nil)
        #expect(table.entry(for: ApiKey(999)) == nil)
    }

    @Test("negotiation picks the highest common version, or none")
    func negotiation() {
        let broker = KafkaApiVersionTable([
            .init(apiKey: .metadata, minVersion: 0, maxVersion: 12),
            .init(apiKey: .fetch, minVersion: 4, maxVersion: 17),
            .init(apiKey: .produce, minVersion: 9, maxVersion: 11),
            .init(apiKey: .saslHandshake, minVersion: 0, maxVersion: 0),
        ])
        let mine = KafkaApiVersionTable.implemented
        #expect(mine.negotiatedVersion(for: .metadata, with: broker) == 9)
        #expect(mine.negotiatedVersion(for: .fetch, with: broker) == 11)
        #expect(mine.negotiatedVersion(for: .produce, with: broker) == nil)  // no overlap
        #expect(mine.negotiatedVersion(for: .saslHandshake, with: broker) == 0)
        #expect(mine.negotiatedVersion(for: .joinGroup, with: broker) == nil)  // broker lacks it
    }

    @Test("a broker's ApiVersions response becomes a table, and the implemented table becomes a response")
    func apiVersionsResponse() throws {
        var response = ApiVersionsResponse(apiKeys: KafkaApiVersionTable.implemented.apiVersionsResponseKeys)
        var buffer = ByteBuffer()
        try response.encode(into: &buffer, version: 3)
        response = try ApiVersionsResponse(from: &buffer, version: 3)
        let table = KafkaApiVersionTable(response)
        #expect(table == KafkaApiVersionTable.implemented)

        let unknown = KafkaApiVersionTable(ApiVersionsResponse(apiKeys: [.init(apiKey: 68, minVersion: 0, maxVersion: 1)]))
        #expect(unknown.entry(for: .consumerGroupHeartbeat)?.firstFlexibleVersion == nil)
    }

    @Test("header versions by API key and version")
    func headerVersions() {
        let table = KafkaApiVersionTable.implemented
        #expect(table.requestHeaderVersion(for: .metadata, apiVersion: 8) == 1)
        #expect(table.requestHeaderVersion(for: .metadata, apiVersion: 9) == 2)
        #expect(table.responseHeaderVersion(for: .metadata, apiVersion: 9) == 1)
        #expect(table.requestHeaderVersion(for: .apiVersions, apiVersion: 3) == 2)
        #expect(table.responseHeaderVersion(for: .apiVersions, apiVersion: 3) == 0)
        #expect(table.requestHeaderVersion(for: .produce, apiVersion: 8) == 1)
        #expect(table.requestHeaderVersion(for: .metadata, apiVersion: 10) == nil)
        #expect(table.requestHeaderVersion(for: .offsetForLeaderEpoch, apiVersion: 0) == nil)
    }

    @Test("ApiKey names")
    func apiKeyNames() {
        #expect(ApiKey.produce.rawValue == 0)
        #expect(ApiKey.apiVersions.rawValue == 18)
        #expect(ApiKey.describeCluster.rawValue == 60)
        #expect(ApiKey.consumerGroupHeartbeat.rawValue == 68)
        #expect(ApiKey.metadata.description == "Metadata(3)")
        #expect(ApiKey(200).name == "ApiKey(200)")
        for entry in KafkaApiVersionTable.implemented.entries {
            #expect(!entry.apiKey.name.hasPrefix("ApiKey("))
        }
    }
}
