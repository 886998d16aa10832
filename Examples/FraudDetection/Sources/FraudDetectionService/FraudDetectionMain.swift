import FraudDetection
import Foundation
import KafkaStreams
import KafkaStreamsService
import Logging

/// `fraud-detection`: the fraud-detection topology as a service, with its payment
/// generator and the alerts printed as they arrive. Configuration: Kafka Streams property
/// names as flags (`--num-stream-threads 2`), environment variables (`NUM_STREAM_THREADS=2`)
/// or a file (`--config-file fraud.yaml`); see `docs/service.md`.
@main
enum FraudDetectionMain {
    static let usage = """
        fraud-detection: card-fraud detection as a Kafka Streams service (HTTP on http.port).

        Every key is a flag (--key-name value), an environment variable (KEY_NAME=value) or a
        line of --config-file FILE (JSON or YAML). Defaults:
          --bootstrap-servers embedded        the in-process broker; or host:port,...
          --application-id fraud-detection
          --state-dir /tmp/kafka-streams
          --http-port 8080                    GET /cards/{card}/risk, /stores/..., /health/ready, /metrics
          --generator-rate 100                payments per second (0: as fast as possible)
          --generator-rounds N                stop generating after N rounds (0: no generator; default: never)
          --generator-cards 20                cards per round; the first four carry fraud patterns
          --alerts-print true                 print each alert
        and every Kafka Streams property (processing.guarantee, num.stream.threads, ...).
        """

    static func main() async {
        await ServiceMain.run("fraud-detection", usage: usage) { try await run() }
    }

    static func run() async throws {
        let configuration = try await ServiceConfiguration.load(
            defaults: [
                "application.id": "fraud-detection", "default.deserialization.exception.handler": "logAndContinue",
                "commit.interval.ms": "1000", "linger.ms": "5",
            ],
            extraKeys: FraudServiceSettings.keys)
        let settings = try FraudServiceSettings(configuration)
        let service = try FraudDetectionService.make(configuration: configuration, settings: settings)
        printLine("fraud-detection: starting (bootstrap.servers=\(configuration.streams.bootstrapServers), http.port=\(configuration.httpPort))")
        try await service.run()
        printLine("fraud-detection: stopped cleanly")
    }
}
