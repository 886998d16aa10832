import KafkaClient
import KafkaProtocol
import NIOCore

/// The runtime's record collector: serializes what a thread's tasks send into producer
/// records, kept in order until the thread hands the whole batch to its producer with
/// one `await` (processing a poll batch stays synchronous).
///
/// A sink without a partitioner leaves the partition to the producer (murmur2 of the key
/// bytes, as Java's default partitioner), so records land where Java clients would put
/// them; a ``StreamPartitioner`` sees the topic's partition count when it is known.
package final class ProducerRecordCollector: RecordCollector {
    /// Records serialized and not yet handed to the producer.
    package private(set) var pending: [ProducerRecord] = []
    /// Partition counts of the topics written, for custom partitioners.
    package var partitionCounts: [String: Int32] = [:]
    /// Changelog partitions written since the last commit.
    package private(set) var changelogPartitionsWritten: Set<TopicPartition> = []
    private let allocator = ByteBufferAllocator()

    package init() {}

    /// Takes the pending records.
    package func drain() -> [ProducerRecord] {
        defer { pending.removeAll(keepingCapacity: true) }
        return pending
    }

    /// Forgets the changelog partitions written (after a commit recorded their offsets).
    package func resetChangelogPartitions() { changelogPartitionsWritten.removeAll(keepingCapacity: true) }

    package func send<Key, Value>(
        _ record: Record<Key, Value>, topic: String, keySerde: Serde<Key>, valueSerde: Serde<Value>,
        partitioner: StreamPartitioner<Key, Value>?, node: String
    ) throws {
        var buffer = allocator.buffer(capacity: 128)
        let key: ByteBuffer?
        let value: ByteBuffer?
        do {
            let hasKey = try keySerde.serialize(record.key, into: &buffer)
            let keyLength = buffer.readableBytes
            let hasValue = try valueSerde.serialize(record.value, into: &buffer)
            key = hasKey ? buffer.getSlice(at: buffer.readerIndex, length: keyLength) : nil
            value = hasValue ? buffer.getSlice(at: buffer.readerIndex + keyLength, length: buffer.readableBytes - keyLength) : nil
        } catch {
            throw StreamsError(
                .serialization, "sink \(node) could not serialize a record for topic \(topic): \(error)",
                context: .init(topic: topic, node: node), cause: error)
        }
        var partition: Int32?
        if let partitioner, let count = partitionCounts[topic] {
            partition = partitioner.partition(topic, record.key, record.value, count)
        }
        pending.append(
            ProducerRecord(
                topic: topic, partition: partition, key: key, value: value, headers: Self.recordHeaders(record.headers),
                timestamp: record.timestamp))
    }

    package func sendChangelog(topic: String, partition: Int32, key: [UInt8], value: ArraySlice<UInt8>?, timestamp: Int64) throws
        -> Int64?
    {
        changelogPartitionsWritten.insert(TopicPartition(topic, partition))
        pending.append(
            ProducerRecord(
                topic: topic, partition: partition, key: ByteBuffer(bytes: key), value: value.map { ByteBuffer(bytes: $0) },
                timestamp: timestamp))
        return nil
    }

    /// The stream's headers as the producer's (no allocation when there are none).
    static func recordHeaders(_ headers: Headers) -> RecordHeaders {
        guard !headers.isEmpty else { return .empty }
        return RecordHeaders(headers.map { (key: $0.key, value: $0.value.map { ByteBuffer(bytes: $0) }) })
    }
}
