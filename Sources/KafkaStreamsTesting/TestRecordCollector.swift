import KafkaStreams
import NIOCore

/// The test driver's record collector: keeps every sent record in its topic's log and
/// notes those sent to topics the topology reads, so the driver can process them next.
final class TestRecordCollector: RecordCollector {
    private(set) var logs: [String: OutputLog] = [:]
    /// The last topic sent to, its log and whether the topology reads it: sinks usually
    /// write one topic, so this saves two lookups per record.
    private var last: (topic: String, log: OutputLog, isSource: Bool)?
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
        let target: (topic: String, log: OutputLog, isSource: Bool)
        if let last, last.topic == topic {
            target = last
        } else {
            target = (topic, log(topic), isSourceTopic(topic))
            last = target
        }
        let offset: Int64
        do {
            offset = try target.log.append(record, keySerde: keySerde, valueSerde: valueSerde)
        } catch {
            throw StreamsError(
                .serialization, "sink \(node) could not serialize a record for topic \(topic): \(error)",
                context: .init(node: node), cause: error)
        }
        if target.isSource { loopback.append((topic, offset)) }
    }

    /// Appends a store change to its changelog topic's log and returns its offset, so the
    /// driver's state manager can checkpoint real offsets.
    func sendChangelog(topic: String, partition: Int32, key: [UInt8], value: ArraySlice<UInt8>?, timestamp: Int64) throws -> Int64? {
        let target: OutputLog
        if let last = lastChangelog, last.topic == topic {
            target = last.log
        } else {
            target = log(topic)
            lastChangelog = (topic, target)
        }
        return target.appendBytes(key: key, value: value, timestamp: timestamp)
    }

    /// The last changelog written: a task's stores usually log to few topics.
    private var lastChangelog: (topic: String, log: OutputLog)?
}
