/// What one stream thread reports in its subscription (the runtime supplies it through
/// ``StreamsAssignor``'s `localState` closure before every rebalance).
package struct LocalTaskState: Sendable, Hashable {
    /// The active tasks this thread ran before the rebalance (eager: before revoking them).
    package var activeTasks: Set<TaskId>
    /// The standby tasks this thread kept before the rebalance.
    package var standbyTasks: Set<TaskId>
    /// For every task with local state in the instance: the sum of its checkpointed changelog
    /// offsets, or ``SubscriptionInfo/runningActive`` for an active task that is running
    /// (caught up by definition).
    package var taskOffsetSums: [TaskId: Int64]
    /// An error to send to the leader (``AssignmentInfo/ErrorCode``): `shutdownRequested`
    /// shuts the whole application down; 0 normally.
    package var errorCode: Int32

    /// Creates a report.
    package init(
        activeTasks: Set<TaskId> = [], standbyTasks: Set<TaskId> = [], taskOffsetSums: [TaskId: Int64] = [:],
        errorCode: Int32 = 0
    ) {
        self.activeTasks = activeTasks
        self.standbyTasks = standbyTasks
        self.taskOffsetSums = taskOffsetSums
        self.errorCode = errorCode
    }
}
