/// The identity of a task: a sub-topology and one partition of its input topics.
///
/// Printed as Kafka Streams prints it: `0_1` for sub-topology 0, partition 1.
public struct TaskId: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The sub-topology id.
    public var subtopology: Int
    /// The input partition.
    public var partition: Int32

    /// Creates a task id.
    public init(subtopology: Int, partition: Int32) {
        self.subtopology = subtopology
        self.partition = partition
    }

    /// `<subtopology>_<partition>`.
    public var description: String { "\(subtopology)_\(partition)" }

    /// Orders by sub-topology, then partition.
    public static func < (lhs: TaskId, rhs: TaskId) -> Bool {
        (lhs.subtopology, lhs.partition) < (rhs.subtopology, rhs.partition)
    }
}
