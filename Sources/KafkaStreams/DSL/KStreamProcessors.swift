#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// The processors behind the stateless KStream operators. Each keeps the record's
// timestamp and headers and changes only what its operator documents.

/// `filter` / `filterNot`: forwards records whose predicate result differs from `negate`.
final class FilterProcessor<Key, Value>: Processor {
    typealias OutKey = Key
    typealias OutValue = Value
    let predicate: @Sendable (Key, Value) throws -> Bool
    let negate: Bool
    var context: ProcessorContext<Key, Value>!

    init(_ predicate: @escaping @Sendable (Key, Value) throws -> Bool, negate: Bool) {
        self.predicate = predicate
        self.negate = negate
    }
    func initialize(context: ProcessorContext<Key, Value>) { self.context = context }
    func process(_ record: Record<Key, Value>) throws {
        if try predicate(record.key, record.value) != negate { try context.forward(record) }
    }
}

/// `map`: replaces key and value.
final class MapProcessor<Key, Value, NewKey, NewValue>: Processor {
    let mapper: @Sendable (Key, Value) throws -> (NewKey, NewValue)
    var context: ProcessorContext<NewKey, NewValue>!

    init(_ mapper: @escaping @Sendable (Key, Value) throws -> (NewKey, NewValue)) { self.mapper = mapper }
    func initialize(context: ProcessorContext<NewKey, NewValue>) { self.context = context }
    func process(_ record: Record<Key, Value>) throws {
        let (key, value) = try mapper(record.key, record.value)
        try context.forward(Record(key: key, value: value, timestamp: record.timestamp, headers: record.headers))
    }
}

/// `mapValues`: replaces the value, keeps the key.
final class MapValuesProcessor<Key, Value, NewValue>: FixedKeyProcessor {
    let mapper: @Sendable (Key, Value) throws -> NewValue
    var context: FixedKeyProcessorContext<Key, NewValue>!

    init(_ mapper: @escaping @Sendable (Key, Value) throws -> NewValue) { self.mapper = mapper }
    func initialize(context: FixedKeyProcessorContext<Key, NewValue>) { self.context = context }
    func process(_ record: FixedKeyRecord<Key, Value>) throws {
        try context.forward(record.withValue(try mapper(record.key, record.value)))
    }
}

/// `flatMap`: replaces each record by zero or more records, all with its timestamp.
final class FlatMapProcessor<Key, Value, NewKey, NewValue, Results: Sequence>: Processor
where Results.Element == KeyValue<NewKey, NewValue> {
    let mapper: @Sendable (Key, Value) throws -> Results
    var context: ProcessorContext<NewKey, NewValue>!

    init(_ mapper: @escaping @Sendable (Key, Value) throws -> Results) { self.mapper = mapper }
    func initialize(context: ProcessorContext<NewKey, NewValue>) { self.context = context }
    func process(_ record: Record<Key, Value>) throws {
        for pair in try mapper(record.key, record.value) {
            try context.forward(Record(key: pair.key, value: pair.value, timestamp: record.timestamp, headers: record.headers))
        }
    }
}

/// `flatMapValues`: replaces each value by zero or more values, keeping key and timestamp.
final class FlatMapValuesProcessor<Key, Value, Results: Sequence>: FixedKeyProcessor {
    let mapper: @Sendable (Key, Value) throws -> Results
    var context: FixedKeyProcessorContext<Key, Results.Element>!

    init(_ mapper: @escaping @Sendable (Key, Value) throws -> Results) { self.mapper = mapper }
    func initialize(context: FixedKeyProcessorContext<Key, Results.Element>) { self.context = context }
    func process(_ record: FixedKeyRecord<Key, Value>) throws {
        for value in try mapper(record.key, record.value) { try context.forward(record.withValue(value)) }
    }
}

/// `peek` and `foreach`: runs an action; `peek` forwards the record unchanged.
final class PeekProcessor<Key, Value>: Processor {
    typealias OutKey = Key
    typealias OutValue = Value
    let action: @Sendable (Key, Value) throws -> Void
    let forwards: Bool
    var context: ProcessorContext<Key, Value>!

    init(_ action: @escaping @Sendable (Key, Value) throws -> Void, forwards: Bool) {
        self.action = action
        self.forwards = forwards
    }
    func initialize(context: ProcessorContext<Key, Value>) { self.context = context }
    func process(_ record: Record<Key, Value>) throws {
        try action(record.key, record.value)
        if forwards { try context.forward(record) }
    }
}

/// `split`: forwards each record to the first branch whose predicate holds, else to the
/// default branch if there is one, else drops it.
final class SplitProcessor<Key, Value>: Processor {
    typealias OutKey = Key
    typealias OutValue = Value
    let predicates: [@Sendable (Key, Value) throws -> Bool]
    let branchNames: [String]
    let defaultBranch: String?
    var context: ProcessorContext<Key, Value>!

    init(predicates: [@Sendable (Key, Value) throws -> Bool], branchNames: [String], defaultBranch: String?) {
        self.predicates = predicates
        self.branchNames = branchNames
        self.defaultBranch = defaultBranch
    }
    func initialize(context: ProcessorContext<Key, Value>) { self.context = context }
    func process(_ record: Record<Key, Value>) throws {
        for (i, predicate) in predicates.enumerated() where try predicate(record.key, record.value) {
            try context.forward(record, to: branchNames[i])
            return
        }
        if let defaultBranch { try context.forward(record, to: defaultBranch) }
    }
}

/// A node that forwards every record unchanged (branch heads, merge).
final class PassThroughProcessor<Key, Value>: Processor {
    typealias OutKey = Key
    typealias OutValue = Value
    var context: ProcessorContext<Key, Value>!
    func initialize(context: ProcessorContext<Key, Value>) { self.context = context }
    func process(_ record: Record<Key, Value>) throws { try context.forward(record) }
}

/// `print`: writes `[label]: key, value` for each record.
final class PrintProcessor<Key, Value>: Processor {
    let printed: Printed<Key, Value>
    let label: String
    var file: UnsafeMutablePointer<FILE>?

    init(_ printed: Printed<Key, Value>, label: String) {
        self.printed = printed
        self.label = label
    }

    func initialize(context: ProcessorContext<Void, Void>) throws {
        if case .file(let path) = printed.destination {
            guard let handle = fopen(path, "a") else {
                throw StreamsError(.invalidConfig, "print cannot open \(path) for appending", context: .init(node: label))
            }
            file = handle
        }
    }

    func process(_ record: Record<Key, Value>) throws {
        let body = printed.mapper?(record.key, record.value) ?? "\(kafkaText(record.key)), \(kafkaText(record.value))"
        let line = "[\(label)]: \(body)"
        switch printed.destination {
        case .standardOutput: print(line)
        case .file: fputs(line + "\n", file)
        case .lines(let sink): sink(line)
        }
    }

    func close() throws {
        if let file { fclose(file) }
        file = nil
    }
}

/// A value as Kafka Streams prints it: `null` for nil, optionals unwrapped.
func kafkaText<T>(_ value: T) -> String {
    if let optional = value as? any OptionalValue {
        guard let wrapped = optional.anyWrapped else { return "null" }
        return kafkaText(wrapped)
    }
    return "\(value)"
}

extension OptionalValue {
    var anyWrapped: Any? { optionalValue.map { $0 as Any } }
}
