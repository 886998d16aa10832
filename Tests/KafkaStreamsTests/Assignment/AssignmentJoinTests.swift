import KafkaClient
import Testing

@testable import KafkaStreams

/// State-aware placement when an instance joins a running stateful application.
@Suite("Assignment: a client joins a stateful application")
struct AssignmentJoinTests {
    @Test("the new client gets warm-ups for the tasks it should take; the actives stay until it catches up")
    func joinWithWarmups() async throws {
        let running = SubscriptionInfo.runningActive
        let aTasks = tasks(0, 1, 2, 3)
        let bTasks = tasks(4, 5, 6, 7)
        let members = [
            TestMember(
                "a", process: 1, active: aTasks, offsetSums: Dictionary(uniqueKeysWithValues: aTasks.map { ($0, running) })),
            TestMember(
                "b", process: 2, active: bTasks, offsetSums: Dictionary(uniqueKeysWithValues: bTasks.map { ($0, running) })),
            TestMember("c", process: 3),
        ]
        let result = try await rebalance(members, layout: statefulLayout())
        #expect(result.active("a") == aTasks)
        #expect(result.active("b") == bTasks)
        #expect(result.active("c") == [])
        #expect(result.standby("c") == tasks(3, 7))
        #expect(result.followups == [600_000])
    }

    @Test("with unknown lags, a previous standby keeps its standby")
    func stickyStandby() async throws {
        let members = [
            TestMember("a", process: 1, active: tasks(0)), TestMember("b", process: 2),
            TestMember("c", process: 3, standby: tasks(0)),
        ]
        let result = try await rebalance(members, layout: statefulLayout(), partitions: 1, numStandbyReplicas: 1)
        #expect(result.active("a") == tasks(0))
        #expect(result.standby("c") == tasks(0))
        #expect(result.standby("b") == [])
    }
}
