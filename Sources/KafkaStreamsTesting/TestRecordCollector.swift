import KafkaStreams
import NIOCore

/// The test driver's record collector: keeps every sent record in its topic's log and
/// notes those sent to topics the topology reads, so the driver can process them next.
final class TestRecordCollector: RecordCollector {
    private(set) var logs: [String: OutputLog] = [:]
    /// Records written to topics that the topology also reads, in order: (topic, offset).
    var loopback: [(topic: String, offset: Int64)] = []
    /// Whether a topic is read by the topology (set by the driver).
    var isSourceTopic: (String) -> Bool = { _ in false }

    func log(_ topic: String) -> OutputLog {
        if let log = logs[topic] { return log }
        let log = OutputLog()
        logs[topic] = log
        return log
    }

    func send<Key, Value>(
        _ record: Record<Key, Value>, topic: String, keySerde: Serde<Key>, valueSerde: Serde<Value>,
        partitioner: StreamPartitioner<Key, Value>?, node: String
    ) throws {
        let offset: Int64
        do {
            offset = try log(topic).append(record, keySerde: keySerde, valueSerde: valueSerde)
        } catch {
            throw StreamsError(
                .serialization, "sink \(node) could not serialize a record for topic \(topic): \(error)",
                context: .init(node: node), cause: error)
        }
        if isSourceTopic(topic) { loopback.append((topic, offset)) }
    }
}
