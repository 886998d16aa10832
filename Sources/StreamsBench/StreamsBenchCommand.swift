import ArgumentParser
import Foundation
import KafkaStreams

/// `streams-bench`: the Swift side of `scripts/bench-streams`. Runs one of the benchmark
/// topologies as a StreamsApplication against a broker until killed; the harness measures
/// throughput from the group's committed offsets, the same way for every engine.
@main
struct StreamsBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "streams-bench", abstract: "Runs a benchmark topology over input → output until killed.")

    @Option(help: "host:port of the broker.")
    var bootstrap: String

    @Option(help: "stateless (filter + mapValues), count (count per key, RocksDB) or windowed (1-minute tumbling count).")
    var topology: String

    @Option(help: "at-least-once or exactly-once.")
    var guarantee = "at-least-once"

    @Option(help: "application.id (the consumer group).")
    var appId: String

    @Option(help: "state.dir.")
    var stateDir: String

    @Option(help: "num.stream.threads.")
    var threads = 1

    func run() async throws {
        var config = StreamsConfig(applicationID: appId, bootstrapServers: bootstrap)
        config.stateDirectory = stateDir
        config.numStreamThreads = threads
        switch guarantee {
        case "at-least-once": config.processingGuarantee = .atLeastOnce
        case "exactly-once":
            config.processingGuarantee = .exactlyOnceV2
        default: throw ValidationError("--guarantee must be at-least-once or exactly-once")
        }
        config.commitInterval = guarantee == "exactly-once" ? .milliseconds(100) : .seconds(1)
        let app = StreamsApplication(try Self.topology(topology), config: config)
        try await app.run()
    }

    /// The topologies Benchmarks/Peers/quix_app.py also runs.
    static func topology(_ name: String) throws -> Topology {
        let builder = StreamsBuilder()
        let input = builder.stream("input", key: .string, value: .string)
        switch name {
        case "stateless":
            input.filter { _, value in value.first != "x" }
                .mapValues { $0.uppercased() }
                .to("output", key: .string, value: .string)
        case "count":
            input.groupByKey().count(.as("counts")).toStream().to("output", key: .string, value: .optional(.int64))
        case "windowed":
            input.groupByKey()
                .windowedBy(.tumbling(every: .seconds(60)))
                .count(.as("windowed-counts"))
                .toStream()
                .map { windowed, count in (windowed.key, count) }
                .to("output", key: .string, value: .optional(.int64))
        default:
            throw ValidationError("--topology must be stateless, count or windowed")
        }
        return try builder.build()
    }
}
