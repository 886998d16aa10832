import Testing

@testable import KafkaStreams

/// ``HighAvailabilityTaskAssignor`` directly: warm-ups versus standbys.
@Suite("Assignment: placement of warm-ups and standbys")
struct AssignmentPlacementTests {
    let stateful = tasks(0, 1)

    @Test("without standbys, the instance a task should move to gets a warm-up")
    func warmup() {
        let a = ClientState(
            processID: process(1), capacity: 1, previousActive: tasks(0, 1), lags: [task(0, 0): 0, task(0, 1): 0])
        let b = ClientState(processID: process(2), capacity: 1)
        let placement = HighAvailabilityTaskAssignor(numStandbyReplicas: 0).assign(
            tasks: stateful.sorted(), stateful: stateful, clients: [b, a])
        #expect(placement.active[process(1)] == tasks(0, 1))
        #expect(placement.warmups[process(2)] == tasks(1))
        #expect(placement.standby[process(2)] == [])
        #expect(placement.probingRebalanceNeeded)
    }

    @Test("with a standby on the caught-up instance, it swaps: the active stays, the standby moves, no warm-up")
    func standbySwap() {
        let a = ClientState(
            processID: process(1), capacity: 1, previousActive: tasks(0, 1), lags: [task(0, 0): 0, task(0, 1): 0])
        let b = ClientState(processID: process(2), capacity: 1)
        let placement = HighAvailabilityTaskAssignor(numStandbyReplicas: 1).assign(
            tasks: stateful.sorted(), stateful: stateful, clients: [a, b])
        #expect(placement.active[process(1)] == tasks(0, 1))
        #expect(placement.standby[process(2)] == tasks(0, 1))
        #expect(placement.standby[process(1)] == [])
        #expect(placement.warmups[process(2)] == [])
        #expect(placement.probingRebalanceNeeded)
    }

    @Test("caught up within acceptableRecoveryLag counts as caught up")
    func acceptableLag() {
        let a = ClientState(
            processID: process(1), capacity: 1, previousActive: tasks(0, 1), lags: [task(0, 0): 0, task(0, 1): 0])
        let b = ClientState(processID: process(2), capacity: 1, lags: [task(0, 1): 500])
        let strict = HighAvailabilityTaskAssignor(numStandbyReplicas: 0, acceptableRecoveryLag: 100)
            .assign(tasks: stateful.sorted(), stateful: stateful, clients: [a, b])
        #expect(strict.active[process(2)] == [])
        let lenient = HighAvailabilityTaskAssignor(numStandbyReplicas: 0, acceptableRecoveryLag: 500)
            .assign(tasks: stateful.sorted(), stateful: stateful, clients: [a, b])
        #expect(lenient.active[process(2)] == tasks(1))
        #expect(!lenient.probingRebalanceNeeded)
    }
}
