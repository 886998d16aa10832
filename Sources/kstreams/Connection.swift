import Foundation
import KafkaClient
import KafkaStreamsEmbedded
import Logging

/// Runs an operation with an admin client: on the cluster, or on the embedded broker
/// started for the operation on `<state-dir>/<application-id>/embedded-broker` (as
/// `StreamsApplication` starts it) and shut down afterwards; refused while the application
/// runs on that state directory (``checkNotRunning(stateDirectory:applicationID:)``).
func withAdmin<T: Sendable>(
    _ options: ConnectionOptions, applicationID: String?, _ body: (KafkaAdmin) async throws -> T
) async throws -> T {
    var broker: (any RunningEmbeddedBroker)?
    var servers = options.bootstrapServers
    if options.isEmbedded, let stateDirectory = options.stateDirectory, let applicationID {
        try checkNotRunning(stateDirectory: stateDirectory, applicationID: applicationID)
        var logger = Logger(label: "kafka-broker")
        logger.logLevel = .warning
        let dataDirectory = embeddedBrokerDirectory(stateDirectory: stateDirectory, applicationID: applicationID)
        let running = try await InProcessBroker(logger: logger).start(dataDirectory: dataDirectory)
        broker = running
        servers = running.bootstrapServers
    }
    var adminLogger = Logger(label: "kafka-admin")
    adminLogger.logLevel = .warning
    let admin = KafkaAdmin(config: try AdminConfig(bootstrapServers: servers), logger: adminLogger)
    do {
        let result = try await body(admin)
        await admin.close()
        try await broker?.shutdown()
        return result
    } catch {
        await admin.close()
        try? await broker?.shutdown()
        throw error
    }
}

/// The application's local state: `<state-dir>/<application-id>`.
func applicationStateDirectory(stateDirectory: String, applicationID: String) -> String {
    URL(fileURLWithPath: stateDirectory).appendingPathComponent(applicationID).path
}

/// The embedded broker's data directory inside the application's state directory.
let embeddedBrokerDirectoryName = "embedded-broker"

/// `<state-dir>/<application-id>/embedded-broker`.
func embeddedBrokerDirectory(stateDirectory: String, applicationID: String) -> String {
    URL(fileURLWithPath: applicationStateDirectory(stateDirectory: stateDirectory, applicationID: applicationID))
        .appendingPathComponent(embeddedBrokerDirectoryName).path
}
