/// Chooses the topic a sink writes each record to: one fixed topic or a per-record choice.
public struct TopicNameExtractor<Key, Value>: Sendable {
    enum Kind: Sendable {
        case fixed(String)
        case extractor(@Sendable (Record<Key, Value>, RecordMetadata?) throws -> String)
    }
    let kind: Kind

    /// Always the same topic.
    public static func topic(_ name: String) -> TopicNameExtractor { TopicNameExtractor(kind: .fixed(name)) }

    /// A topic chosen per record, from the record and the metadata of the source record
    /// being processed (`nil` inside a punctuation).
    public static func choose(
        _ extract: @escaping @Sendable (Record<Key, Value>, RecordMetadata?) throws -> String
    ) -> TopicNameExtractor {
        TopicNameExtractor(kind: .extractor(extract))
    }

    /// The fixed topic, or `nil` for a per-record choice.
    public var fixedTopic: String? {
        if case .fixed(let name) = kind { return name }
        return nil
    }
}

/// Chooses the partition a sink writes a record to.
///
/// Returns a partition in `0..<partitionCount`, or `nil` to use the default partitioner
/// (murmur2 of the serialized key, as Kafka's Java producer).
public struct StreamPartitioner<Key, Value>: Sendable {
    /// Returns the partition for the record.
    public let partition: @Sendable (_ topic: String, _ key: Key, _ value: Value, _ partitionCount: Int32) -> Int32?

    /// Creates a partitioner from a function.
    public init(_ partition: @escaping @Sendable (_ topic: String, _ key: Key, _ value: Value, _ partitionCount: Int32) -> Int32?) {
        self.partition = partition
    }
}
