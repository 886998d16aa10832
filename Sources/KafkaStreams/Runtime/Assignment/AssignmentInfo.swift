import KafkaClient
import NIOCore

/// The user data the leader sends each Streams member with its partitions: its tasks, where
/// every instance's partitions are (for interactive queries), and whether to rebalance again.
/// Wire format (version 1, all integers big-endian; a partition list is an int32 count, then
/// per partition an int16-length UTF-8 topic and an int32 partition):
///
/// ```
/// int32  version (1)
/// int32 count, then (int32 subtopology, int32 partition, partition list) ...  active tasks → input partitions
/// int32 count, then (task id, partition list) ...                         standby tasks → changelog partitions
/// int32 count, then (string host, partition list) ...                     partitionsByHost
/// int32 count, then (string host, partition list) ...                     standbyPartitionsByHost
/// int64  followupRebalanceDelayMs (-1: none)
/// int32  errorCode
/// ```
package struct AssignmentInfo: Sendable, Hashable {
    /// Error codes of ``errorCode`` and ``SubscriptionInfo/errorCode`` (Kafka Streams' numbers
    /// where they exist).
    package enum ErrorCode {
        /// No error.
        package static let none: Int32 = 0
        /// A source topic does not exist: the application cannot run (it shuts down).
        package static let incompleteSourceTopicMetadata: Int32 = 1
        /// The assignment failed.
        package static let assignmentError: Int32 = 3
        /// A member asked for the whole application to shut down.
        package static let shutdownRequested: Int32 = 4
        /// The leader could not decode this member's subscription; it gets no tasks and
        /// should rejoin (a newer or broken member).
        package static let unreadableSubscription: Int32 = 5
    }

    /// The version this code writes and reads.
    package static let version: Int32 = 1

    /// The member's active tasks and the input partitions of each.
    package var activeTasks: [TaskId: [KafkaClient.TopicPartition]]
    /// The member's standby tasks (warm-ups included) and the changelog partitions to keep restoring.
    package var standbyTasks: [TaskId: [KafkaClient.TopicPartition]]
    /// Every instance's `application.server` → the input partitions of its active tasks.
    package var partitionsByHost: [String: [KafkaClient.TopicPartition]]
    /// Every instance's `application.server` → the input partitions of its standby tasks.
    package var standbyPartitionsByHost: [String: [KafkaClient.TopicPartition]]
    /// -1: nothing to do; otherwise the member should trigger a rebalance after this many
    /// milliseconds (a probing rebalance, to move tasks to warmed-up instances).
    package var followupRebalanceDelayMs: Int64
    /// An ``ErrorCode`` (0: none).
    package var errorCode: Int32

    /// Creates an assignment.
    package init(
        activeTasks: [TaskId: [KafkaClient.TopicPartition]] = [:],
        standbyTasks: [TaskId: [KafkaClient.TopicPartition]] = [:],
        partitionsByHost: [String: [KafkaClient.TopicPartition]] = [:],
        standbyPartitionsByHost: [String: [KafkaClient.TopicPartition]] = [:],
        followupRebalanceDelayMs: Int64 = -1, errorCode: Int32 = ErrorCode.none
    ) {
        self.activeTasks = activeTasks
        self.standbyTasks = standbyTasks
        self.partitionsByHost = partitionsByHost
        self.standbyPartitionsByHost = standbyPartitionsByHost
        self.followupRebalanceDelayMs = followupRebalanceDelayMs
        self.errorCode = errorCode
    }

    /// Decodes the bytes (from the reader index); throws on an unknown version or bad bytes.
    package init(decoding buffer: ByteBuffer) throws(AssignmentDecodingError) {
        var reader = AssignmentWireReader(buffer, message: "AssignmentInfo")
        try reader.version(supported: Self.version)
        activeTasks = try reader.taskPartitions("activeTasks")
        standbyTasks = try reader.taskPartitions("standbyTasks")
        partitionsByHost = try reader.hostPartitions("partitionsByHost")
        standbyPartitionsByHost = try reader.hostPartitions("standbyPartitionsByHost")
        followupRebalanceDelayMs = try reader.int64("followupRebalanceDelayMs")
        guard followupRebalanceDelayMs >= -1 else {
            throw reader.error("followupRebalanceDelayMs", .invalid("\(followupRebalanceDelayMs)"))
        }
        errorCode = try reader.int32("errorCode")
        try reader.finish()
    }

    /// The encoded bytes (see the type's description).
    package func encoded() -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeInteger(Self.version)
        buffer.writeAssignmentTaskPartitions(activeTasks)
        buffer.writeAssignmentTaskPartitions(standbyTasks)
        buffer.writeAssignmentHostPartitions(partitionsByHost)
        buffer.writeAssignmentHostPartitions(standbyPartitionsByHost)
        buffer.writeInteger(followupRebalanceDelayMs)
        buffer.writeInteger(errorCode)
        return buffer
    }
}
