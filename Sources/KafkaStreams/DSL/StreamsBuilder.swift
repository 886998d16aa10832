/// The DSL entry point: declares streams and tables over topics, then ``build()``s the
/// ``Topology``.
///
/// Each operator names itself, adds a node to a logical graph and returns the new stream;
/// ``build()`` writes that graph into a ``TopologyBuilder``, the same one the Processor API
/// uses, and validates it.
///
/// ```swift
/// let builder = StreamsBuilder()
/// builder.stream("payments", key: .string, value: .json(Payment.self))
///     .filter { _, p in p.amount > 0 }
///     .to("positive-payments")
/// let topology = try builder.build()
/// ```
public final class StreamsBuilder {
    /// A node of the logical graph: a name, its parents, and how to write it.
    struct GraphNode {
        let name: String
        let parents: [String]
        let write: (TopologyBuilder) throws -> Void
    }

    var graph: [GraphNode] = []
    var storeBuilders: [(TopologyBuilder) throws -> Void] = []
    /// Set while building with `topology.optimization=all`.
    var optimize = false
    /// Repartition sources already written, by the node they repartition (for optimization).
    var repartitionSources: [String: String] = [:]
    /// Source topics of tables, by store name, that may serve as the store's changelog.
    var sourceTopicChangelogs: [String: String] = [:]
    private var index = 0

    /// Creates an empty builder.
    public init() {}

    /// A new processor name, `<prefix><10-digit counter>` as Kafka Streams generates it.
    func newName(_ prefix: String) -> String {
        defer { index += 1 }
        let digits = String(index)
        return prefix + String(repeating: "0", count: max(0, 10 - digits.count)) + digits
    }

    /// The given name, or a new generated one.
    func name(_ named: Named?, _ prefix: String) -> String { named?.name ?? newName(prefix) }

    func add(_ name: String, parents: [String], write: @escaping (TopologyBuilder) throws -> Void) {
        graph.append(GraphNode(name: name, parents: parents, write: write))
    }

    /// A stream of the records of one topic.
    ///
    /// - Parameters:
    ///   - topic: the topic.
    ///   - key: the key serde; use `.optional(...)` if keys may be null.
    ///   - value: the value serde.
    ///   - timestampExtractor: how event time is chosen.
    ///   - offsetReset: where to start without a committed offset.
    ///   - named: the source processor's name.
    public func stream<Key, Value>(
        _ topic: String, key: Serde<Key>, value: Serde<Value>,
        timestampExtractor: TimestampExtractor<Key, Value> = .recordTimestamp, offsetReset: AutoOffsetReset? = nil,
        named: Named? = nil
    ) -> KStream<Key, Value> {
        stream(
            [topic],
            Consumed(key: key, value: value, timestampExtractor: timestampExtractor, offsetReset: offsetReset, named: named))
    }

    /// A stream of the records of several topics, merged.
    public func stream<Key, Value>(_ topics: [String], _ consumed: Consumed<Key, Value>) -> KStream<Key, Value> {
        let name = name(consumed.named, "KSTREAM-SOURCE-")
        add(name, parents: []) { topology in
            topology.addSource(
                name, topics: topics, key: consumed.key, value: consumed.value,
                timestampExtractor: consumed.timestampExtractor, offsetReset: consumed.offsetReset)
        }
        return KStream(builder: self, name: name, keySerde: consumed.key, valueSerde: consumed.value, repartitionRequired: false)
    }

    /// A stream of one topic, with consumption options.
    public func stream<Key, Value>(_ topic: String, _ consumed: Consumed<Key, Value>) -> KStream<Key, Value> {
        stream([topic], consumed)
    }

    /// A stream of every topic whose name matches the pattern.
    public func stream<Key, Value>(pattern: TopicPattern, _ consumed: Consumed<Key, Value>) -> KStream<Key, Value> {
        let name = name(consumed.named, "KSTREAM-SOURCE-")
        add(name, parents: []) { topology in
            topology.addSource(
                name, pattern: pattern, key: consumed.key, value: consumed.value,
                timestampExtractor: consumed.timestampExtractor, offsetReset: consumed.offsetReset)
        }
        return KStream(builder: self, name: name, keySerde: consumed.key, valueSerde: consumed.value, repartitionRequired: false)
    }

    /// Adds a state store for processors added with `KStream.process(stores:)`.
    @discardableResult
    public func addStateStore<S>(_ store: StoreBuilder<S>) -> StreamsBuilder {
        storeBuilders.append { _ = $0.addStateStore(store) }
        return self
    }

    /// Adds a store made when the graph is written (so its serdes may be checked then).
    func addStore(named name: String, owner: String, _ make: @escaping () throws -> AnyStoreBuilder) {
        storeBuilders.append { topology in
            let builder = try make()
            topology.stores[name] = builder
            topology.storeOrder.append(name)
        }
    }

    /// How much `build` rewrites the logical graph (`topology.optimization`).
    public enum Optimization: String, Sendable {
        /// Write the graph as declared.
        case none
        /// Reuse a `table()` source topic as its store's changelog, and let groupings of
        /// the same re-keyed stream share one repartition topic.
        case all
    }

    /// Writes the logical graph into a ``TopologyBuilder`` and validates it.
    ///
    /// - Parameter optimization: `.all` applies Kafka Streams' `topology.optimization=all`
    ///   rewrites (see ``Optimization``).
    /// - Throws: ``StreamsError`` (`invalidTopology`) naming the node at fault, e.g. a sink
    ///   whose serdes are unknown for its types, or a store connected to nothing.
    public func build(optimization: Optimization = .none) throws -> Topology {
        let topology = TopologyBuilder()
        optimize = optimization == .all
        repartitionSources = [:]
        defer { optimize = false }
        for store in storeBuilders { try store(topology) }
        for node in graph { try node.write(topology) }
        if optimize {
            for (store, topic) in sourceTopicChangelogs { topology.changelogOverrides[store] = topic }
        }
        return try topology.build()
    }
}
