import ArgumentParser
import Foundation
import KafkaStreams
import WordCount

/// `word-count`: the WordCount example, on the runtime (the embedded broker by default,
/// or a cluster) or on the TopologyTestDriver.
@main
struct WordCountCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "word-count",
        abstract: "Counts words with a Kafka Streams topology.",
        discussion: """
            By default, starts the embedded broker in-process, produces the lines of the given files \
            (or of standard input) to \(WordCount.inputTopic), runs the topology as a StreamsApplication, \
            prints the counts from \(WordCount.outputTopic) once the input is processed, and stops.
            """)

    @Argument(help: "Files whose lines are counted (default: standard input).")
    var files: [String] = []

    @Option(help: "The cluster (host:port,...) or 'embedded' for the in-process broker.")
    var bootstrapServers = "embedded"

    @Option(help: "The state directory (RocksDB stores, checkpoints, the embedded broker's data); default: a new temporary one.")
    var stateDir: String?

    @Option(help: "The application id (consumer group, internal topic prefix).")
    var applicationId = "wordcount"

    @Option(help: "at_least_once or exactly_once_v2.")
    var processingGuarantee = "at_least_once"

    @Option(help: "Stream threads.")
    var threads = 1

    @Option(name: .customLong("property"), help: "A Kafka Streams property as name=value (repeatable), e.g. session.timeout.ms=6000.")
    var properties: [String] = []

    @Flag(help: "Keep running (until Ctrl-C or SIGTERM) instead of stopping once the input is counted.")
    var follow = false

    @Flag(help: "Do not produce input; only run the application (input comes from elsewhere).")
    var noProduce = false

    @Flag(help: "Run on the TopologyTestDriver instead (no broker).")
    var driver = false

    @Flag(help: "Print the topology and exit.")
    var describe = false

    func run() async throws {
        if describe {
            print(try WordCount.topology().describe())
            return
        }
        let lines = noProduce ? [] : try readLines(files)
        if driver { return try runOnDriver(lines) }
        var settings = [
            "application.id": applicationId, "bootstrap.servers": bootstrapServers, "state.dir": stateDir ?? temporaryStateDirectory(),
            "processing.guarantee": processingGuarantee, "num.stream.threads": "\(threads)",
        ]
        for property in properties {
            guard let equals = property.firstIndex(of: "=") else {
                throw ValidationError("--property \(property): expected name=value")
            }
            settings[String(property[..<equals])] = String(property[property.index(after: equals)...])
        }
        var config = try StreamsConfig(properties: settings)
        if settings["commit.interval.ms"] == nil && processingGuarantee != "exactly_once_v2" { config.commitInterval = .milliseconds(500) }
        try await runOnRuntime(lines: lines, config: config, follow: follow)
    }
}

/// A new directory under the system's temporary directory.
func temporaryStateDirectory() -> String {
    let path = NSTemporaryDirectory() + "kafka-streams-wordcount-\(UUID().uuidString.prefix(8))"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
