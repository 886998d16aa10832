import KafkaClient
import Logging

/// Creates and validates a topology's internal topics before the application joins its
/// group, and works out how many partitions (tasks) every topic a task reads has.
///
/// - Source topics must exist (`missingSourceTopic` otherwise).
/// - A repartition topic gets the largest partition count among the source topics of the
///   sub-topologies that write it; topics of one co-partition group get equal counts, and
///   source topics of a group that differ fail with `partitionMismatch`.
/// - A changelog topic gets one partition per task of its store's sub-topology, and the
///   store's topic configs (`cleanup.policy=compact`, or `compact,delete` with
///   `retention.ms` for window and session stores).
/// - An internal topic that exists with another partition count fails with
///   `partitionMismatch` naming the topic and both counts.
package struct InternalTopicManager {
    let admin: KafkaAdmin
    let topology: Topology
    let applicationID: String
    /// `replication.factor` for internal topics (-1: the broker's default).
    let replicationFactor: Int16
    let logger: Logger

    /// The partition counts the tasks work from.
    package struct Layout: Sendable {
        /// Partition counts of every topic a task or the global thread reads.
        package var partitionCounts: [String: Int32]
        /// The sub-topologies with run-time names.
        package var subtopologies: [RuntimeSubtopology]

        /// The number of tasks of a sub-topology: the largest partition count of its sources.
        package func taskCount(_ subtopology: RuntimeSubtopology) -> Int32 {
            subtopology.sourceTopics.map { partitionCounts[$0] ?? 0 }.max() ?? 0
        }
    }

    /// Creates missing internal topics, validates existing ones and returns the layout.
    /// - Throws: ``StreamsError`` `missingSourceTopic`, `partitionMismatch`, `invalidTopology`
    ///   (pattern sources), `client` (the admin request failed).
    package func prepare() async throws -> Layout {
        let subtopologies = topology.runtimeSubtopologies(applicationID: applicationID)
        if let patterned = subtopologies.first(where: \.hasPatternSource) {
            throw StreamsError(
                .invalidTopology,
                "sub-topology \(patterned.id) reads a topic pattern; the runtime needs named source topics (patterns "
                    + "work in the TopologyTestDriver only, for now)")
        }
        let repartition = Set(topology.repartitionTopics(applicationID: applicationID))
        let external = Set(subtopologies.flatMap(\.sourceTopics)).subtracting(repartition)
        let existing = try await describe()
        var counts: [String: Int32] = [:]
        for topic in external.sorted() {
            guard let count = existing[topic] else {
                throw StreamsError(
                    .missingSourceTopic,
                    "source topic \(topic) does not exist; create it before starting application \(applicationID)",
                    context: .init(topic: topic))
            }
            counts[topic] = count
        }
        try resolveRepartitionCounts(&counts, repartition: repartition, subtopologies: subtopologies)

        var wanted: [NewTopic] = []
        for topic in repartition.sorted() {
            wanted.append(
                NewTopic(
                    topic, partitions: counts[topic] ?? 1, replicationFactor: replicationFactor,
                    configs: ["cleanup.policy": "delete", "retention.ms": "-1", "segment.bytes": "52428800"]))
        }
        let layout = Layout(partitionCounts: counts, subtopologies: subtopologies)
        for sub in subtopologies where !sub.isGlobal {
            let tasks = layout.taskCount(sub)
            for (store, topic) in sub.changelogTopics.sorted(by: { $0.key < $1.key }) {
                let configs = topology.changelogTopicConfig(forStore: store) ?? ["cleanup.policy": "compact"]
                wanted.append(NewTopic(topic, partitions: tasks, replicationFactor: replicationFactor, configs: configs))
            }
        }
        var missing: [NewTopic] = []
        for topic in wanted {
            if let count = existing[topic.name] {
                guard count == topic.partitions else {
                    throw StreamsError(
                        .partitionMismatch,
                        "internal topic \(topic.name) has \(count) partitions but application \(applicationID) needs "
                            + "\(topic.partitions); delete it (kstreams reset) or restore the source topics' partition counts",
                        context: .init(topic: topic.name))
                }
            } else {
                missing.append(topic)
            }
        }
        if !missing.isEmpty {
            logger.info("creating internal topics \(missing.map { "\($0.name) (\($0.partitions))" }.joined(separator: ", "))")
            do {
                _ = try await admin.createTopics(missing, ifNotExists: true)
            } catch {
                throw StreamsError(.client, "could not create internal topics: \(error)", cause: error)
            }
        }
        return layout
    }

    /// Partition counts of every existing topic among those the topology reads or owns.
    private func describe() async throws -> [String: Int32] {
        do {
            let names = Set(try await admin.listTopics())
            let subtopologies = topology.runtimeSubtopologies(applicationID: applicationID)
            var relevant = Set(subtopologies.flatMap(\.sourceTopics))
            relevant.formUnion(subtopologies.flatMap(\.changelogTopics.values))
            let present = relevant.intersection(names)
            guard !present.isEmpty else { return [:] }
            return try await admin.describeTopics(Array(present)).mapValues { Int32($0.partitions.count) }
        } catch {
            throw StreamsError(.client, "could not list the cluster's topics: \(error)", cause: error)
        }
    }

    /// Fills in repartition topics' counts from their writers, then equalizes co-partition groups.
    private func resolveRepartitionCounts(
        _ counts: inout [String: Int32], repartition: Set<String>, subtopologies: [RuntimeSubtopology]
    ) throws {
        var progress = true
        while progress {
            progress = false
            for topic in repartition.sorted() where counts[topic] == nil {
                let writers = subtopologies.filter { $0.sinkTopics.contains(topic) }
                let inputs = writers.flatMap(\.sourceTopics)
                guard !inputs.isEmpty, inputs.allSatisfy({ counts[$0] != nil }) else { continue }
                counts[topic] = inputs.compactMap { counts[$0] }.max() ?? 1
                progress = true
            }
        }
        for topic in repartition where counts[topic] == nil { counts[topic] = 1 }
        for group in topology.copartitionGroups(applicationID: applicationID) {
            let externals = group.filter { !repartition.contains($0) }
            let externalCounts = Set(externals.compactMap { counts[$0] })
            if externalCounts.count > 1 {
                let detail = externals.map { "\($0): \(counts[$0] ?? 0)" }.joined(separator: ", ")
                throw StreamsError(
                    .partitionMismatch,
                    "topics \(externals.joined(separator: ", ")) are joined, so they must have the same number of "
                        + "partitions, but have \(detail); repartition one side (KStream.repartition) or fix the topics",
                    context: .init(topic: externals.first))
            }
            let target = externalCounts.first ?? group.compactMap { counts[$0] }.max() ?? 1
            for topic in group where repartition.contains(topic) { counts[topic] = target }
        }
    }
}
