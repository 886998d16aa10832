import KafkaClient
import Testing

@testable import KafkaStreams

/// Tasks and their partitions from a ``TaskLayout``.
@Suite("Assignment: task layout")
struct AssignmentTaskLayoutTests {
    let layout = TaskLayout(
        sourceTopics: [0: ["left", "right"], 1: ["app-repartition"]], changelogTopics: [1: ["app-agg-changelog"]])

    @Test("tasks: one per partition of a sub-topology's largest source topic")
    func tasksFromCounts() {
        let counts: [String: Int32] = ["left": 4, "right": 2, "app-repartition": 3]
        #expect(
            layout.tasks(partitionCounts: counts) == [
                task(0, 0), task(0, 1), task(0, 2), task(0, 3), task(1, 0), task(1, 1), task(1, 2),
            ])
        #expect(
            layout.inputPartitions(of: task(0, 1), partitionCounts: counts) == [
                KafkaClient.TopicPartition("left", 1), KafkaClient.TopicPartition("right", 1),
            ])
        #expect(layout.inputPartitions(of: task(0, 3), partitionCounts: counts) == [KafkaClient.TopicPartition("left", 3)])
        #expect(layout.changelogPartitions(of: task(1, 2)) == [KafkaClient.TopicPartition("app-agg-changelog", 2)])
        #expect(layout.changelogPartitions(of: task(0, 2)) == [])
        #expect(layout.isStateful(task(1, 0)) && !layout.isStateful(task(0, 0)))
        #expect(layout.missingSourceTopics(partitionCounts: ["left": 4]) == ["app-repartition", "right"])
    }
}
