/// Options of `KStream.repartition`: the internal topic's name, serdes, partition count
/// and partitioner.
public struct Repartitioned<Key, Value>: Sendable {
    /// Names the topic `<application.id>-<name>-repartition` and its processors.
    public var named: Named?
    /// The key serde (`nil`: the stream's).
    public var key: Serde<Key>?
    /// The value serde (`nil`: the stream's).
    public var value: Serde<Value>?
    /// The topic's partition count (`nil`: that of the source topics).
    public var numberOfPartitions: Int32?
    /// Chooses partitions (`nil`: murmur2 of the serialized key).
    public var partitioner: StreamPartitioner<Key, Value>?

    /// Creates repartition options.
    public init(
        named: Named? = nil, key: Serde<Key>? = nil, value: Serde<Value>? = nil, numberOfPartitions: Int32? = nil,
        partitioner: StreamPartitioner<Key, Value>? = nil
    ) {
        self.named = named
        self.key = key
        self.value = value
        self.numberOfPartitions = numberOfPartitions
        self.partitioner = partitioner
    }
}
