import Clickstream
import Foundation
import KafkaStreams
import KafkaStreamsService
import Logging

/// `clickstream`: the clickstream topology as a service, with its page-view generator and
/// the top pages and funnel printed as they change. Configured like `fraud-detection`
/// (flags, environment variables, `--config-file`; `docs/service.md`).
@main
enum ClickstreamMain {
    static let usage = """
        clickstream: clickstream analytics as a Kafka Streams service (HTTP on http.port).

        Every key is a flag (--key-name value), an environment variable (KEY_NAME=value) or a
        line of --config-file FILE (JSON or YAML). Defaults:
          --bootstrap-servers embedded        the in-process broker; or host:port,...
          --application-id clickstream
          --state-dir /tmp/kafka-streams
          --http-port 8081                    GET /users/{user}/sessions, /pages/{page}/views, /stores/funnel-counts/range, /stores/...
          --generator-rate 200                page views per second (0: as fast as possible)
          --generator-rounds N                stop generating after N rounds (0: no generator; default: never)
          --generator-users 50                users per round
          --output-print true                 print top pages and funnel updates
        and every Kafka Streams property (processing.guarantee, num.stream.threads, ...).
        """

    static func main() async {
        await ServiceMain.run("clickstream", usage: usage) {
            let configuration = try await ServiceConfiguration.load(
                defaults: [
                    "application.id": "clickstream", "default.deserialization.exception.handler": "logAndContinue",
                    "commit.interval.ms": "1000", "linger.ms": "5", "http.port": "8081",
                ],
                extraKeys: ClickstreamSettings.keys)
            let service = try ClickstreamService.make(configuration: configuration, settings: try ClickstreamSettings(configuration))
            printLine("clickstream: starting (bootstrap.servers=\(configuration.streams.bootstrapServers), http.port=\(configuration.httpPort))")
            try await service.run()
            printLine("clickstream: stopped cleanly")
        }
    }
}
