/// A validated, immutable processing graph: what the test driver and the runtime run.
///
/// Made by ``TopologyBuilder/build()`` (Processor API) or `StreamsBuilder.build()` (DSL).
/// Its nodes are grouped into sub-topologies: connected parts of the graph, linked to each
/// other only through topics. ``describe()`` prints it as Kafka Streams does.
public struct Topology: Sendable {
    /// One connected part of the topology.
    struct Subtopology: Sendable {
        let id: Int
        /// Indices into `nodes`.
        let nodes: [Int]
        let sourceTopics: [String]
        let sourcePatterns: [TopicPattern]
        let sinkTopics: [String]
        let stores: [String]
        /// A global store's sub-topology: run by the global thread, not by tasks.
        let isGlobal: Bool
    }

    /// A store and the processors it is connected to.
    struct StoreEntry: Sendable {
        let builder: AnyStoreBuilder
        let processors: Set<String>
    }

    let nodes: [NodeDefinition]
    let children: [[Int]]
    /// Node indices with every child before its parents.
    let instantiationOrder: [Int]
    let subtopologies: [Subtopology]
    let stores: [String: StoreEntry]
    let internalTopics: [String: TopologyBuilder.InternalTopicKind]
    let changelogOverrides: [String: String]
    /// Stores that every task can read without being connected.
    let globalStores: Set<String>
    /// Groups of nodes whose input topics must be co-partitioned (see `copartitionGroups`).
    let copartitionNodeGroups: [[String]]

    init(builder: TopologyBuilder) throws {
        let nodes = builder.nodes
        var index: [String: Int] = [:]
        for (i, node) in nodes.enumerated() {
            if index[node.name] != nil {
                throw StreamsError(.invalidTopology, "node name \(node.name) is used twice", context: .init(node: node.name))
            }
            index[node.name] = i
        }
        var children = [[Int]](repeating: [], count: nodes.count)
        var topicOwner: [String: String] = [:]
        for (i, node) in nodes.enumerated() {
            if case .source(let topics, _, _) = node.kind {
                for topic in topics {
                    if let other = topicOwner[topic] {
                        throw StreamsError(
                            .invalidTopology, "topic \(topic) is read by both \(other) and \(node.name)", context: .init(topic: topic, node: node.name))
                    }
                    topicOwner[topic] = node.name
                }
            } else if node.parents.isEmpty {
                throw StreamsError(.invalidTopology, "\(node.kindName) \(node.name) has no parent", context: .init(node: node.name))
            }
            for parent in node.parents {
                guard let p = index[parent] else {
                    throw StreamsError(
                        .invalidTopology, "\(node.kindName) \(node.name) names unknown parent \(parent)", context: .init(node: node.name))
                }
                let parentNode = nodes[p]
                guard let output = parentNode.output else {
                    throw StreamsError(
                        .invalidTopology, "\(node.name) names sink \(parent) as parent; sinks have no children", context: .init(node: node.name))
                }
                if let input = node.input, input != output {
                    throw StreamsError(
                        .invalidTopology,
                        "\(node.name) receives \(input.text) but its parent \(parent) forwards \(output.text)",
                        context: .init(node: node.name))
                }
                if !children[p].contains(i) { children[p].append(i) }
            }
            for store in node.stores where builder.stores[store] == nil {
                throw StreamsError(
                    .invalidTopology, "processor \(node.name) is connected to unknown store \(store); add it with addStateStore",
                    context: .init(node: node.name, store: store))
            }
        }
        var connections: [String: Set<String>] = [:]
        for node in nodes { for store in node.stores { connections[store, default: []].insert(node.name) } }
        for name in builder.storeOrder where connections[name] == nil {
            throw StreamsError(
                .invalidTopology, "store \(name) is not connected to any processor; pass processors: to addStateStore",
                context: .init(store: name))
        }

        // Kahn's algorithm over parent → child edges; leftovers are on a cycle.
        var inDegree = nodes.map { Set($0.parents).count }
        var queue = nodes.indices.filter { inDegree[$0] == 0 }
        var topological: [Int] = []
        while let next = queue.first {
            queue.removeFirst()
            topological.append(next)
            for child in children[next] {
                inDegree[child] -= 1
                if inDegree[child] == 0 { queue.append(child) }
            }
        }
        if topological.count < nodes.count {
            let onCycle = nodes.indices.filter { inDegree[$0] > 0 }.map { nodes[$0].name }
            throw StreamsError(
                .invalidTopology, "the topology has a cycle through \(onCycle.joined(separator: ", "))",
                context: .init(node: onCycle.first))
        }

        self.nodes = nodes
        self.children = children
        self.instantiationOrder = topological.reversed()
        self.stores = connections.reduce(into: [:]) { result, entry in
            if let builder = builder.stores[entry.key] { result[entry.key] = StoreEntry(builder: builder, processors: entry.value) }
        }
        self.internalTopics = builder.internalTopics
        self.changelogOverrides = builder.changelogOverrides
        self.globalStores = builder.globalStores
        self.copartitionNodeGroups = builder.copartitionNodeGroups
        self.subtopologies = Topology.group(nodes, index: index)
    }

    /// Groups nodes into sub-topologies: nodes joined by an edge or a shared store are in
    /// one. Ids follow Kafka Streams: source nodes by name first, then the other nodes.
    private static func group(_ nodes: [NodeDefinition], index: [String: Int]) -> [Subtopology] {
        var root = Array(nodes.indices)
        func find(_ i: Int) -> Int {
            var i = i
            while root[i] != i {
                root[i] = root[root[i]]
                i = root[i]
            }
            return i
        }
        func union(_ a: Int, _ b: Int) { root[find(a)] = find(b) }
        var storeUser: [String: Int] = [:]
        for (i, node) in nodes.enumerated() {
            for parent in node.parents { if let p = index[parent] { union(i, p) } }
            for store in node.stores {
                if let other = storeUser[store] { union(i, other) } else { storeUser[store] = i }
            }
        }
        let sources = nodes.indices.filter { nodes[$0].isSource }.sorted { nodes[$0].name < nodes[$1].name }
        let others = nodes.indices.filter { !nodes[$0].isSource }.sorted { nodes[$0].name < nodes[$1].name }
        var groupOfRoot: [Int: Int] = [:]
        var members: [[Int]] = []
        for i in sources + others {
            let r = find(i)
            if let g = groupOfRoot[r] {
                members[g].append(i)
            } else {
                groupOfRoot[r] = members.count
                members.append([i])
            }
        }
        return members.enumerated().map { id, group in
            let sorted = group.sorted()
            var topics: [String] = []
            var patterns: [TopicPattern] = []
            var sinks: [String] = []
            var stores: [String] = []
            for i in sorted {
                switch nodes[i].kind {
                case .source(let t, let p, _):
                    topics += t
                    if let p { patterns.append(p) }
                case .sink(let topic): if let topic, !sinks.contains(topic) { sinks.append(topic) }
                case .processor: break
                }
                for s in nodes[i].stores where !stores.contains(s) { stores.append(s) }
            }
            return Subtopology(
                id: id, nodes: sorted, sourceTopics: topics, sourcePatterns: patterns, sinkTopics: sinks, stores: stores,
                isGlobal: sorted.contains { nodes[$0].isGlobal })
        }
    }

    /// The topic's name at run time: internal topics get the application id as prefix.
    func resolve(_ topic: String, applicationID: String) -> String {
        internalTopics[topic] == nil ? topic : "\(applicationID)-\(topic)"
    }

    /// Every topic a source reads, unprefixed.
    public var sourceTopics: [String] { subtopologies.flatMap(\.sourceTopics) }

    /// The names of the state stores.
    public var storeNames: [String] { stores.keys.sorted() }

    /// Whether `name` is a global store (of a `GlobalKTable` or `addGlobalStore`): every
    /// instance holds all of it.
    public func isGlobalStore(_ name: String) -> Bool { globalStores.contains(name) }

    /// The internal (repartition and changelog) topic names, without the application-id prefix.
    public var internalTopicNames: [String] { internalTopics.keys.sorted() }

    /// The changelog topic of a store, unprefixed: `<store>-changelog` (an internal topic),
    /// or the table's source topic when optimization reused it; `nil` if the store does
    /// not log changes (logging off, or a global store, whose source topic is its log).
    public func changelogTopic(forStore name: String) -> String? {
        // A global store's changelog is its source topic, read by the global thread.
        guard let store = stores[name], store.builder.loggingEnabled, !globalStores.contains(name) else { return nil }
        return changelogOverrides[name] ?? "\(name)-changelog"
    }

    /// The changelog topic of a store as it is named at run time:
    /// `<application.id>-<store>-changelog`, or the reused source topic; `nil` if the store
    /// does not log changes.
    public func changelogTopic(forStore name: String, applicationID: String) -> String? {
        guard let topic = changelogTopic(forStore: name) else { return nil }
        return changelogOverrides[name] == nil ? "\(applicationID)-\(topic)" : resolve(topic, applicationID: applicationID)
    }

    /// The topic configs a store's changelog is created with: `cleanup.policy=compact` for
    /// key-value stores, `compact,delete` and `retention.ms` for window and session stores,
    /// plus the store's own log configs; `nil` if the store does not log or its changelog
    /// is a reused source topic.
    public func changelogTopicConfig(forStore name: String) -> [String: String]? {
        guard let store = stores[name], store.builder.loggingEnabled, changelogOverrides[name] == nil else { return nil }
        return store.builder.changelogConfig
    }

    /// The description of the topology: sub-topologies, nodes, topics and stores.
    public func describe() -> TopologyDescription { TopologyDescription(self) }
}
