import ArgumentParser
import KafkaClient

/// `kstreams topics`: list, create and describe topics.
struct TopicsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topics", abstract: "List, create and describe topics.",
        subcommands: [List.self, Create.self, Describe.self])

    /// The connection options with the optional application id that embedded mode needs.
    struct Target: ParsableArguments {
        @OptionGroup var connection: ConnectionOptions

        @Option(name: .customLong("application-id"), help: "The application whose embedded broker to open (embedded only).")
        var applicationID: String?

        func validate() throws { try connection.check(applicationID: applicationID) }

        func withAdmin<T: Sendable>(_ body: (KafkaAdmin) async throws -> T) async throws -> T {
            try await kstreams.withAdmin(connection, applicationID: applicationID, body)
        }
    }

    /// `kstreams topics list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the topics, one per line.")

        @OptionGroup var target: Target

        func run() async throws {
            let names = try await target.withAdmin { admin in try await admin.listTopics() }
            for name in names { print(name) }
        }
    }

    /// `kstreams topics create`.
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a topic.")

        @Argument(help: "The topic's name.")
        var name: String

        @Option(help: "The number of partitions (at least 1).")
        var partitions: Int32

        @Option(name: .customLong("replication-factor"), help: "The replication factor (-1: the broker's default).")
        var replicationFactor: Int16 = -1

        @Option(name: .customLong("config"), help: "A topic config, name=value (repeatable), e.g. cleanup.policy=compact.")
        var configs: [String] = []

        @OptionGroup var target: Target

        func validate() throws {
            if name.isEmpty { throw ValidationError("the topic NAME must not be empty") }
            if partitions < 1 { throw ValidationError("--partitions expects a number of at least 1, got \(partitions)") }
            _ = try parsedConfigs()
        }

        func parsedConfigs() throws -> [String: String] {
            var result: [String: String] = [:]
            for entry in configs {
                let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, !parts[0].isEmpty else {
                    throw ValidationError("--config expects name=value, got '\(entry)'")
                }
                result[parts[0]] = parts[1]
            }
            return result
        }

        func run() async throws {
            let topic = NewTopic(name, partitions: partitions, replicationFactor: replicationFactor, configs: try parsedConfigs())
            try await target.withAdmin { admin in _ = try await admin.createTopic(topic) }
            print("created topic \(name) with \(partitions) partition(s)")
        }
    }

    /// `kstreams topics describe`.
    struct Describe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Describe a topic: partitions, leaders, replicas and configs.")

        @Argument(help: "The topic's name.")
        var name: String

        @OptionGroup var target: Target

        func run() async throws {
            let name = name
            let (description, configs) = try await target.withAdmin { admin in
                let description = try await admin.describeTopic(name)
                let configs = (try? await admin.describeConfigs(.topic(name))) ?? [:]
                return (description, configs)
            }
            print("Topic: \(description.name)\tPartitions: \(description.partitions.count)")
            let overrides = configs.values.filter { !$0.isDefault }.sorted { $0.name < $1.name }
            if !overrides.isEmpty {
                print("Configs: " + overrides.map { "\($0.name)=\($0.value ?? "")" }.joined(separator: ","))
            }
            for partition in description.partitions.sorted(by: { $0.partition < $1.partition }) {
                let leader = partition.leader.map { "\($0)" } ?? "none"
                print(
                    "\tPartition: \(partition.partition)\tLeader: \(leader)"
                        + "\tReplicas: \(partition.replicas.map(String.init).joined(separator: ","))"
                        + "\tIsr: \(partition.isr.map(String.init).joined(separator: ","))")
            }
        }
    }
}
