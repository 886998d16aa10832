/// A printable description of a ``Topology``, in Kafka Streams' layout.
///
/// `description` is the text `Topology.describe().toString()` prints in Java:
///
/// ```text
/// Topologies:
///    Sub-topology: 0
///     Source: KSTREAM-SOURCE-0000000000 (topics: [input])
///       --> KSTREAM-FILTER-0000000001
///     Processor: KSTREAM-FILTER-0000000001 (stores: [])
///       --> KSTREAM-SINK-0000000002
///       <-- KSTREAM-SOURCE-0000000000
///     Sink: KSTREAM-SINK-0000000002 (topic: output)
///       <-- KSTREAM-FILTER-0000000001
/// ```
///
/// ``mermaid`` renders the same graph as a Mermaid flowchart.
public struct TopologyDescription: Sendable, CustomStringConvertible {
    /// A node as described.
    public struct Node: Sendable, Hashable {
        /// Source, processor or sink.
        public enum Kind: Sendable, Hashable {
            /// Reads topics (or a pattern).
            case source(topics: [String], pattern: String?)
            /// Processes records, with connected stores.
            case processor(stores: [String])
            /// Writes to a topic, or to topics chosen per record (`nil`).
            case sink(topic: String?)
        }

        /// The node name.
        public let name: String
        /// What kind of node it is.
        public let kind: Kind
        /// Its children, in description order.
        public let successors: [String]
        /// Its parents, in description order.
        public let predecessors: [String]
    }

    /// A sub-topology as described.
    public struct Subtopology: Sendable, Hashable {
        /// The sub-topology id.
        public let id: Int
        /// Whether this is a global store's sub-topology (which generates no tasks).
        public let isGlobalStore: Bool
        /// Its nodes, largest sub-tree first (then by name), as Kafka Streams orders them.
        public let nodes: [Node]
    }

    /// The sub-topologies, by id.
    public let subtopologies: [Subtopology]

    init(_ topology: Topology) {
        let nodes = topology.nodes
        var size = [Int](repeating: 1, count: nodes.count)
        for i in topology.instantiationOrder {  // children first
            size[i] = 1 + topology.children[i].reduce(0) { $0 + size[$1] }
        }
        var parents = [[Int]](repeating: [], count: nodes.count)
        for (p, kids) in topology.children.enumerated() { for c in kids { parents[c].append(p) } }
        func order(_ a: Int, _ b: Int) -> Bool {
            size[a] != size[b] ? size[a] > size[b] : nodes[a].name < nodes[b].name
        }
        subtopologies = topology.subtopologies.map { sub in
            Subtopology(
                id: sub.id, isGlobalStore: sub.isGlobal,
                nodes: sub.nodes.sorted(by: order).map { i in
                    let kind: Node.Kind
                    switch nodes[i].kind {
                    case .source(let topics, let pattern, _): kind = .source(topics: topics, pattern: pattern?.pattern)
                    case .processor: kind = .processor(stores: nodes[i].stores)
                    case .sink(let topic): kind = .sink(topic: topic)
                    }
                    return Node(
                        name: nodes[i].name, kind: kind,
                        successors: topology.children[i].sorted(by: order).map { nodes[$0].name },
                        predecessors: parents[i].sorted(by: order).map { nodes[$0].name })
                })
        }
    }

    /// The Kafka Streams text layout.
    public var description: String {
        var text = "Topologies:\n "
        for sub in subtopologies {
            let kind = sub.isGlobalStore ? " for global store (will not generate tasks)" : ""
            text += "  Sub-topology: \(sub.id)\(kind)\n"
            for node in sub.nodes {
                text += "    " + Self.render(node) + "\n"
            }
            text += "\n"
        }
        return text
    }

    private static func names(_ list: [String]) -> String { list.isEmpty ? "none" : list.joined(separator: ", ") }

    private static func render(_ node: Node) -> String {
        switch node.kind {
        case .source(let topics, let pattern):
            let what = pattern ?? "[\(topics.joined(separator: ", "))]"
            return "Source: \(node.name) (topics: \(what))\n      --> \(names(node.successors))"
        case .processor(let stores):
            return "Processor: \(node.name) (stores: [\(stores.joined(separator: ", "))])\n      --> \(names(node.successors))\n      <-- \(names(node.predecessors))"
        case .sink(let topic):
            let what = topic.map { "topic: \($0)" } ?? "extractor class: per-record topic"
            return "Sink: \(node.name) (\(what))\n      <-- \(names(node.predecessors))"
        }
    }

    /// The topology as a Mermaid flowchart: one subgraph per sub-topology, topics as
    /// stadium-shaped nodes, stores as cylinders.
    public var mermaid: String {
        var lines = ["flowchart TD"]
        var topics = Set<String>()
        var stores = Set<String>()
        func id(_ s: String) -> String { s.map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined() }
        for sub in subtopologies {
            lines.append("    subgraph sub\(sub.id)[\"Sub-topology: \(sub.id)\"]")
            for node in sub.nodes { lines.append("        \(id(node.name))[\"\(node.name)\"]") }
            lines.append("    end")
        }
        for sub in subtopologies {
            for node in sub.nodes {
                for child in node.successors { lines.append("    \(id(node.name)) --> \(id(child))") }
                switch node.kind {
                case .source(let ts, let pattern):
                    for t in ts.isEmpty ? [pattern ?? ""] : ts {
                        if topics.insert(t).inserted { lines.append("    topic_\(id(t))([\"\(t)\"])") }
                        lines.append("    topic_\(id(t)) --> \(id(node.name))")
                    }
                case .sink(let topic):
                    let t = topic ?? "per-record topic"
                    if topics.insert(t).inserted { lines.append("    topic_\(id(t))([\"\(t)\"])") }
                    lines.append("    \(id(node.name)) --> topic_\(id(t))")
                case .processor(let ss):
                    for s in ss {
                        if stores.insert(s).inserted { lines.append("    store_\(id(s))[(\"\(s)\")]") }
                        lines.append("    \(id(node.name)) -.- store_\(id(s))")
                    }
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
