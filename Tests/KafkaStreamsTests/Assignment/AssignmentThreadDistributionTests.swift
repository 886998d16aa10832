import Testing

@testable import KafkaStreams

/// Spreading an instance's tasks over its threads.
@Suite("Assignment: tasks over threads")
struct AssignmentThreadDistributionTests {
    @Test("even split, sticky where balance allows")
    func sticky() {
        let result = MemberTaskDistributor.distribute(
            tasks(0, 1, 2, 3), over: ["m1", "m2"], previous: ["m1": tasks(0, 1, 2), "m2": []])
        #expect(result == ["m1": [task(0, 0), task(0, 1)], "m2": [task(0, 2), task(0, 3)]])
    }

    @Test("sticky owners leaving a gap of two are rebalanced")
    func gap() {
        let result = MemberTaskDistributor.distribute(
            tasks(0, 1, 2, 3), over: ["m1", "m2", "m3"], previous: ["m1": tasks(0, 1), "m2": tasks(2, 3)])
        #expect(result.values.map(\.count).sorted() == [1, 1, 2])
        #expect(Set(result.values.joined()) == tasks(0, 1, 2, 3))
        #expect(result["m1"]!.first == task(0, 0) && result["m2"]!.first == task(0, 2))
    }

    @Test("fewer tasks than threads: some threads get none")
    func fewTasks() {
        let result = MemberTaskDistributor.distribute(tasks(5), over: ["m1", "m2"], previous: ["m2": tasks(5)])
        #expect(result == ["m1": [], "m2": [task(0, 5)]])
    }
}
