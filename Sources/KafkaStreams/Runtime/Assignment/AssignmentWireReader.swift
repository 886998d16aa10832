import KafkaClient
import NIOCore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Reads the primitives of the Streams assignment wire format (see ``StreamsAssignor``)
/// from a ByteBuffer, checking every length and count, and throwing
/// ``AssignmentDecodingError`` (naming the message and field) instead of trapping.
struct AssignmentWireReader {
    /// The bytes still to read.
    private var buffer: ByteBuffer
    /// The message being decoded, for errors.
    let message: String

    /// A reader over `buffer` (from its reader index) for `message`.
    init(_ buffer: ByteBuffer, message: String) {
        self.buffer = buffer
        self.message = message
    }

    /// An error about `field`.
    func error(_ field: String, _ reason: AssignmentDecodingError.Reason) -> AssignmentDecodingError {
        AssignmentDecodingError(message: message, field: field, reason: reason)
    }

    /// Reads the version and checks it is `supported`.
    mutating func version(supported: Int32) throws(AssignmentDecodingError) {
        let version = try int32("version")
        guard version == supported else { throw error("version", .unsupportedVersion(version)) }
    }

    /// A big-endian `int32`.
    mutating func int32(_ field: String) throws(AssignmentDecodingError) -> Int32 {
        guard let value = buffer.readInteger(as: Int32.self) else { throw error(field, .truncated) }
        return value
    }

    /// A big-endian `int64`.
    mutating func int64(_ field: String) throws(AssignmentDecodingError) -> Int64 {
        guard let value = buffer.readInteger(as: Int64.self) else { throw error(field, .truncated) }
        return value
    }

    /// An `int32` element count, at least 0 and small enough that `count` elements of at
    /// least `minimumSize` bytes each fit in the bytes left (so garbage cannot make us allocate).
    mutating func count(_ field: String, minimumSize: Int) throws(AssignmentDecodingError) -> Int {
        let count = try int32(field)
        guard count >= 0 else { throw error(field, .invalid("negative count \(count)")) }
        guard Int(count) * minimumSize <= buffer.readableBytes else { throw error(field, .truncated) }
        return Int(count)
    }

    /// An `int16` length (-1 for null) and that many UTF-8 bytes.
    mutating func nullableString(_ field: String) throws(AssignmentDecodingError) -> String? {
        guard let length = buffer.readInteger(as: Int16.self) else { throw error(field, .truncated) }
        if length == -1 { return nil }
        guard length >= 0 else { throw error(field, .invalid("string length \(length)")) }
        guard let bytes = buffer.readSlice(length: Int(length)) else { throw error(field, .truncated) }
        guard let text = String(validating: bytes.readableBytesView, as: UTF8.self) else {
            throw error(field, .invalid("not UTF-8"))
        }
        return text
    }

    /// A non-null string.
    mutating func string(_ field: String) throws(AssignmentDecodingError) -> String {
        guard let text = try nullableString(field) else { throw error(field, .invalid("null string")) }
        return text
    }

    /// 16 bytes of a UUID.
    mutating func uuid(_ field: String) throws(AssignmentDecodingError) -> UUID {
        guard let bytes = buffer.readBytes(length: 16) else { throw error(field, .truncated) }
        return UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            ))
    }

    /// A task id: `int32` sub-topology, `int32` partition, both at least 0.
    mutating func taskId(_ field: String) throws(AssignmentDecodingError) -> TaskId {
        let subtopology = try int32(field)
        let partition = try int32(field)
        guard subtopology >= 0, partition >= 0 else { throw error(field, .invalid("task \(subtopology)_\(partition)")) }
        return TaskId(subtopology: Int(subtopology), partition: partition)
    }

    /// An `int32` count of task ids, without duplicates.
    mutating func taskIds(_ field: String) throws(AssignmentDecodingError) -> Set<TaskId> {
        var tasks = Set<TaskId>()
        let count = try self.count(field, minimumSize: 8)
        for _ in 0..<count {
            let task = try taskId(field)
            guard tasks.insert(task).inserted else { throw error(field, .invalid("duplicate task \(task)")) }
        }
        return tasks
    }

    /// An `int32` count of partitions, each a topic string and an `int32` partition (at least 0).
    mutating func partitions(_ field: String) throws(AssignmentDecodingError) -> [KafkaClient.TopicPartition] {
        var partitions: [KafkaClient.TopicPartition] = []
        let count = try self.count(field, minimumSize: 6)
        for _ in 0..<count {
            let topic = try string(field)
            let partition = try int32(field)
            guard partition >= 0 else { throw error(field, .invalid("partition \(partition) of \(topic)")) }
            partitions.append(KafkaClient.TopicPartition(topic, partition))
        }
        return partitions
    }

    /// An `int32` count of entries, each a task id and a partition list; no task twice.
    mutating func taskPartitions(_ field: String) throws(AssignmentDecodingError) -> [TaskId: [KafkaClient.TopicPartition]] {
        var result: [TaskId: [KafkaClient.TopicPartition]] = [:]
        let count = try self.count(field, minimumSize: 12)
        for _ in 0..<count {
            let task = try taskId(field)
            guard result[task] == nil else { throw error(field, .invalid("duplicate task \(task)")) }
            result[task] = try partitions(field)
        }
        return result
    }

    /// An `int32` count of entries, each a host string and a partition list; no host twice.
    mutating func hostPartitions(_ field: String) throws(AssignmentDecodingError) -> [String: [KafkaClient.TopicPartition]] {
        var result: [String: [KafkaClient.TopicPartition]] = [:]
        let count = try self.count(field, minimumSize: 6)
        for _ in 0..<count {
            let host = try string(field)
            guard result[host] == nil else { throw error(field, .invalid("duplicate host \(host)")) }
            result[host] = try partitions(field)
        }
        return result
    }

    /// Checks that every byte was read.
    func finish() throws(AssignmentDecodingError) {
        guard buffer.readableBytes == 0 else { throw error("end", .trailingBytes(buffer.readableBytes)) }
    }
}
