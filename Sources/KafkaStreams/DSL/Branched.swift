/// Names a branch of `KStream.split` and optionally consumes or transforms it.
///
/// The branch's key in the map returned by `defaultBranch()` / `noDefaultBranch()` is the
/// split's prefix plus the branch name, or plus its position (from 1; the default branch
/// is `0`) when unnamed, as in Kafka Streams.
public struct Branched<Key, Value> {
    /// The branch name (appended to the split's prefix).
    public var name: String?
    enum Action {
        case none
        case consume((KStream<Key, Value>) -> Void)
        case transform((KStream<Key, Value>) -> KStream<Key, Value>?)
    }
    var action: Action = .none

    /// An unnamed branch (named by its position).
    public init() {}

    init(name: String?, action: Action = .none) {
        self.name = name
        self.action = action
    }

    /// A branch with a name.
    public static func `as`(_ name: String) -> Branched { Branched(name: name) }

    /// A branch handed to `consumer` (and left out of the returned map).
    public static func withConsumer(_ name: String? = nil, _ consumer: @escaping (KStream<Key, Value>) -> Void) -> Branched {
        Branched(name: name, action: .consume(consumer))
    }

    /// A branch replaced in the returned map by what `function` makes of it (left out when
    /// it returns `nil`).
    public static func withFunction(
        _ name: String? = nil, _ function: @escaping (KStream<Key, Value>) -> KStream<Key, Value>?
    ) -> Branched {
        Branched(name: name, action: .transform(function))
    }
}
