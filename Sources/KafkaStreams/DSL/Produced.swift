/// How a sink writes a topic: serdes, partitioner, processor name.
///
/// Serdes left `nil` default to those the stream already has (from its source or last
/// repartition); if it has none for its current types, `build()` fails naming the sink.
public struct Produced<Key, Value>: Sendable {
    /// The key serde (`nil`: the stream's).
    public var key: Serde<Key>?
    /// The value serde (`nil`: the stream's).
    public var value: Serde<Value>?
    /// Chooses partitions (`nil`: murmur2 of the serialized key).
    public var partitioner: StreamPartitioner<Key, Value>?
    /// The sink processor's name.
    public var named: Named?

    /// Creates production options.
    public init(
        key: Serde<Key>? = nil, value: Serde<Value>? = nil, partitioner: StreamPartitioner<Key, Value>? = nil,
        named: Named? = nil
    ) {
        self.key = key
        self.value = value
        self.partitioner = partitioner
        self.named = named
    }

    /// Kafka Streams' spelling: `Produced.with(keySerde, valueSerde)`.
    public static func with(_ key: Serde<Key>, _ value: Serde<Value>) -> Produced { Produced(key: key, value: value) }
}
