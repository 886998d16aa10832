/// The state of one stream thread (Kafka Streams' `StreamThread.State`).
public enum ThreadState: String, Sendable, Hashable, CustomStringConvertible {
    /// Created, not started.
    case created = "CREATED"
    /// Starting: clients initializing, global stores bootstrapping.
    case starting = "STARTING"
    /// Partitions were revoked; a rebalance is under way.
    case partitionsRevoked = "PARTITIONS_REVOKED"
    /// Partitions were assigned; tasks are being created and restored.
    case partitionsAssigned = "PARTITIONS_ASSIGNED"
    /// Processing.
    case running = "RUNNING"
    /// Shutting down.
    case pendingShutdown = "PENDING_SHUTDOWN"
    /// Stopped.
    case dead = "DEAD"

    /// The raw value.
    public var description: String { rawValue }
}

/// What a stream thread runs, for ``StreamsApplication/localThreadsMetadata()``.
public struct ThreadMetadata: Sendable, Hashable {
    /// `<client.id>-StreamThread-<n>`.
    public var threadName: String
    /// The thread's state.
    public var threadState: ThreadState
    /// The active tasks.
    public var activeTasks: Set<TaskId>
    /// The standby tasks.
    public var standbyTasks: Set<TaskId>
    /// The client id of the thread's consumer.
    public var consumerClientID: String
    /// The client ids of the thread's producers.
    public var producerClientIDs: Set<String>
}
