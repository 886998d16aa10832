import KafkaClient

/// Which topics make up the tasks of an application: the source topics and the changelog
/// topics of each sub-topology, by their full run-time names.
///
/// With the partition counts of the source topics, the tasks of sub-topology `s` are
/// `s_0 ..< s_n` where `n` is the largest partition count among its source topics; task
/// `s_p` reads partition `p` of every source topic that has more than `p` partitions and
/// writes its stores' changes to partition `p` of each changelog topic. A sub-topology with
/// changelog topics is *stateful*: its tasks get standby replicas and warm-ups.
package struct TaskLayout: Sendable, Hashable {
    /// Sub-topology id → its source topics.
    package var sourceTopics: [Int: [String]]
    /// Sub-topology id → the changelog topics of its stores (absent or empty: stateless).
    package var changelogTopics: [Int: [String]]

    /// Creates a layout.
    package init(sourceTopics: [Int: [String]], changelogTopics: [Int: [String]] = [:]) {
        self.sourceTopics = sourceTopics
        self.changelogTopics = changelogTopics
    }

    /// Every source topic, sorted.
    package var allSourceTopics: [String] { Set(sourceTopics.values.joined()).sorted() }

    /// The source topics that have no partition count in `partitionCounts` (do not exist).
    package func missingSourceTopics(partitionCounts: [String: Int32]) -> [String] {
        allSourceTopics.filter { partitionCounts[$0] == nil }
    }

    /// Every task, sorted: for each sub-topology, one per partition of its largest source topic.
    package func tasks(partitionCounts: [String: Int32]) -> [TaskId] {
        sourceTopics.keys.sorted().flatMap { subtopology in
            let count = (sourceTopics[subtopology] ?? []).map { partitionCounts[$0] ?? 0 }.max() ?? 0
            return (0..<max(count, 0)).map { TaskId(subtopology: subtopology, partition: $0) }
        }
    }

    /// The partitions `task` consumes: partition `p` of each of its source topics that has
    /// more than `p` partitions, sorted.
    package func inputPartitions(of task: TaskId, partitionCounts: [String: Int32]) -> [KafkaClient.TopicPartition] {
        (sourceTopics[task.subtopology] ?? []).filter { (partitionCounts[$0] ?? 0) > task.partition }
            .map { KafkaClient.TopicPartition($0, task.partition) }.sorted()
    }

    /// The changelog partitions of `task`'s stores (empty for a stateless task), sorted.
    package func changelogPartitions(of task: TaskId) -> [KafkaClient.TopicPartition] {
        (changelogTopics[task.subtopology] ?? []).map { KafkaClient.TopicPartition($0, task.partition) }.sorted()
    }

    /// Whether `task`'s sub-topology has changelog topics.
    package func isStateful(_ task: TaskId) -> Bool {
        !(changelogTopics[task.subtopology] ?? []).isEmpty
    }
}
