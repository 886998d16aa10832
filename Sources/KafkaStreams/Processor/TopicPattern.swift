/// A regular expression over topic names, for sources that subscribe by pattern.
///
/// The whole topic name must match, as with Java's `Pattern.matcher(topic).matches()`.
public struct TopicPattern: Sendable, Hashable, CustomStringConvertible {
    /// The regular expression's source text.
    public let pattern: String

    /// Creates a pattern.
    /// - Throws: ``StreamsError`` (`invalidTopology`) if the text is not a valid regular expression.
    public init(_ pattern: String) throws {
        do { _ = try Regex(pattern) } catch {
            throw StreamsError(.invalidTopology, "topic pattern \"\(pattern)\" is not a valid regular expression", cause: error)
        }
        self.pattern = pattern
    }

    /// Whether the topic name matches the whole pattern.
    public func matches(_ topic: String) -> Bool {
        guard let regex = try? Regex(pattern) else { return false }
        return (try? regex.wholeMatch(in: topic)) != nil
    }

    /// The pattern text, as Java prints a `Pattern`.
    public var description: String { pattern }
}
