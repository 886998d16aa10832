import Foundation
import KafkaClient
import KafkaTestSupport
import Testing

/// `kstreams topics`, `lag`, `describe` and bad input, run as a process against the
/// embedded broker in this test process.
@Suite(.serialized)
struct TopicsAndLagTests {
    @Test func createsListsAndDescribesTopics() async throws {
        let broker = try await ToolBroker.start()
        defer { Task { await broker.stop() } }
        let created = try await kstreams(
            "topics", "create", "orders", "--partitions", "3", "--config", "cleanup.policy=compact",
            "--bootstrap-servers", broker.bootstrap)
        #expect(created.contains("created topic orders"))
        let listed = try await kstreams("topics", "list", "--bootstrap-servers", broker.bootstrap)
        #expect(listed.split(separator: "\n").contains("orders"))
        let described = try await kstreams("topics", "describe", "orders", "--bootstrap-servers", broker.bootstrap)
        #expect(described.contains("Topic: orders\tPartitions: 3"))
        #expect(described.contains("cleanup.policy=compact"))
        #expect(described.contains("Partition: 2"))
    }

    @Test func printsLagPerPartition() async throws {
        let broker = try await ToolBroker.start()
        defer { Task { await broker.stop() } }
        try await broker.createTopics(["events": 1])
        try await broker.produce("events", (0..<10).map { "event \($0)" })
        try await broker.withAdmin { admin in
            try await admin.alterConsumerGroupOffsets("lagging", [TopicPartition("events", 0): OffsetAndMetadata(4)])
        }
        let output = try await kstreams("lag", "--application-id", "lagging", "--bootstrap-servers", broker.bootstrap)
        let row = output.split(separator: "\n").first { $0.hasPrefix("events") }
        #expect(row?.split(separator: " ").map(String.init) == ["events", "0", "4", "10", "6"])
        #expect(output.contains("total lag: 6"))
    }

    @Test func describesTheExamples() async throws {
        let text = try await kstreams("describe", "--example", "wordcount")
        #expect(text.contains("Sub-topology: 0"))
        #expect(text.contains("counts-store"))
        let mermaid = try await kstreams("describe", "--example", "fraud", "--mermaid")
        #expect(mermaid.hasPrefix("flowchart TD"))
        let clickstream = try await kstreams("describe", "--example", "clickstream")
        #expect(clickstream.contains("page-views"))
    }

    @Test func rejectsBadInputNamingTheOption() async throws {
        let example = await #expect(throws: PeerFailure.self) { try await kstreams("describe", "--example", "nope") }
        #expect(example?.description.contains("--example") == true)
        #expect(example?.description.contains("wordcount") == true)
        let partitions = await #expect(throws: PeerFailure.self) {
            try await kstreams("topics", "create", "t", "--partitions", "0", "--bootstrap-servers", "localhost:9092")
        }
        #expect(partitions?.description.contains("--partitions") == true)
        let embedded = await #expect(throws: PeerFailure.self) {
            try await kstreams("lag", "--application-id", "a", "--bootstrap-servers", "embedded")
        }
        #expect(embedded?.description.contains("--state-dir") == true)
        let targets = await #expect(throws: PeerFailure.self) {
            try await kstreams("reset", "--application-id", "a", "--to-earliest", "--to-latest", "--bootstrap-servers", "localhost:1")
        }
        #expect(targets?.description.contains("--to-latest") == true)
    }
}
