import Foundation
import KafkaClient

/// What every stream thread of one application instance shares: read-only, set at start.
package struct RuntimeContext: Sendable {
    /// The topology.
    package let topology: Topology
    /// The configuration.
    package let config: StreamsConfig
    /// The client settings (bootstrap servers resolved, security).
    package let client: ClientConfig
    /// Partition counts and run-time sub-topologies.
    package let layout: InternalTopicManager.Layout
    /// The instance's process id (the same for all its threads).
    package let processID: UUID
    /// `<state.dir>/<application.id>`.
    package let stateDirectory: StateDirectory
    /// The RocksDB block cache and memtable budget of the instance.
    package let rocksDB: RocksDBSharedResources
    /// Restoration callbacks.
    package let restoreListener: StateRestoreListener

    /// The source topics tasks read (not global ones).
    package var taskSourceTopics: [String] {
        Array(Set(layout.subtopologies.filter { !$0.isGlobal }.flatMap(\.sourceTopics))).sorted()
    }

    /// The source topics of the global sub-topologies.
    package var globalSourceTopics: [String] {
        Array(Set(layout.subtopologies.filter(\.isGlobal).flatMap(\.sourceTopics))).sorted()
    }

    /// The tasks that read a partition: one per (non-global) sub-topology that reads the topic.
    package func tasks(reading tp: TopicPartition) -> [TaskId] {
        layout.subtopologies.filter { !$0.isGlobal && $0.sourceTopics.contains(tp.topic) }.map {
            TaskId(subtopology: $0.id, partition: tp.partition)
        }
    }

    /// The input partitions of a task.
    package func partitions(of task: TaskId) -> Set<TopicPartition> {
        guard let sub = layout.subtopologies.first(where: { $0.id == task.subtopology }) else { return [] }
        return Set(
            sub.sourceTopics.filter { (layout.partitionCounts[$0] ?? 0) > task.partition }.map { TopicPartition($0, task.partition) })
    }
}
