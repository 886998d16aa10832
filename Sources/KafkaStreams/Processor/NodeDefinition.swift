/// The types a node receives or forwards, compared when the topology is built.
struct TypeSignature: Sendable, Equatable {
    let key: ObjectIdentifier
    let value: ObjectIdentifier
    let text: String

    init<Key, Value>(_ key: Key.Type, _ value: Value.Type) {
        self.key = ObjectIdentifier(key)
        self.value = ObjectIdentifier(value)
        self.text = "(\(Key.self), \(Value.self))"
    }

    static func == (lhs: TypeSignature, rhs: TypeSignature) -> Bool { lhs.key == rhs.key && lhs.value == rhs.value }
}

/// How to read a source topic from the start when there is no committed offset.
public enum AutoOffsetReset: String, Sendable {
    /// From the first offset.
    case earliest
    /// From the end.
    case latest
}

/// One node of a topology as declared: its kind, its parents, its types and how to make it
/// for a task.
struct NodeDefinition: Sendable {
    enum Kind: Sendable {
        case source(topics: [String], pattern: TopicPattern?, offsetReset: AutoOffsetReset?)
        case processor
        case sink(topic: String?)
    }

    let name: String
    let kind: Kind
    var parents: [String]
    var stores: [String] = []
    /// Whether the node belongs to a global store's sub-topology (run by the global
    /// thread, never by tasks).
    var isGlobal = false
    /// What the node receives; `nil` for a source.
    let input: TypeSignature?
    /// What the node forwards; `nil` for a sink.
    let output: TypeSignature?
    /// Makes the node for a task, given its children (already made) and connected stores.
    let make: @Sendable (_ task: StreamTask, _ children: [NodeBase], _ stores: Set<String>) throws -> NodeBase

    var isSource: Bool { if case .source = kind { return true } else { return false } }
    var isSink: Bool { if case .sink = kind { return true } else { return false } }

    var kindName: String {
        switch kind {
        case .source: return "source"
        case .processor: return "processor"
        case .sink: return "sink"
        }
    }
}

/// Casts a task's child nodes to the input type of their parent's output.
func typedChildren<Key, Value>(_ children: [NodeBase], of parent: String) throws -> [NodeInput<Key, Value>] {
    try children.map { child in
        guard let typed = child as? NodeInput<Key, Value> else {
            throw StreamsError(
                .invalidTopology,
                "\(parent) forwards (\(Key.self), \(Value.self)) but its child \(child.name) expects other types",
                context: .init(node: child.name))
        }
        return typed
    }
}
