import KafkaClient
import Testing

@testable import KafkaStreams

/// Invariants over many generated groups (a fixed-seed generator, so failures reproduce).
@Suite("Assignment: invariants over generated groups")
struct AssignmentPropertyTests {
    /// A small deterministic generator (64-bit LCG).
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state
        }
    }

    @Test("every task runs exactly once, balanced by threads, standbys never beside their active")
    func invariants() async throws {
        var random = Generator(state: 42)
        for round in 0..<150 {
            let stateful = round % 2 == 1
            let clientCount = Int.random(in: 1...5, using: &random)
            let partitions = Int32.random(in: 1...20, using: &random)
            var members: [TestMember] = []
            var threads: [Int: Int] = [:]
            for client in 1...clientCount {
                threads[client] = Int.random(in: 1...3, using: &random)
                for thread in 0..<threads[client]! {
                    let owned = Set(
                        (0..<partitions).filter { _ in Int.random(in: 0..<4, using: &random) == 0 }.map { task(0, $0) })
                    let sums =
                        stateful ? Dictionary(uniqueKeysWithValues: owned.map { ($0, SubscriptionInfo.runningActive) }) : [:]
                    members.append(TestMember("c\(client)-t\(thread)", process: client, active: owned, offsetSums: sums))
                }
            }
            let result = try await rebalance(
                members, layout: stateful ? statefulLayout() : statelessLayout(), partitions: partitions,
                numStandbyReplicas: stateful ? 1 : 0)
            let assigned = members.flatMap { result.infos[$0.id]!.activeTasks.keys }
            #expect(assigned.count == Int(partitions), "round \(round)")
            #expect(Set(assigned).count == Int(partitions), "round \(round)")
            for client in 1...clientCount {
                let prefix = "c\(client)-"
                #expect(result.active(prefix).isDisjoint(with: result.standby(prefix)), "round \(round)")
                let perThread = members.filter { $0.id.hasPrefix(prefix) }.map { result.infos[$0.id]!.activeTasks.count }
                #expect(perThread.max()! - perThread.min()! <= 1, "round \(round)")
                if !stateful {
                    let total = threads.values.reduce(0, +)
                    let floor = Int(partitions) * threads[client]! / total
                    #expect((floor...(floor + 1)).contains(result.active(prefix).count), "round \(round)")
                }
            }
            let allPartitions = members.flatMap { result.partitions[$0.id]! }
            #expect(Set(allPartitions).count == allPartitions.count, "round \(round)")
        }
    }
}
