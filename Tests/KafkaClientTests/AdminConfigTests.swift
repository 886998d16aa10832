import KafkaProtocol
import Testing

@testable import KafkaClient

@Suite struct AdminConfigTests {
    @Test func readsKafkaPropertyNames() throws {
        let config = try AdminConfig(properties: [
            "bootstrap.servers": "a:9092,b:9093", "client.id": "ops", "default.api.timeout.ms": "2500",
            "retry.backoff.max.ms": "300", "request.timeout.ms": "1000",
        ])
        #expect(config.client.bootstrapServers.map(\.description) == ["a:9092", "b:9093"])
        #expect(config.client.clientID == "ops")
        #expect(config.defaultApiTimeout == .milliseconds(2500))
        #expect(config.retryBackoffMax == .milliseconds(300))
        #expect(config.client.requestTimeout == .seconds(1))
        #expect(try AdminConfig(bootstrapServers: "a:1").defaultApiTimeout == .seconds(60))
    }

    @Test(arguments: [
        (["bootstrap.servers": "a:1", "default.api.timeout.msx": "5"], "default.api.timeout.msx"),
        (["bootstrap.servers": "a:1", "acks": "all"], "acks"),
        (["bootstrap.servers": "a:1", "default.api.timeout.ms": "soon"], "default.api.timeout.ms"),
        (["bootstrap.servers": "a:1", "default.api.timeout.ms": "0"], "default.api.timeout.ms"),
        (["bootstrap.servers": "a:1", "retry.backoff.max.ms": "-1"], "retry.backoff.max.ms"),
        (["bootstrap.servers": "a:1", "request.timeout.ms": "x"], "request.timeout.ms"),
        (["default.api.timeout.ms": "100"], "bootstrap.servers"),
    ])
    func rejectsUnknownAndInvalidProperties(properties: [String: String], named: String) {
        let error = #expect(throws: KafkaClientError.self) { try AdminConfig(properties: properties) }
        #expect(error?.code == .invalidConfig)
        #expect(error?.message.contains(named) == true)
    }
}

@Suite struct AdminWireValueTests {
    @Test func offsetSpecsUseKafkasSentinelTimestamps() {
        #expect(OffsetSpec.earliest.wireTimestamp == -2)
        #expect(OffsetSpec.latest.wireTimestamp == -1)
        #expect(OffsetSpec.maxTimestamp.wireTimestamp == -3)
        #expect(OffsetSpec.timestamp(1_700_000_000_123).wireTimestamp == 1_700_000_000_123)
    }

    @Test func alterConfigOpsUseKafkasOperationCodes() {
        #expect(AlterConfigOp.set("a", "1").operation == 0)
        #expect(AlterConfigOp.delete("a").operation == 1)
        #expect(AlterConfigOp.delete("a").value == nil)
        #expect(AlterConfigOp.append("a", "x").operation == 2)
        #expect(AlterConfigOp.subtract("a", "x").operation == 3)
        #expect(ConfigResource.topic("t").resourceType == 2)
        #expect(ConfigResource.broker(3).resourceType == 4)
        #expect(ConfigResource.broker(3).resourceName == "3")
    }

    @Test func configEntriesTakeSourceAndDefaultFromTheVersion() {
        typealias Result = DescribeConfigsResponse.DescribeConfigsResourceResult
        let set = Result(
            name: "cleanup.policy", value: "compact", readOnly: false, isDefault: false, configSource: 1, isSensitive: false)
        let v1 = ConfigEntry(set, version: 1)
        #expect(v1.source == .dynamicTopicConfig && !v1.isDefault && v1.value == "compact")
        let fallback = ConfigEntry(
            Result(name: "retention.ms", value: "604800000", readOnly: false, configSource: 5, isSensitive: false), version: 3)
        #expect(fallback.source == .defaultConfig && fallback.isDefault)
        let v0 = ConfigEntry(
            Result(name: "retention.ms", value: "1", readOnly: true, isDefault: true, isSensitive: true), version: 0)
        #expect(v0.source == .defaultConfig && v0.isDefault && v0.isReadOnly && v0.isSensitive)
        #expect(ConfigEntry(Result(name: "x", value: nil, isDefault: false), version: 0).source == .unknown)
    }
}
