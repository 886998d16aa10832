import ArgumentParser
import KafkaClient

/// `kstreams lag`: how far an application's consumer group is behind, per partition.
///
/// A task id (`<sub-topology>_<partition>`) needs the topology, so the lag is printed per
/// topic-partition the group has committed offsets for (inputs and repartition topics):
/// committed offset, end offset, lag, then the total.
struct LagCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lag", abstract: "Print an application's consumer lag per topic-partition and in total.")

    @Option(name: .customLong("application-id"), help: "The application (its consumer group).")
    var applicationID: String

    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        if applicationID.isEmpty { throw ValidationError("--application-id must not be empty") }
        try connection.check(applicationID: applicationID)
    }

    func run() async throws {
        let group = applicationID
        let lag = try await withAdmin(connection, applicationID: applicationID) { admin in
            try await admin.consumerGroupLag(group)
        }
        print(LagReport(group: group, lag: lag).text, terminator: "")
    }
}

/// The printed lag table.
struct LagReport {
    let group: String
    let lag: [TopicPartition: PartitionLag]

    var text: String {
        guard !lag.isEmpty else { return "group \(group) has no committed offsets\n" }
        let width = max(5, lag.keys.map(\.topic.count).max() ?? 0)
        func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(0, n - s.count)) }
        var lines = [pad("TOPIC", width) + "  PARTITION  COMMITTED  END-OFFSET  LAG"]
        for partition in lag.keys.sorted() {
            let entry = lag[partition]!
            lines.append(
                pad(partition.topic, width) + "  " + pad("\(partition.partition)", 9) + "  " + pad("\(entry.committed)", 9)
                    + "  " + pad("\(entry.endOffset)", 10) + "  \(entry.lag)")
        }
        lines.append("total lag: \(lag.values.reduce(0) { $0 + $1.lag })")
        return lines.joined(separator: "\n") + "\n"
    }
}
