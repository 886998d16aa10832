import KafkaClient
import Testing

@testable import KafkaStreams

/// State-aware placement: lags, warm-ups, probing rebalances and standbys.
@Suite("Assignment: state, warm-ups and standbys")
struct AssignmentStateTests {
    let running = SubscriptionInfo.runningActive

    @Test("a restarted client whose state is close to the end gets its tasks back at once")
    func restartedClientGetsItsTasksBack() async throws {
        let members = [
            TestMember("a", process: 1, offsetSums: [task(0, 0): 995, task(0, 1): 990]),
            TestMember(
                "b", process: 2, active: tasks(0, 1, 2, 3),
                offsetSums: [task(0, 0): running, task(0, 1): running, task(0, 2): running, task(0, 3): running]),
        ]
        let result = try await rebalance(members, layout: statefulLayout(), partitions: 4)
        #expect(result.active("a") == tasks(0, 1))
        #expect(result.active("b") == tasks(2, 3))
        #expect(result.followups == [-1])
    }

    @Test("a client without state gets warm-ups, the active stays; once caught up the next rebalance moves it")
    func warmupThenMove() async throws {
        let allRunning = Dictionary(uniqueKeysWithValues: tasks(0, 1, 2, 3).map { ($0, running) })
        let first = try await rebalance(
            [TestMember("a", process: 1, active: tasks(0, 1, 2, 3), offsetSums: allRunning), TestMember("b", process: 2)],
            layout: statefulLayout(), partitions: 4)
        #expect(first.active("a") == tasks(0, 1, 2, 3))
        #expect(first.active("b") == [])
        #expect(first.standby("b") == tasks(2, 3))
        #expect(first.infos["b"]!.standbyTasks[task(0, 2)] == [KafkaClient.TopicPartition("app-store-changelog", 2)])
        #expect(first.followups == [600_000])

        // Still far behind (lag 50 000 > 10 000): nothing moves, warm-ups continue.
        let behind = try await rebalance(
            [
                TestMember("a", process: 1, active: tasks(0, 1, 2, 3), offsetSums: allRunning),
                TestMember("b", process: 2, standby: tasks(2, 3), offsetSums: [task(0, 2): 10_000, task(0, 3): 10_000]),
            ],
            layout: statefulLayout(), partitions: 4, endOffset: 60_000)
        #expect(behind.active("a") == tasks(0, 1, 2, 3))
        #expect(behind.standby("b") == tasks(2, 3))
        #expect(behind.followups == [600_000])

        // Caught up (lag 10): the probing rebalance moves the two tasks.
        let second = try await rebalance(
            [
                TestMember("a", process: 1, active: tasks(0, 1, 2, 3), offsetSums: allRunning),
                TestMember("b", process: 2, standby: tasks(2, 3), offsetSums: [task(0, 2): 990, task(0, 3): 990]),
            ],
            layout: statefulLayout(), partitions: 4)
        #expect(second.active("a") == tasks(0, 1))
        #expect(second.active("b") == tasks(2, 3))
        #expect(second.standby("b") == [])
        #expect(second.followups == [-1])
    }

    @Test("at most maxWarmupReplicas warm-ups per rebalance; a probing rebalance is still scheduled")
    func warmupBudget() async throws {
        let allRunning = Dictionary(uniqueKeysWithValues: tasks(0, 1, 2, 3).map { ($0, running) })
        let result = try await rebalance(
            [TestMember("a", process: 1, active: tasks(0, 1, 2, 3), offsetSums: allRunning), TestMember("b", process: 2)],
            layout: statefulLayout(), partitions: 4, maxWarmupReplicas: 1)
        #expect(result.active("a") == tasks(0, 1, 2, 3))
        #expect(result.standby("b") == tasks(2))
        #expect(result.followups == [600_000])
    }

    @Test("a new application: no caught-up client, tasks balanced at once, no probing")
    func newApplication() async throws {
        let result = try await rebalance(
            [TestMember("a", process: 1), TestMember("b", process: 2)], layout: statefulLayout(), partitions: 4)
        #expect(result.active("a") == tasks(0, 2))
        #expect(result.active("b") == tasks(1, 3))
        #expect(result.followups == [-1])
    }

    @Test("standbys: one per stateful task, on another client, spread evenly")
    func standbys() async throws {
        let members = [TestMember("a", process: 1), TestMember("b", process: 2), TestMember("c", process: 3)]
        let result = try await rebalance(members, layout: statefulLayout(), partitions: 6, numStandbyReplicas: 1)
        #expect(result.active("a") == tasks(0, 3))
        #expect(result.active("b") == tasks(1, 4))
        #expect(result.active("c") == tasks(2, 5))
        #expect(result.standby("a") == tasks(1, 2))
        #expect(result.standby("b") == tasks(0, 5))
        #expect(result.standby("c") == tasks(3, 4))
        #expect(result.infos["a"]!.standbyTasks[task(0, 1)] == [KafkaClient.TopicPartition("app-store-changelog", 1)])
    }

    @Test("standbys go to the client with the least lag, and are skipped without enough clients")
    func standbyPlacement() async throws {
        let members = [
            TestMember("a", process: 1), TestMember("b", process: 2),
            TestMember("c", process: 3, standby: tasks(0), offsetSums: [task(0, 0): 999]),
        ]
        let result = try await rebalance(members, layout: statefulLayout(), partitions: 1, numStandbyReplicas: 1)
        #expect(result.active("c") == tasks(0))  // the only caught-up client
        #expect(result.standby("a") == tasks(0))  // then by process id among equal lags
        let two = try await rebalance(
            [TestMember("a", process: 1), TestMember("b", process: 2)], layout: statefulLayout(), partitions: 2,
            numStandbyReplicas: 2)
        #expect(two.standby("a") == tasks(1))
        #expect(two.standby("b") == tasks(0))
    }

    @Test("stateless tasks get no standbys or warm-ups")
    func statelessNoStandbys() async throws {
        let result = try await rebalance(
            [TestMember("a", process: 1, active: tasks(0, 1, 2, 3)), TestMember("b", process: 2)], layout: statelessLayout(),
            partitions: 4, numStandbyReplicas: 1)
        #expect(result.active("a") == tasks(0, 1))
        #expect(result.active("b") == tasks(2, 3))
        #expect(result.standby("a").isEmpty && result.standby("b").isEmpty)
        #expect(result.followups == [-1])
    }
}
