/// The Processor API: declares sources, processors, sinks and stores by name, then
/// ``build()``s a validated ``Topology``.
///
/// Declarations may come in any order (a parent may be declared after its child); every
/// check happens in ``build()``, which names the node at fault. This differs from Kafka
/// Streams' `Topology`, which checks as it goes; the checks themselves are the same.
///
/// ```swift
/// let builder = TopologyBuilder()
/// builder.addSource("in", topics: ["words"], key: .string, value: .string)
/// builder.addProcessor("upper", parents: ["in"]) { Uppercase() }
/// builder.addSink("out", topic: "shouts", key: .string, value: .string, parents: ["upper"])
/// let topology = try builder.build()
/// ```
public final class TopologyBuilder {
    var nodes: [NodeDefinition] = []
    var stores: [String: AnyStoreBuilder] = [:]
    var storeOrder: [String] = []
    var storeConnections: [String: [String]] = [:]
    var internalTopics: [String: InternalTopicKind] = [:]
    /// Stores whose changelog is an existing topic (a table's source topic) rather than
    /// `<application.id>-<store>-changelog`.
    var changelogOverrides: [String: String] = [:]
    var problems: [StreamsError] = []
    /// Groups of nodes whose input topics must be co-partitioned (joins).
    var copartitionNodeGroups: [[String]] = []

    /// Whether an internal topic holds repartitioned records or a store's changelog.
    enum InternalTopicKind: Sendable {
        case repartition
        case changelog
    }

    /// Creates an empty builder.
    public init() {}

    /// Adds a source reading the given topics.
    ///
    /// - Parameters:
    ///   - name: the node name, unique in the topology.
    ///   - topics: one or more topics; each topic is read by one source only.
    ///   - key: the key serde.
    ///   - value: the value serde.
    ///   - timestampExtractor: how the record's event time is chosen.
    ///   - offsetReset: where to start without a committed offset (default: the config's).
    @discardableResult
    public func addSource<Key, Value>(
        _ name: String, topics: [String], key: Serde<Key>, value: Serde<Value>,
        timestampExtractor: TimestampExtractor<Key, Value> = .recordTimestamp, offsetReset: AutoOffsetReset? = nil
    ) -> TopologyBuilder {
        if topics.isEmpty { problems.append(.init(.invalidTopology, "source \(name) reads no topic", context: .init(node: name))) }
        return addSource(name, kind: .source(topics: topics, pattern: nil, offsetReset: offsetReset), key, value, timestampExtractor)
    }

    /// Adds a source reading every topic whose name matches the pattern.
    @discardableResult
    public func addSource<Key, Value>(
        _ name: String, pattern: TopicPattern, key: Serde<Key>, value: Serde<Value>,
        timestampExtractor: TimestampExtractor<Key, Value> = .recordTimestamp, offsetReset: AutoOffsetReset? = nil
    ) -> TopologyBuilder {
        addSource(name, kind: .source(topics: [], pattern: pattern, offsetReset: offsetReset), key, value, timestampExtractor)
    }

    private func addSource<Key, Value>(
        _ name: String, kind: NodeDefinition.Kind, _ key: Serde<Key>, _ value: Serde<Value>,
        _ extractor: TimestampExtractor<Key, Value>
    ) -> TopologyBuilder {
        nodes.append(
            NodeDefinition(
                name: name, kind: kind, parents: [], input: nil, output: TypeSignature(Key.self, Value.self),
                make: { task, children, _ in
                    SourceNode(
                        name: name, keySerde: key, valueSerde: value, extractor: extractor,
                        children: try typedChildren(children, of: name), task: task)
                }))
        return self
    }

    /// Adds a processor made per task by `supplier`.
    ///
    /// - Parameters:
    ///   - name: the node name.
    ///   - parents: the nodes it receives from; their output types must be its input types.
    ///   - stores: stores to connect to it (declared with ``addStateStore(_:processors:)``).
    ///   - supplier: makes a new processor; called once per task.
    @discardableResult
    public func addProcessor<P: Processor>(
        _ name: String, parents: [String], stores: [String] = [], supplier: @escaping @Sendable () -> P
    ) -> TopologyBuilder {
        var definition = NodeDefinition(
            name: name, kind: .processor, parents: parents, input: TypeSignature(P.InKey.self, P.InValue.self),
            output: TypeSignature(P.OutKey.self, P.OutValue.self),
            make: { task, children, connected in
                let context = ProcessorContext<P.OutKey, P.OutValue>(
                    task: task, nodeName: name, children: try typedChildren(children, of: name), connectedStores: connected)
                return ProcessorNode(name: name, processor: supplier(), context: context)
            })
        definition.stores = stores
        nodes.append(definition)
        return self
    }

    /// Adds a fixed-key processor made per task by `supplier` (keys pass through unchanged).
    @discardableResult
    public func addProcessor<P: FixedKeyProcessor>(
        _ name: String, parents: [String], stores: [String] = [], supplier: @escaping @Sendable () -> P
    ) -> TopologyBuilder {
        var definition = NodeDefinition(
            name: name, kind: .processor, parents: parents, input: TypeSignature(P.Key.self, P.InValue.self),
            output: TypeSignature(P.Key.self, P.OutValue.self),
            make: { task, children, connected in
                let context = ProcessorContext<P.Key, P.OutValue>(
                    task: task, nodeName: name, children: try typedChildren(children, of: name), connectedStores: connected)
                return FixedKeyProcessorNode(name: name, processor: supplier(), context: FixedKeyProcessorContext(base: context))
            })
        definition.stores = stores
        nodes.append(definition)
        return self
    }

    /// Adds a sink writing to one topic.
    @discardableResult
    public func addSink<Key, Value>(
        _ name: String, topic: String, key: Serde<Key>, value: Serde<Value>,
        partitioner: StreamPartitioner<Key, Value>? = nil, parents: [String]
    ) -> TopologyBuilder {
        addSink(name, topic: .topic(topic), key: key, value: value, partitioner: partitioner, parents: parents)
    }

    /// Adds a sink writing each record to the topic the extractor chooses.
    @discardableResult
    public func addSink<Key, Value>(
        _ name: String, topic: TopicNameExtractor<Key, Value>, key: Serde<Key>, value: Serde<Value>,
        partitioner: StreamPartitioner<Key, Value>? = nil, parents: [String]
    ) -> TopologyBuilder {
        nodes.append(
            NodeDefinition(
                name: name, kind: .sink(topic: topic.fixedTopic), parents: parents,
                input: TypeSignature(Key.self, Value.self), output: nil,
                make: { task, _, _ in
                    let resolved: TopicNameExtractor<Key, Value>
                    if let fixed = topic.fixedTopic {
                        resolved = .topic(task.resolveTopic(fixed))
                    } else {
                        resolved = topic
                    }
                    return SinkNode(
                        name: name, topic: resolved, keySerde: key, valueSerde: value, partitioner: partitioner, task: task)
                }))
        return self
    }

    /// Adds a state store, connected to the given processors (more may be connected later
    /// with ``connectProcessorAndStateStores(_:stores:)``).
    @discardableResult
    public func addStateStore<S>(_ builder: StoreBuilder<S>, processors: [String] = []) -> TopologyBuilder {
        if stores[builder.name] != nil {
            problems.append(.init(.invalidTopology, "store \(builder.name) is added twice", context: .init(store: builder.name)))
            return self
        }
        stores[builder.name] = builder.erased
        storeOrder.append(builder.name)
        if !processors.isEmpty { connectStores(processors, [builder.name]) }
        return self
    }

    /// Connects stores to a processor so it may use them.
    @discardableResult
    public func connectProcessorAndStateStores(_ processor: String, stores names: [String]) -> TopologyBuilder {
        connectStores([processor], names)
        return self
    }

    private func connectStores(_ processors: [String], _ names: [String]) {
        for processor in processors {
            guard let index = nodes.lastIndex(where: { $0.name == processor }) else {
                problems.append(
                    .init(.invalidTopology, "cannot connect stores \(names) to unknown processor \(processor)", context: .init(node: processor)))
                continue
            }
            for name in names where !nodes[index].stores.contains(name) { nodes[index].stores.append(name) }
        }
    }

    /// Adds a global store: a store fully replicated to every instance, filled from all
    /// partitions of `topic` by the processor `supplier` makes (which should write each
    /// record into the store and forward nothing). Any processor may read it without being
    /// connected; its source topic is its changelog, so logging is disabled.
    ///
    /// - Parameters:
    ///   - builder: the store.
    ///   - sourceName: the name of the source node reading `topic`.
    ///   - topic: the topic the store is loaded from.
    ///   - processorName: the name of the node that updates the store.
    @discardableResult
    public func addGlobalStore<S, Key, Value, P: Processor>(
        _ builder: StoreBuilder<S>, sourceName: String, topic: String, key: Serde<Key>, value: Serde<Value>,
        processorName: String, supplier: @escaping @Sendable () -> P
    ) -> TopologyBuilder where P.InKey == Key, P.InValue == Value {
        addSource(sourceName, topics: [topic], key: key, value: value)
        nodes[nodes.count - 1].isGlobal = true
        addProcessor(processorName, parents: [sourceName], stores: [builder.name], supplier: supplier)
        nodes[nodes.count - 1].isGlobal = true
        addStateStore(builder.withLoggingDisabled())
        globalStores.insert(builder.name)
        return self
    }

    /// Names of global stores.
    var globalStores: Set<String> = []

    /// Records that the source topics feeding these nodes must have equal partition counts
    /// (the inputs of a key-based join), for ``Topology/copartitionGroups``.
    func copartition(_ nodes: [String]) { copartitionNodeGroups.append(nodes) }

    /// Marks a topic as internal: its name gets the application id as a prefix at run time.
    func markInternal(_ topic: String, _ kind: InternalTopicKind) { internalTopics[topic] = kind }

    /// Validates the declarations and returns the topology.
    ///
    /// - Throws: ``StreamsError`` (`invalidTopology`) naming the node or store at fault for a
    ///   duplicate name, an unknown or invalid parent, a sink without parent, a cycle, a
    ///   type mismatch between a node and its parent, a topic read by two sources, or a
    ///   store that is unknown or connected to no processor.
    public func build() throws -> Topology {
        if let problem = problems.first { throw problem }
        return try Topology(builder: self)
    }
}
