import ArgumentParser
import Foundation
import KafkaBroker
import KafkaSecurity
import Logging

/// `kafka-broker`: runs the embedded broker standalone until SIGINT/SIGTERM.
@main
struct KafkaBrokerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kafka-broker",
        abstract: "A single-node, file-backed Kafka-protocol broker.",
        discussion: "Prints its bootstrap address (host:port) on the first line of standard output once it listens.")

    @Option(help: "Port to listen on (0 picks a free port).")
    var port: Int = 9092

    @Option(help: "Host to listen on (loopback by default).")
    var host: String = "127.0.0.1"

    @Option(name: .customLong("data-dir"), help: "Directory for the logs and broker state.")
    var dataDir: String = "./kafka-data"

    @Option(help: "Host advertised to clients in Metadata (default: the listening host).")
    var advertisedHost: String?

    @Option(help: "Partitions of auto-created topics and of CreateTopics with -1.")
    var numPartitions: Int32 = 1

    @Flag(help: "Create unknown topics on Metadata requests that allow it.")
    var autoCreateTopics = false

    @Option(name: .customLong("topic-config"), help: "A broker-wide topic config default, name=value (repeatable), e.g. flush.messages=1.")
    var topicConfigs: [String] = []

    @Option(name: .customLong("tls-cert"), help: "PEM certificate chain: the listener speaks TLS (with --tls-key).")
    var tlsCertificate: String?

    @Option(name: .customLong("tls-key"), help: "PEM private key of --tls-cert.")
    var tlsKey: String?

    @Option(name: .customLong("tls-client-ca"), help: "PEM CAs whose client certificates are required (ssl.client.auth=required).")
    var tlsClientCA: String?

    @Option(name: .customLong("sasl-mechanism"), help: "Enable a SASL mechanism: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 (repeatable).")
    var saslMechanisms: [String] = []

    @Option(name: .customLong("sasl-user"), help: "A SASL user, name:password (repeatable).")
    var saslUsers: [String] = []

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    func run() async throws {
        var config = BrokerConfig()
        config.advertisedHost = advertisedHost
        config.defaultPartitions = numPartitions
        config.autoCreateTopics = autoCreateTopics
        for entry in topicConfigs {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw ValidationError("--topic-config expects name=value, got \(entry)") }
            if let problem = TopicConfig.validate(name: parts[0], value: parts[1]) { throw ValidationError(problem) }
            config.topicDefaults[parts[0]] = parts[1]
        }
        switch (tlsCertificate, tlsKey) {
        case (let certificate?, let key?):
            config.security.tls = .init(certificateFile: certificate, keyFile: key, clientCAFile: tlsClientCA)
        case (nil, nil): break
        default: throw ValidationError("--tls-cert and --tls-key go together")
        }
        for name in saslMechanisms {
            guard let mechanism = SASLMechanism(rawValue: name.uppercased()) else {
                throw ValidationError("unknown SASL mechanism \(name); use PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512")
            }
            config.security.saslMechanisms.insert(mechanism)
        }
        for user in saslUsers {
            let parts = user.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw ValidationError("--sasl-user expects name:password, got \(user)") }
            config.security.users[parts[0]] = parts[1]
        }
        if !saslMechanisms.isEmpty && saslUsers.isEmpty { throw ValidationError("--sasl-mechanism needs at least one --sasl-user") }
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let broker = try await EmbeddedBroker.start(
            dataDirectory: dataDir, host: host, port: port, config: config, logger: Logger(label: "kafka-broker"))
        FileHandle.standardOutput.write(Data((broker.bootstrapServers + "\n").utf8))
        let signals = AsyncStream<Int32> { continuation in
            for sig in [SIGINT, SIGTERM] {
                signal(sig, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: sig, queue: .main)
                source.setEventHandler { continuation.yield(sig) }
                source.resume()
                nonisolatedUnsafeSources.append(source)
            }
        }
        for await _ in signals { break }
        try await broker.shutdown()
    }
}

/// Keeps the signal sources alive for the life of the process (only touched during start).
nonisolated(unsafe) var nonisolatedUnsafeSources: [DispatchSourceSignal] = []
