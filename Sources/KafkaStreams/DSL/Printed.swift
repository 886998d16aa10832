#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Options of `KStream.print`: where lines go, their label and how a record is shown.
///
/// Each record prints as `[label]: key, value` (Kafka Streams' format); the label defaults
/// to the processor name.
public struct Printed<Key, Value>: Sendable {
    enum Destination: Sendable {
        case standardOutput
        case file(String)
        case lines(@Sendable (String) -> Void)
    }

    let destination: Destination
    /// The label in front of each line (`nil`: the processor name).
    public var label: String?
    /// Renders key and value (`nil`: `key, value`).
    public var mapper: (@Sendable (Key, Value) -> String)?
    /// The print processor's name.
    public var named: Named?

    /// Prints to standard output.
    public static func toSysOut() -> Printed { Printed(destination: .standardOutput) }

    /// Appends to a file.
    public static func toFile(_ path: String) -> Printed { Printed(destination: .file(path)) }

    /// Hands each line to a function (for logs or tests).
    public static func toLines(_ sink: @escaping @Sendable (String) -> Void) -> Printed { Printed(destination: .lines(sink)) }

    /// The same, with a label.
    public func withLabel(_ label: String) -> Printed {
        var copy = self
        copy.label = label
        return copy
    }

    /// The same, rendering records with `mapper`.
    public func withKeyValueMapper(_ mapper: @escaping @Sendable (Key, Value) -> String) -> Printed {
        var copy = self
        copy.mapper = mapper
        return copy
    }
}
