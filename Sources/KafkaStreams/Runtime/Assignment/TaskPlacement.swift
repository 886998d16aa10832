#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The output of ``HighAvailabilityTaskAssignor``: which instance runs which task.
package struct TaskPlacement: Sendable, Hashable {
    /// Process id → its active tasks.
    package var active: [UUID: Set<TaskId>] = [:]
    /// Process id → its standby tasks (replicas kept warm for fail-over), warm-ups not included.
    package var standby: [UUID: Set<TaskId>] = [:]
    /// Process id → its warm-up tasks: extra standbys on the instance a task should move to
    /// once that instance has caught up.
    package var warmups: [UUID: Set<TaskId>] = [:]
    /// Whether some task was kept away from where balance wants it (a warm-up, or one waiting
    /// for the warm-up budget): the members should rebalance again after the probing interval.
    package var probingRebalanceNeeded = false

    /// Creates an empty placement.
    package init() {}

    /// The standby tasks and warm-ups of `processID` together (what the instance restores).
    package func allStandby(of processID: UUID) -> Set<TaskId> {
        (standby[processID] ?? []).union(warmups[processID] ?? [])
    }
}
