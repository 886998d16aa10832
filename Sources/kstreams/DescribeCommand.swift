import ArgumentParser
import Clickstream
import FraudDetection
import KafkaStreams
import WordCount

/// `kstreams describe`: prints a bundled example's topology description.
struct DescribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe", abstract: "Print the topology description of a bundled example (text or Mermaid).")

    /// The bundled example topologies.
    enum Example: String, CaseIterable, ExpressibleByArgument {
        case wordcount, fraud, clickstream

        /// Builds the example's topology with its default settings.
        func topology() throws -> Topology {
            switch self {
            case .wordcount: return try WordCount.topology()
            case .fraud: return try FraudDetectionTopology().build()
            case .clickstream: return try ClickstreamTopology().build()
            }
        }
    }

    @Option(help: "The example: \(Example.allCases.map(\.rawValue).joined(separator: ", ")).")
    var example: Example

    @Flag(help: "Print a Mermaid flowchart instead of Kafka Streams' text layout.")
    var mermaid = false

    func run() throws {
        let description = try example.topology().describe()
        print(mermaid ? description.mermaid : description.description)
    }
}
