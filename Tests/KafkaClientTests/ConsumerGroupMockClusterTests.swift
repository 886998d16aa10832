import Foundation
import KafkaClient
import KafkaProtocol
import NIOCore
import Synchronization
import Testing

/// Consumer groups against librdkafka's 3-broker mock cluster: members splitting
/// partitions, rebalancing as members join and leave, every record consumed once when
/// offsets are committed on revocation; injected group errors; a coordinator that moves;
/// a librdkafka member in the same group.
@Suite(.serialized) struct ConsumerGroupMockClusterTests {
    /// A group member that processes records and commits them before its partitions go.
    final class Member: Sendable {
        let consumer: KafkaConsumer
        let seen = LockedList()
        let events = LockedList()
        /// Consumed since the last commit that succeeded.
        let pending = LockedList()
        /// Consumed, but their commit was refused (the mock refuses commits while the group
        /// rebalances): another member may consume them again.
        let refused = LockedList()

        init(_ bootstrap: String, group: String, topic: String, configure: (inout ConsumerConfig) -> Void = { _ in })
            async throws
        {
            consumer = try KafkaConsumer(config: consumerConfig(bootstrap, group: group, configure))
            let consumer = self.consumer
            let events = self.events
            let pending = self.pending
            let refused = self.refused
            try await consumer.subscribe(
                topics: [topic],
                listener: RebalanceListener(
                    onAssigned: { partitions in events.append("assigned \(partitions.map(\.partition).sorted())") },
                    onRevoked: { partitions in
                        events.append("revoked \(partitions.map(\.partition).sorted())")
                        do {
                            try await consumer.commitSync()
                        } catch let error as KafkaClientError where error.code == .rebalance {
                            events.append("commit failed: rebalance")
                            refused.append(contentsOf: pending.values)
                        }
                        pending.removeAll()
                    },
                    onLost: { partitions in
                        events.append("lost \(partitions.map(\.partition).sorted())")
                        refused.append(contentsOf: pending.values)
                        pending.removeAll()
                    }))
        }

        /// Polls for `duration`, committing after each batch.
        func run(for duration: Duration) async throws {
            let end = ContinuousClock.now + duration
            while ContinuousClock.now < end {
                let records: [ConsumerRecord]
                do {
                    records = try await consumer.poll(timeout: .milliseconds(100))
                } catch let error as KafkaError where error.code == .invalidRequest && error.api == "SyncGroup" {
                    // The mock sometimes answers a SyncGroup that races with the next
                    // rebalance with INVALID_REQUEST (not a Kafka answer); like Java, poll
                    // throws it, and the next poll rejoins.
                    events.append("SyncGroup INVALID_REQUEST")
                    continue
                }
                let values = records.map { String(buffer: $0.value!) }
                seen.append(contentsOf: values)
                pending.append(contentsOf: values)
                if records.isEmpty { continue }
                do {
                    try await consumer.commitSync()
                    pending.removeAll()
                } catch let error as KafkaClientError where error.code == .rebalance {
                    // The group is rebalancing: the next poll rejoins (revoking, which commits).
                    continue
                }
            }
        }

        var assignment: Set<Int32> { get async { Set(await consumer.assignment.map(\.partition)) } }
    }

    /// A 3-broker mock ready for groups: no initial rebalance delay, and JoinGroup and
    /// LeaveGroup capped at the versions it implements correctly (librdkafka 2.16's mock
    /// advertises JoinGroup v6 but closes the connection on a v6 request, and answers
    /// LeaveGroup v3+ with a null member array, which the protocol does not allow).
    func groupMock() throws -> MockCluster {
        let mock = try MockCluster(brokers: 3)
        try mock.command("group-rebalance-delay 0")
        try mock.command("apiversion JoinGroup 0 5")
        try mock.command("apiversion LeaveGroup 0 2")
        return mock
    }

    /// Runs `members` together in 6 s rounds until `done` holds, at most 5 rounds.
    ///
    /// A round's end is not in step with the mock's rebalances: each completes about 5 s
    /// after it starts (when no member is missing), and a cooperative one takes two, the
    /// second started when the first ends. A member whose round ends before it has seen
    /// the second one start (its next heartbeat) is left out of it, and only rejoins when it
    /// polls again: in the next round.
    func runRounds(_ members: [Member], until done: () async -> Bool) async throws {
        for _ in 0..<5 {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for member in members { group.addTask { try await member.run(for: .seconds(6)) } }
                try await group.waitForAll()
            }
            if await done() { return }
        }
    }

    func values(_ partitions: Int32, _ range: Range<Int>) -> [String] {
        (0..<partitions).flatMap { p in range.map { "p\(p)-\($0)" } }
    }

    func produceAll(_ mock: MockCluster, _ topic: String, partitions: Int32, _ range: Range<Int>) async throws {
        for p in 0..<partitions {
            try await produce(mock.addresses, topic: topic, partition: p, values: range.map { "p\(p)-\($0)" })
        }
    }

    @Test(arguments: ["range", "roundrobin", "cooperative-sticky"])
    func membersSplitPartitionsAndRebalanceExactlyOnce(strategy: String) async throws {
        let mock = try groupMock()
        defer { mock.stop() }
        try mock.command("create-topic events 6 3")
        try await produceAll(mock, "events", partitions: 6, 0..<20)
        let configure: (inout ConsumerConfig) -> Void = {
            $0.assignors = [ConsumerConfig.assignorForTests(strategy)]
        }
        let a = try await Member(mock.addresses, group: "g", topic: "events", configure: configure)
        let b = try await Member(mock.addresses, group: "g", topic: "events", configure: configure)
        // Two members: three partitions each, once both are in.
        try await runRounds([a, b]) {
            let (assignedA, assignedB) = (await a.assignment, await b.assignment)
            return assignedA.count == 3 && assignedB.count == 3
        }
        let (assignedA, assignedB) = (await a.assignment, await b.assignment)
        #expect(assignedA.count == 3 && assignedB.count == 3 && assignedA.isDisjoint(with: assignedB))

        // A third joins and more records arrive: a three-way split.
        let c = try await Member(mock.addresses, group: "g", topic: "events", configure: configure)
        try await produceAll(mock, "events", partitions: 6, 20..<30)
        try await runRounds([a, b, c]) {
            let split = [await a.assignment, await b.assignment, await c.assignment]
            return split.map(\.count) == [2, 2, 2]
        }
        let split = [await a.assignment, await b.assignment, await c.assignment]
        #expect(split.map(\.count) == [2, 2, 2])
        #expect(split[0].union(split[1]).union(split[2]).count == 6)

        // One leaves: the other two take its partitions.
        await c.consumer.close()
        try await produceAll(mock, "events", partitions: 6, 30..<40)
        // Until every record is consumed (6 s rounds, at most 5: a loaded machine is slow).
        for _ in 0..<5 {
            async let runA3: Void = a.run(for: .seconds(6))
            async let runB3: Void = b.run(for: .seconds(6))
            _ = try await (runA3, runB3)
            let all = Set(a.seen.values + b.seen.values + c.seen.values)
            if all.isSuperset(of: values(6, 0..<40)) { break }
        }
        #expect((await a.assignment).union(await b.assignment).count == 6)
        await a.consumer.close()
        await b.consumer.close()

        let consumed = a.seen.values + b.seen.values + c.seen.values
        let refused = Set(a.refused.values + b.refused.values + c.refused.values)
        var counts: [String: Int] = [:]
        for value in consumed { counts[value, default: 0] += 1 }
        let duplicates = Set(counts.filter { $0.value > 1 }.keys)
        #expect(Set(consumed) == Set(values(6, 0..<40)), "every record consumed")
        // Exactly once, except records whose commit the broker refused during a rebalance.
        #expect(
            duplicates.isSubset(of: refused),
            "duplicates not explained by refused commits: \(duplicates.subtracting(refused).sorted())")
        if strategy == "cooperative-sticky" {
            // Incremental: when c joined, a kept its other partitions and gained none.
            #expect(a.events.values.contains("assigned []"), "\(a.events.values)")
        }
    }

    @Test func injectedGroupErrorsAndACoordinatorMoveAreSurvived() async throws {
        let mock = try groupMock()
        defer { mock.stop() }
        try mock.command("create-topic events 4 3")
        try mock.command("coordinator group g2 1")
        try await produceAll(mock, "events", partitions: 4, 0..<10)
        // (Not JoinGroup, SyncGroup or FindCoordinator: the mock's error answers to those are
        // malformed, with a null protocol name, assignment or host, so a client can only
        // fail them as protocol violations.)
        try mock.command("push-errors OffsetFetch COORDINATOR_LOAD_IN_PROGRESS NOT_COORDINATOR")
        let a = try await Member(mock.addresses, group: "g2", topic: "events") { $0.sessionTimeout = .seconds(6) }
        try await a.run(for: .seconds(5))
        #expect(await a.assignment.count == 4)
        #expect(a.seen.values.count == 40)

        // Heartbeat errors: a rebalance (rejoin, same partitions) and a fenced generation
        // (partitions lost, then rejoined).
        try mock.command("push-errors Heartbeat REBALANCE_IN_PROGRESS")
        try await a.run(for: .seconds(2))
        try mock.command("push-errors Heartbeat ILLEGAL_GENERATION")
        try await a.run(for: .seconds(3))
        let events = a.events.values
        #expect(events.contains("lost [0, 1, 2, 3]"), "\(events)")
        #expect(events.last == "assigned [0, 1, 2, 3]", "\(events)")

        // The coordinator moves to another broker, and commits fail once with NOT_COORDINATOR.
        try mock.command("coordinator group g2 3")
        try mock.command("push-errors OffsetCommit NOT_COORDINATOR")
        try await produceAll(mock, "events", partitions: 4, 10..<15)
        try await a.run(for: .seconds(4))
        #expect(a.seen.values.count == 60)
        let committed = try await a.consumer.committed(Set((0..<4).map { TopicPartition("events", Int32($0)) }))
        #expect(committed.values.map(\.offset).sorted() == [15, 15, 15, 15])
        await a.consumer.close()
    }

    @Test func patternSubscriptionAsyncCommitAndUnsubscribe() async throws {
        let mock = try groupMock()
        defer { mock.stop() }
        try mock.command("create-topic pat-a 2 3")
        try mock.command("create-topic pat-b 1 3")
        try mock.command("create-topic other 1 3")
        try await produceAll(mock, "pat-a", partitions: 2, 0..<3)
        try await produceAll(mock, "pat-b", partitions: 1, 0..<3)
        try await produceAll(mock, "other", partitions: 1, 0..<3)
        let consumer = try KafkaConsumer(config: consumerConfig(mock.addresses, group: "gp"))
        try await consumer.subscribe(pattern: "pat-.*")
        let records = try await pollRecords(consumer, count: 9)
        #expect(Set(records.map(\.topic)) == ["pat-a", "pat-b"] && records.count == 9)
        #expect(
            await consumer.assignment == [TopicPartition("pat-a", 0), TopicPartition("pat-a", 1), TopicPartition("pat-b", 0)])
        #expect(await consumer.subscribedTopics == ["pat-a", "pat-b"])
        let done = LockedList()
        await consumer.commitAsync { offsets, error in
            done.append("\(offsets.count) \(error.map { "\($0)" } ?? "ok")")
        }
        let deadline = ContinuousClock.now + .seconds(10)
        while done.values.isEmpty && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        #expect(done.values == ["3 ok"])
        #expect(try await consumer.committed([TopicPartition("pat-b", 0)])[TopicPartition("pat-b", 0)]?.offset == 3)
        try await consumer.unsubscribe()
        #expect(await consumer.assignment.isEmpty)
        await #expect(throws: KafkaClientError.self) { _ = try await consumer.poll(timeout: .milliseconds(10)) }
        await #expect(throws: KafkaClientError.self) { try await consumer.subscribe(pattern: "([") }
        await consumer.close()
    }

    @Test func aMemberThatStopsPollingLeavesAndRejoinsWhenItPollsAgain() async throws {
        let mock = try groupMock()
        defer { mock.stop() }
        try mock.command("create-topic slow 2 3")
        try await produceAll(mock, "slow", partitions: 2, 0..<5)
        let slow = try await Member(mock.addresses, group: "gs", topic: "slow") { $0.maxPollInterval = .seconds(2) }
        let steady = try await Member(mock.addresses, group: "gs", topic: "slow")
        async let runSlow: Void = slow.run(for: .seconds(10))
        async let runSteady: Void = steady.run(for: .seconds(10))
        _ = try await (runSlow, runSteady)
        let (slowFirst, steadyFirst) = (await slow.assignment, await steady.assignment)
        #expect(slowFirst.count == 1 && steadyFirst.count == 1)
        // The slow member stops polling: after max.poll.interval.ms it leaves the group and
        // the steady member gets both partitions.
        try await steady.run(for: .seconds(12))
        #expect(await steady.assignment.count == 2)
        // It polls again: its partition was lost (not revoked), and it rejoins.
        async let again: Void = slow.run(for: .seconds(12))
        async let along: Void = steady.run(for: .seconds(12))
        _ = try await (again, along)
        #expect(slow.events.values.contains { $0.hasPrefix("lost") }, "\(slow.events.values)")
        let (slowAgain, steadyAgain) = (await slow.assignment, await steady.assignment)
        #expect(slowAgain.count == 1 && steadyAgain.count == 1)
        await slow.consumer.close()
        await steady.consumer.close()
    }

    @Test func swiftAndLibrdkafkaMembersShareAGroup() async throws {
        let mock = try groupMock()
        defer { mock.stop() }
        try mock.command("create-topic shared 4 3")
        try await produceAll(mock, "shared", partitions: 4, 0..<10)
        let rdkafka = try RdkafkaGroupMember(bootstrap: mock.addresses, topic: "shared", group: "mixed", idle: 10, timeout: 60)
        let swift = try await Member(mock.addresses, group: "mixed", topic: "shared")
        // Both join (the mock completes a rebalance after about a session timeout).
        let joined = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < joined {
            if await swift.assignment.count == 2 { break }
            try await swift.run(for: .seconds(1))
        }
        #expect(await swift.assignment.count == 2)
        try await produceAll(mock, "shared", partitions: 4, 10..<30)
        try await swift.run(for: .seconds(6))
        let events = rdkafka.finish()  // librdkafka stops 10 s after its last record, leaving the group
        try await swift.run(for: .seconds(8))  // its partitions come back to the Swift member
        await swift.consumer.close()
        let theirs = events.filter { $0["event"] as? String == "record" }.compactMap { $0["value"] as? String }
        let assignments = events.filter { $0["event"] as? String == "assigned" }.compactMap { $0["partitions"] as? [Int] }
        let ours = swift.seen.values
        #expect(assignments.contains { $0.count == 2 }, "librdkafka was assigned \(assignments)")
        #expect(!theirs.isEmpty && !ours.isEmpty, "librdkafka: \(events), swift: \(swift.events.values)")
        func twice(_ values: [String]) -> Set<String> {
            Set(Dictionary(grouping: values, by: { $0 }).filter { $0.value.count > 1 }.keys)
        }
        let context: Comment = """
            Swift read twice: \(twice(ours).sorted()), refused commits: \(swift.refused.values), \
            swift events: \(swift.events.values), librdkafka events: \(events.filter { $0["event"] as? String != "record" })
            """
        #expect(Set(ours + theirs) == Set(values(4, 0..<30)), "every record consumed")
        // Exactly once, except records whose commit the mock refused because a rebalance had
        // begun (Kafka accepts that commit; docs/client.md): their next owner reads them
        // again. librdkafka commits each record before it reads the next, and a refused
        // commit would end its script.
        let refused = Set(swift.refused.values)
        #expect(twice(theirs).isEmpty, "librdkafka read twice: \(twice(theirs).sorted())")
        #expect(twice(ours).isSubset(of: refused), context)
        #expect(Set(ours).intersection(theirs).isSubset(of: refused), context)
    }
}

/// A list shared between tasks.
final class LockedList: Sendable {
    private let storage = Mutex<[String]>([])
    func append(_ item: String) { storage.withLock { $0.append(item) } }
    func append(contentsOf items: [String]) { storage.withLock { $0 += items } }
    var values: [String] { storage.withLock { $0 } }
    func removeAll() { storage.withLock { $0.removeAll() } }
}

extension ConsumerConfig {
    /// The assignor for a `partition.assignment.strategy` name.
    static func assignorForTests(_ name: String) -> any PartitionAssignor {
        switch name {
        case "roundrobin": RoundRobinAssignor()
        case "cooperative-sticky": CooperativeStickyAssignor()
        default: RangeAssignor()
        }
    }
}
