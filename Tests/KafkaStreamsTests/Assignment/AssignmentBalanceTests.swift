import KafkaClient
import Testing

@testable import KafkaStreams

/// Balance and stickiness of stateless tasks.
@Suite("Assignment: balance and stickiness")
struct AssignmentBalanceTests {
    @Test("8 tasks over 2 clients of 1 thread: 4 each, interleaved")
    func twoClients() async throws {
        let result = try await rebalance([TestMember("a", process: 1), TestMember("b", process: 2)], layout: statelessLayout())
        #expect(result.active("a") == tasks(0, 2, 4, 6))
        #expect(result.active("b") == tasks(1, 3, 5, 7))
        #expect(result.partitions["a"] == [0, 2, 4, 6].map { KafkaClient.TopicPartition("in", $0) })
        #expect(result.followups == [-1])
    }

    @Test("8 tasks over 3 clients: 3, 3, 2")
    func threeClients() async throws {
        let members = [TestMember("a", process: 1), TestMember("b", process: 2), TestMember("c", process: 3)]
        let result = try await rebalance(members, layout: statelessLayout())
        #expect(result.active("a") == tasks(0, 3, 6))
        #expect(result.active("b") == tasks(1, 4, 7))
        #expect(result.active("c") == tasks(2, 5))
    }

    @Test("the same input gives the same assignment (stable)")
    func stable() async throws {
        let first = try await rebalance([TestMember("a", process: 1), TestMember("b", process: 2)], layout: statelessLayout())
        let again = try await rebalance(
            [TestMember("a", process: 1, active: first.active("a")), TestMember("b", process: 2, active: first.active("b"))],
            layout: statelessLayout())
        #expect(again.active("a") == first.active("a"))
        #expect(again.active("b") == first.active("b"))
    }

    @Test("a third client joining takes only the tasks it must (2), the others keep theirs")
    func thirdClientJoins() async throws {
        let members = [
            TestMember("a", process: 1, active: tasks(0, 2, 4, 6)), TestMember("b", process: 2, active: tasks(1, 3, 5, 7)),
            TestMember("c", process: 3),
        ]
        let result = try await rebalance(members, layout: statelessLayout())
        #expect(result.active("a") == tasks(0, 2, 4))
        #expect(result.active("b") == tasks(1, 3, 5))
        #expect(result.active("c") == tasks(6, 7))
    }

    @Test("a client leaving: its tasks are spread, the others keep theirs")
    func clientLeaves() async throws {
        let members = [TestMember("a", process: 1, active: tasks(0, 3, 6)), TestMember("b", process: 2, active: tasks(1, 4, 7))]
        let result = try await rebalance(members, layout: statelessLayout())
        #expect(result.active("a") == tasks(0, 2, 3, 6))
        #expect(result.active("b") == tasks(1, 4, 5, 7))
    }

    @Test("threads: a client with 2 threads gets twice the tasks, split evenly over its threads")
    func threadsWeighTheShare() async throws {
        let members = [TestMember("a1", process: 1), TestMember("a2", process: 1), TestMember("b", process: 2)]
        let result = try await rebalance(members, layout: statelessLayout(), partitions: 6)
        #expect(result.active("a").count == 4)
        #expect(result.active("b").count == 2)
        #expect(result.infos["a1"]!.activeTasks.count == 2)
        #expect(result.infos["a2"]!.activeTasks.count == 2)
        #expect(result.active("a1").isDisjoint(with: result.active("a2")))
    }

    @Test("a thread keeps the tasks it had when the instance's share does not change")
    func threadStickiness() async throws {
        let members = [TestMember("a1", process: 1, active: tasks(1, 3)), TestMember("a2", process: 1, active: tasks(0, 2))]
        let result = try await rebalance(members, layout: statelessLayout(), partitions: 4)
        #expect(result.active("a1") == tasks(1, 3))
        #expect(result.active("a2") == tasks(0, 2))
    }

    @Test("co-partitioned sub-topology: tasks 0...3, each with both topics' partition")
    func copartitioned() async throws {
        let layout = TaskLayout(sourceTopics: [0: ["left", "right"]])
        let result = try await rebalance(
            [TestMember("a", process: 1), TestMember("b", process: 2)], layout: layout, partitions: 4)
        #expect(result.active("a") == tasks(0, 2))
        #expect(result.active("b") == tasks(1, 3))
        #expect(
            result.infos["a"]!.activeTasks[task(0, 2)] == [
                KafkaClient.TopicPartition("left", 2), KafkaClient.TopicPartition("right", 2),
            ])
        #expect(
            result.partitions["b"] == [
                KafkaClient.TopicPartition("left", 1), KafkaClient.TopicPartition("left", 3),
                KafkaClient.TopicPartition("right", 1), KafkaClient.TopicPartition("right", 3),
            ])
    }

    @Test("partitionsByHost routes every active partition to its instance's application.server")
    func partitionsByHost() async throws {
        let members = [TestMember("a", process: 1, host: "a:1"), TestMember("b", process: 2, host: "b:1")]
        let result = try await rebalance(members, layout: statelessLayout(), partitions: 2)
        let expected = ["a:1": [KafkaClient.TopicPartition("in", 0)], "b:1": [KafkaClient.TopicPartition("in", 1)]]
        #expect(result.infos["a"]!.partitionsByHost == expected)
        #expect(result.infos["b"]!.partitionsByHost == expected)
    }
}
