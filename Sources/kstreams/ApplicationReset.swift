import Foundation
import KafkaClient

/// Where `kstreams reset` moves the committed offsets of the input topics.
enum ResetTarget: Sendable, CustomStringConvertible {
    case earliest, latest
    case timestamp(Int64)

    var spec: OffsetSpec {
        switch self {
        case .earliest: .earliest
        case .latest: .latest
        case .timestamp(let ms): .timestamp(ms)
        }
    }

    var description: String {
        switch self {
        case .earliest: "earliest"
        case .latest: "latest"
        case .timestamp(let ms): "timestamp \(ms)"
        }
    }
}

/// Why `kstreams reset` refused to run.
enum ResetError: Error, CustomStringConvertible {
    /// The application's consumer group has active members: stop every instance first.
    case activeMembers(group: String, count: Int)

    var description: String {
        switch self {
        case .activeMembers(let group, let count):
            "consumer group \(group) has \(count) active member(s): stop every instance of the application before resetting it"
        }
    }
}

/// Kafka Streams' application reset tool: resets the group's committed offsets on the
/// input topics, deletes the internal topics and wipes the local state, printing a line
/// per step (`dryRun`: what it would do, changing nothing).
struct ApplicationReset {
    let applicationID: String
    /// The input topics; `nil`: every non-internal topic the group has committed offsets for.
    let inputTopics: [String]?
    let target: ResetTarget
    /// The state.dir whose `<application-id>` directory is wiped; `nil` leaves local state.
    let stateDirectory: String?
    let dryRun: Bool
    let output: (String) -> Void

    private var prefix: String { dryRun ? "[dry run] " : "" }

    /// Whether a topic is one of the application's repartition or changelog topics.
    func isInternalTopic(_ topic: String) -> Bool {
        topic.hasPrefix(applicationID + "-") && (topic.hasSuffix("-repartition") || topic.hasSuffix("-changelog"))
    }

    /// Runs every step.
    /// - Throws: ``ResetError/activeMembers(group:count:)``, or the admin client's errors.
    func run(_ admin: KafkaAdmin) async throws {
        try await checkNoActiveMembers(admin)
        try await resetOffsets(admin)
        try await deleteInternalTopics(admin)
        try wipeLocalState()
        output("\(prefix)reset of application \(applicationID) done")
    }

    func checkNoActiveMembers(_ admin: KafkaAdmin) async throws {
        let group = try await admin.describeGroups([applicationID])[applicationID]
        let members = group?.members.count ?? 0
        if members > 0 { throw ResetError.activeMembers(group: applicationID, count: members) }
        output("group \(applicationID): no active members (state \(group?.state ?? "unknown"))")
    }

    /// Sets the input topics' offsets; the group's offsets on internal topics are dropped
    /// (the group is deleted and re-committed with the other offsets), since those topics
    /// are deleted and recreated empty.
    func resetOffsets(_ admin: KafkaAdmin) async throws {
        let committed = try await admin.listConsumerGroupOffsets(applicationID)
        let existing = Set(try await admin.listTopics())
        let inputs = inputTopics ?? Array(Set(committed.keys.map(\.topic).filter { !isInternalTopic($0) })).sorted()
        if inputs.isEmpty { output("no input topics to reset (none given, none committed)") }
        var specs: [TopicPartition: OffsetSpec] = [:]
        for topic in inputs {
            guard existing.contains(topic) else {
                output("input topic \(topic) does not exist: skipped")
                continue
            }
            for partition in try await admin.describeTopic(topic).partitions {
                specs[TopicPartition(topic, partition.partition)] = target.spec
            }
        }
        var offsets = try await targetOffsets(admin, specs)
        for partition in offsets.keys.sorted() {
            let before = committed[partition].map { "\($0.offset)" } ?? "none"
            output("\(prefix)reset offset of \(partition) to \(target): \(before) -> \(offsets[partition]!.offset)")
        }
        // Keep the group's other offsets (non-internal topics not being reset).
        for (partition, offset) in committed where offsets[partition] == nil && !isInternalTopic(partition.topic) {
            offsets[partition] = offset
        }
        let droppedInternal = committed.keys.filter { isInternalTopic($0.topic) }.count
        if droppedInternal > 0 { output("\(prefix)drop the group's offsets on \(droppedInternal) internal topic partition(s)") }
        guard !dryRun else { return }
        if droppedInternal > 0 { try await admin.deleteGroups([applicationID]) }
        if !offsets.isEmpty { try await admin.alterConsumerGroupOffsets(applicationID, offsets) }
    }

    /// The offsets for the specs; a timestamp after every record gives the end offset.
    func targetOffsets(_ admin: KafkaAdmin, _ specs: [TopicPartition: OffsetSpec]) async throws
        -> [TopicPartition: OffsetAndMetadata]
    {
        guard !specs.isEmpty else { return [:] }
        let listed = try await admin.listOffsets(specs)
        var ends: [TopicPartition: ListedOffset] = [:]
        if listed.values.contains(where: { $0.offset < 0 }) {
            ends = try await admin.listOffsets(specs.mapValues { _ in .latest })
        }
        var result: [TopicPartition: OffsetAndMetadata] = [:]
        for (partition, offset) in listed {
            let value = offset.offset >= 0 ? offset.offset : (ends[partition]?.offset ?? 0)
            result[partition] = OffsetAndMetadata(value)
        }
        return result
    }

    func deleteInternalTopics(_ admin: KafkaAdmin) async throws {
        let topics = try await admin.listTopics().filter(isInternalTopic)
        if topics.isEmpty { output("no internal topics of \(applicationID) to delete") }
        for topic in topics { output("\(prefix)delete internal topic \(topic)") }
        if !dryRun && !topics.isEmpty { try await admin.deleteTopics(topics, ifExists: true) }
    }

    /// Removes everything under `<state-dir>/<application-id>` but the embedded broker's data.
    func wipeLocalState() throws {
        guard let stateDirectory else {
            output("no --state-dir given: local state left as it is")
            return
        }
        let directory = applicationStateDirectory(stateDirectory: stateDirectory, applicationID: applicationID)
        let manager = FileManager.default
        guard let entries = try? manager.contentsOfDirectory(atPath: directory) else {
            output("no local state in \(directory)")
            return
        }
        let doomed = entries.filter { $0 != embeddedBrokerDirectoryName }.sorted()
        if doomed.isEmpty { output("no local state to wipe in \(directory)") }
        for entry in doomed {
            let path = URL(fileURLWithPath: directory).appendingPathComponent(entry).path
            output("\(prefix)wipe local state \(path)")
            if !dryRun { try manager.removeItem(atPath: path) }
        }
    }
}
