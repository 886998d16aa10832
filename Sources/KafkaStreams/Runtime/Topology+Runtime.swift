/// What the runtime needs to know about one sub-topology, with topic names as they are
/// at run time (internal topics prefixed with the application id).
package struct RuntimeSubtopology: Sendable, Hashable {
    /// The sub-topology id (the first half of its tasks' ids).
    package var id: Int
    /// The topics its sources read.
    package var sourceTopics: [String]
    /// The topics its sinks write (statically named ones).
    package var sinkTopics: [String]
    /// Its stores' changelog topics, by store name (logged stores only).
    package var changelogTopics: [String: String]
    /// Whether it maintains global stores (run by every thread, not by tasks).
    package var isGlobal: Bool
    /// Whether a source reads a topic pattern (not supported by the runtime yet).
    package var hasPatternSource: Bool
}

extension Topology {
    /// The sub-topologies with run-time topic names.
    package func runtimeSubtopologies(applicationID: String) -> [RuntimeSubtopology] {
        subtopologies.map { sub in
            var changelogs: [String: String] = [:]
            for store in sub.stores {
                if let topic = changelogTopic(forStore: store, applicationID: applicationID), changelogTopicConfig(forStore: store) != nil {
                    changelogs[store] = topic
                }
            }
            return RuntimeSubtopology(
                id: sub.id, sourceTopics: sub.sourceTopics.map { resolve($0, applicationID: applicationID) },
                sinkTopics: sub.sinkTopics.map { resolve($0, applicationID: applicationID) }, changelogTopics: changelogs,
                isGlobal: sub.isGlobal, hasPatternSource: !sub.sourcePatterns.isEmpty)
        }
    }

    /// The repartition topics, with run-time names.
    package func repartitionTopics(applicationID: String) -> [String] {
        internalTopics.filter { $0.value == .repartition }.keys.sorted().map { "\(applicationID)-\($0)" }
    }

    /// The co-partition groups with run-time topic names.
    package func copartitionGroups(applicationID: String) -> [[String]] {
        copartitionGroups.map { $0.map { resolve($0, applicationID: applicationID) } }
    }

    /// The sub-topologies that run as tasks (not global), in id order.
    package var taskSubtopologyIDs: [Int] { subtopologies.filter { !$0.isGlobal }.map(\.id) }

    /// The ids of the global sub-topologies.
    package var globalSubtopologyIDs: Set<Int> { Set(subtopologies.filter(\.isGlobal).map(\.id)) }

    /// The store names of the global sub-topologies.
    package var globalStoreNames: Set<String> { globalStores }
}
