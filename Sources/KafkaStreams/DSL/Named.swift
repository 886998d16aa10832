/// A name for the processor (and, where relevant, the internal topic) an operator adds.
///
/// Without one, names are generated as Kafka Streams generates them
/// (`KSTREAM-FILTER-0000000001`): deterministic for a given topology, but shifting when
/// operators are added. Name operators whose internal topics or stores must stay stable.
///
/// ```swift
/// stream.filter(named: "large-payments") { _, p in p.amount > 1_000 }
/// ```
public struct Named: Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The name.
    public let name: String

    /// Creates a name.
    public init(_ name: String) { self.name = name }

    /// Creates a name from a literal.
    public init(stringLiteral value: String) { self.name = value }

    /// Kafka Streams' spelling: `Named.as("name")`.
    public static func `as`(_ name: String) -> Named { Named(name) }

    /// The name.
    public var description: String { name }
}
