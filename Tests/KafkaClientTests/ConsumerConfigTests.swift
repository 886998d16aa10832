import Testing

@testable import KafkaClient

@Suite("ConsumerConfig")
struct ConsumerConfigTests {
    @Test("Kafka property names map to fields")
    func properties() throws {
        let config = try ConsumerConfig(properties: [
            "bootstrap.servers": "localhost:9092", "group.id": "g", "group.instance.id": "i", "auto.offset.reset": "earliest",
            "enable.auto.commit": "false", "fetch.min.bytes": "10", "fetch.max.wait.ms": "50", "max.poll.records": "7",
            "isolation.level": "read_committed", "check.crcs": "false",
            "partition.assignment.strategy": "roundrobin,cooperative-sticky", "session.timeout.ms": "10000",
            "heartbeat.interval.ms": "1000",
        ])
        #expect(config.groupID == "g" && config.groupInstanceID == "i")
        #expect(config.autoOffsetReset == .earliest && !config.enableAutoCommit)
        #expect(config.fetchMinBytes == 10 && config.fetchMaxWait == .milliseconds(50) && config.maxPollRecords == 7)
        #expect(config.isolationLevel == .readCommitted && !config.checkCRCs)
        #expect(config.assignors.map(\.name) == ["roundrobin", "cooperative-sticky"])
    }

    @Test("unknown names, bad values and conflicts are rejected naming the property")
    func rejections() {
        func message(_ properties: [String: String]) -> String? {
            do {
                _ = try ConsumerConfig(properties: properties)
                return nil
            } catch let error as KafkaClientError {
                return error.message
            } catch {
                return "\(error)"
            }
        }
        let base = ["bootstrap.servers": "localhost:9092"]
        #expect(message(base.merging(["fetch.min.byte": "1"]) { $1 })?.contains("fetch.min.byte") == true)
        #expect(message(base.merging(["auto.offset.reset": "smallest"]) { $1 })?.contains("auto.offset.reset") == true)
        #expect(message(base.merging(["partition.assignment.strategy": "sticky"]) { $1 })?.contains("sticky") == true)
        #expect(message(base.merging(["enable.auto.commit": "true"]) { $1 })?.contains("group.id") == true)
        #expect(
            message(base.merging(["group.id": "g", "heartbeat.interval.ms": "5000", "session.timeout.ms": "5000"]) { $1 })?
                .contains("heartbeat.interval.ms") == true)
        #expect(message(base) == nil)
    }

    @Test("without a group.id, auto-commit is off by default; with one, on")
    func autoCommitDefault() throws {
        #expect(try !ConsumerConfig(properties: ["bootstrap.servers": "h:1"]).enableAutoCommit)
        #expect(try ConsumerConfig(properties: ["bootstrap.servers": "h:1", "group.id": "g"]).enableAutoCommit)
    }
}
