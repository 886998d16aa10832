/// Options of a grouping: the name of the repartition topic it may need, and serdes.
public struct Grouped<Key, Value>: Sendable {
    /// Names the repartition topic `<application.id>-<name>-repartition` and its processors.
    public var named: Named?
    /// The key serde (`nil`: the stream's).
    public var key: Serde<Key>?
    /// The value serde (`nil`: the stream's).
    public var value: Serde<Value>?

    /// Creates grouping options.
    public init(named: Named? = nil, key: Serde<Key>? = nil, value: Serde<Value>? = nil) {
        self.named = named
        self.key = key
        self.value = value
    }

    /// Kafka Streams' spelling: `Grouped.as("name")`.
    public static func `as`(_ name: String) -> Grouped { Grouped(named: Named(name)) }

    /// Kafka Streams' spelling: `Grouped.with(keySerde, valueSerde)`.
    public static func with(_ key: Serde<Key>?, _ value: Serde<Value>?) -> Grouped { Grouped(key: key, value: value) }
}

extension StreamsBuilder {
    /// The name of a generated state store: `<prefix>STATE-STORE-<n>`, as Kafka Streams
    /// names the stores of unnamed aggregations.
    func newStoreName(_ prefix: String) -> String { newName(prefix + "STATE-STORE-") }

    /// Writes `parent`'s records through `<base>-repartition` (with the given serdes) and
    /// returns the name of the source that reads them back. With `topology.optimization`
    /// set to all, repeated repartitions of one parent share the first one's topic.
    func repartitionSource<Key, Value>(
        of parent: String, base: String, key: Serde<Key>, value: Serde<Value>, into topology: TopologyBuilder
    ) -> String {
        let cacheKey = parent
        if optimize, let existing = repartitionSources[cacheKey] { return existing }
        let topic = "\(base)-repartition"
        let sinkName = "\(base)-repartition-sink"
        let sourceName = "\(base)-repartition-source"
        topology.markInternal(topic, .repartition)
        topology.addSink(sinkName, topic: topic, key: key, value: value, parents: [parent])
        topology.addSource(sourceName, topics: [topic], key: key, value: value)
        repartitionSources[cacheKey] = sourceName
        return sourceName
    }
}
