import NIOCore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The user data a Streams member sends with its group subscription: who it is and which
/// task state it has. Wire format (version 1, all integers big-endian):
///
/// ```
/// int32  version (1)
/// 16     processID (UUID bytes)
/// string applicationServer (int16 length, -1 = null; UTF-8)
/// int32 count, then (int32 subtopology, int32 partition) ...   active tasks, sorted
/// int32 count, then task ids ...                               standby tasks, sorted
/// int32 count, then (task id, int64 offset sum) ...            task offset sums, sorted by task
/// int32  errorCode
/// ```
package struct SubscriptionInfo: Sendable, Hashable {
    /// The version this code writes and reads.
    package static let version: Int32 = 1
    /// The offset sum of an active task that is running: caught up, lag 0.
    package static let runningActive: Int64 = -2

    /// The instance's id; every thread (consumer) of one instance sends the same.
    package var processID: UUID
    /// The instance's `application.server` (`host:port`) for interactive queries, if any.
    package var applicationServer: String?
    /// The active tasks the member owns now.
    package var activeTasks: Set<TaskId>
    /// The standby tasks the member owns now.
    package var standbyTasks: Set<TaskId>
    /// For every task with local state: the sum of its checkpointed changelog offsets, or
    /// ``runningActive``.
    package var taskOffsetSums: [TaskId: Int64]
    /// An ``AssignmentInfo/ErrorCode`` the member reports (0: none).
    package var errorCode: Int32

    /// Creates a subscription.
    package init(
        processID: UUID, applicationServer: String? = nil, activeTasks: Set<TaskId> = [],
        standbyTasks: Set<TaskId> = [], taskOffsetSums: [TaskId: Int64] = [:], errorCode: Int32 = 0
    ) {
        self.processID = processID
        self.applicationServer = applicationServer
        self.activeTasks = activeTasks
        self.standbyTasks = standbyTasks
        self.taskOffsetSums = taskOffsetSums
        self.errorCode = errorCode
    }

    /// Decodes the bytes (from the reader index); throws on an unknown version or bad bytes.
    package init(decoding buffer: ByteBuffer) throws(AssignmentDecodingError) {
        var reader = AssignmentWireReader(buffer, message: "SubscriptionInfo")
        try reader.version(supported: Self.version)
        processID = try reader.uuid("processID")
        applicationServer = try reader.nullableString("applicationServer")
        activeTasks = try reader.taskIds("activeTasks")
        standbyTasks = try reader.taskIds("standbyTasks")
        var sums: [TaskId: Int64] = [:]
        let count = try reader.count("taskOffsetSums", minimumSize: 16)
        for _ in 0..<count {
            let task = try reader.taskId("taskOffsetSums")
            let sum = try reader.int64("taskOffsetSums")
            guard sums[task] == nil else { throw reader.error("taskOffsetSums", .invalid("duplicate task \(task)")) }
            guard sum >= 0 || sum == Self.runningActive else {
                throw reader.error("taskOffsetSums", .invalid("offset sum \(sum) of task \(task)"))
            }
            sums[task] = sum
        }
        taskOffsetSums = sums
        errorCode = try reader.int32("errorCode")
        try reader.finish()
    }

    /// The encoded bytes (see the type's description).
    package func encoded() -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeInteger(Self.version)
        buffer.writeAssignmentUUID(processID)
        buffer.writeAssignmentString(applicationServer)
        buffer.writeAssignmentTaskIds(activeTasks)
        buffer.writeAssignmentTaskIds(standbyTasks)
        buffer.writeInteger(Int32(taskOffsetSums.count))
        for (task, sum) in taskOffsetSums.sorted(by: { $0.key < $1.key }) {
            buffer.writeAssignmentTaskId(task)
            buffer.writeInteger(sum)
        }
        buffer.writeInteger(errorCode)
        return buffer
    }
}
