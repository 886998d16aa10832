/// Where a task's sinks send records: the producer in the runtime, an in-memory log in the
/// test driver. Implementations serialize with the given serdes and pick the partition.
package protocol RecordCollector: AnyObject {
    /// Serializes and sends one record to `topic`.
    /// - Throws: ``StreamsError`` (`serialization`) naming the topic and node if a serde fails.
    func send<Key, Value>(
        _ record: Record<Key, Value>, topic: String, keySerde: Serde<Key>, valueSerde: Serde<Value>,
        partitioner: StreamPartitioner<Key, Value>?, node: String
    ) throws

    /// Sends one change of a logged store to its changelog topic partition (the task's
    /// partition): key bytes, value bytes (`nil`: a tombstone) and the record timestamp.
    /// - Returns: the record's offset if known at once (the test driver), else `nil` (the
    ///   runtime learns it from the producer and reports it to the state manager).
    /// - Throws: ``StreamsError`` if the record cannot be sent.
    func sendChangelog(topic: String, partition: Int32, key: [UInt8], value: ArraySlice<UInt8>?, timestamp: Int64) throws -> Int64?
}

extension RecordCollector {
    /// Sends the change through ``send(_:topic:keySerde:valueSerde:partitioner:node:)`` to
    /// the given partition; the offset is not known.
    package func sendChangelog(topic: String, partition: Int32, key: [UInt8], value: ArraySlice<UInt8>?, timestamp: Int64) throws -> Int64? {
        try send(
            Record(key: key, value: value.map { Array($0) }, timestamp: timestamp), topic: topic, keySerde: .bytes,
            valueSerde: .optional(.bytes), partitioner: StreamPartitioner { _, _, _, _ in partition }, node: topic)
        return nil
    }
}

/// One input partition of a task: the source node that reads it and its partition time.
///
/// Callers look it up once per partition and pass it for every record, so the hot path has
/// no per-record topic lookup.
package final class PartitionInput {
    /// The topic (with internal topics already prefixed with the application id).
    package let topic: String
    /// The partition.
    package let partition: Int32
    /// The source node reading this topic.
    let source: SourceNodeBase
    /// The largest timestamp taken from this partition, or -1.
    package internal(set) var partitionTime: Int64 = -1

    init(topic: String, partition: Int32, source: SourceNodeBase) {
        self.topic = topic
        self.partition = partition
        self.source = source
    }
}

/// The wall clock a task reads: the system clock, or a manual one in the test driver.
package final class StreamsClock {
    /// When set, the time returned by ``now()``; the test driver advances it by hand.
    package var manualTime: Int64?

    /// Creates a clock; `manualTime` makes it manual.
    package init(manualTime: Int64? = nil) { self.manualTime = manualTime }

    /// Milliseconds since the Unix epoch.
    package func now() -> Int64 {
        if let manualTime { return manualTime }
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
