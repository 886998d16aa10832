import KafkaClient
import NIOCore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

// Writers for the primitives of the Streams assignment wire format (see ``StreamsAssignor``);
// ``AssignmentWireReader`` reads them back. Collections are written sorted, so equal values
// encode to equal bytes.
extension ByteBuffer {
    /// An `int16` length (-1 for nil) and the UTF-8 bytes.
    mutating func writeAssignmentString(_ text: String?) {
        guard let text else {
            writeInteger(Int16(-1))
            return
        }
        writeInteger(Int16(truncatingIfNeeded: text.utf8.count))
        writeString(text)
    }

    /// The 16 bytes of a UUID.
    mutating func writeAssignmentUUID(_ uuid: UUID) {
        withUnsafeBytes(of: uuid.uuid) { _ = writeBytes($0) }
    }

    /// A task id: `int32` sub-topology, `int32` partition.
    mutating func writeAssignmentTaskId(_ task: TaskId) {
        writeInteger(Int32(truncatingIfNeeded: task.subtopology))
        writeInteger(task.partition)
    }

    /// An `int32` count and the task ids, sorted.
    mutating func writeAssignmentTaskIds(_ tasks: Set<TaskId>) {
        writeInteger(Int32(tasks.count))
        for task in tasks.sorted() { writeAssignmentTaskId(task) }
    }

    /// An `int32` count and the partitions, each a topic string and an `int32` partition.
    mutating func writeAssignmentPartitions(_ partitions: [KafkaClient.TopicPartition]) {
        writeInteger(Int32(partitions.count))
        for partition in partitions {
            writeAssignmentString(partition.topic)
            writeInteger(partition.partition)
        }
    }

    /// An `int32` count and, sorted by task, each task id and its partition list.
    mutating func writeAssignmentTaskPartitions(_ map: [TaskId: [KafkaClient.TopicPartition]]) {
        writeInteger(Int32(map.count))
        for (task, partitions) in map.sorted(by: { $0.key < $1.key }) {
            writeAssignmentTaskId(task)
            writeAssignmentPartitions(partitions)
        }
    }

    /// An `int32` count and, sorted by host, each host string and its partition list.
    mutating func writeAssignmentHostPartitions(_ map: [String: [KafkaClient.TopicPartition]]) {
        writeInteger(Int32(map.count))
        for (host, partitions) in map.sorted(by: { $0.key < $1.key }) {
            writeAssignmentString(host)
            writeAssignmentPartitions(partitions)
        }
    }
}
