#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// One instance of the application (a process with one consumer per stream thread) as the
/// group leader sees it: the input of ``HighAvailabilityTaskAssignor``.
package struct ClientState: Sendable, Hashable {
    /// The instance's id.
    package var processID: UUID
    /// Its number of stream threads (group members): how many tasks it can run relative to others.
    package var capacity: Int
    /// The active tasks its threads ran before the rebalance.
    package var previousActive: Set<TaskId>
    /// The standby tasks its threads kept before the rebalance.
    package var previousStandby: Set<TaskId>
    /// How far behind the changelog end its local state of each task is (0: running active
    /// or fully restored). A stateful task without an entry has no local state (unknown lag).
    package var lags: [TaskId: Int64]

    /// Creates a client.
    package init(
        processID: UUID, capacity: Int, previousActive: Set<TaskId> = [], previousStandby: Set<TaskId> = [],
        lags: [TaskId: Int64] = [:]
    ) {
        self.processID = processID
        self.capacity = capacity
        self.previousActive = previousActive
        self.previousStandby = previousStandby
        self.lags = lags
    }
}
