import ArgumentParser
import Foundation
import KafkaClient

/// `kstreams reset`: Kafka Streams' application reset tool (see ``ApplicationReset``).
struct ResetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset",
        abstract: "Reset an application: input offsets, internal topics, local state.",
        discussion: """
            Refuses while the application's consumer group has active members. Resets the \
            group's committed offsets on the input topics (default: every non-internal topic \
            it has committed offsets for) to the earliest offsets, a timestamp or the latest \
            offsets; deletes the topics <application-id>-*-repartition and \
            <application-id>-*-changelog; wipes <state-dir>/<application-id> except the \
            embedded broker's data.
            """)

    @Option(name: .customLong("application-id"), help: "The application (its consumer group and topic prefix).")
    var applicationID: String

    @Option(name: .customLong("input-topics"), help: "The input topics, comma-separated (default: those the group committed).")
    var inputTopics: String?

    @Flag(name: .customLong("to-earliest"), help: "Reset the input offsets to the earliest offsets (the default).")
    var toEarliest = false

    @Option(name: .customLong("to-timestamp"), help: "Reset the input offsets to the first record at or after this time (ms since the epoch).")
    var toTimestamp: Int64?

    @Flag(name: .customLong("to-latest"), help: "Reset the input offsets to the latest offsets (skip what is there).")
    var toLatest = false

    @Flag(name: .customLong("dry-run"), help: "Print what would be done, change nothing.")
    var dryRun = false

    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        if applicationID.isEmpty { throw ValidationError("--application-id must not be empty") }
        let chosen = [toEarliest, toTimestamp != nil, toLatest].filter { $0 }.count
        if chosen > 1 { throw ValidationError("choose at most one of --to-earliest, --to-timestamp MS, --to-latest") }
        if let toTimestamp, toTimestamp < 0 {
            throw ValidationError("--to-timestamp expects milliseconds since the epoch (>= 0), got \(toTimestamp)")
        }
        if let topics = parsedInputTopics, topics.isEmpty || topics.contains(where: \.isEmpty) {
            throw ValidationError("--input-topics expects topic names separated by commas, got '\(inputTopics ?? "")'")
        }
        try connection.check(applicationID: applicationID)
    }

    var parsedInputTopics: [String]? {
        inputTopics.map { $0.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) } }
    }

    var target: ResetTarget {
        if let toTimestamp { return .timestamp(toTimestamp) }
        return toLatest ? .latest : .earliest
    }

    func run() async throws {
        let reset = ApplicationReset(
            applicationID: applicationID, inputTopics: parsedInputTopics, target: target,
            stateDirectory: connection.stateDirectory, dryRun: dryRun, output: { print($0) })
        try await withAdmin(connection, applicationID: applicationID) { admin in try await reset.run(admin) }
    }
}
