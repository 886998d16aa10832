/// A node of a topology that receives records one at a time and may forward new ones.
///
/// This is the low-level Processor API. A processor is created per task by the supplier
/// given to ``TopologyBuilder/addProcessor(_:parents:stores:supplier:)`` (or
/// `KStream.process`), gets its context once in ``initialize(context:)``, then sees every
/// record of its task in ``process(_:)``. It is owned by its task: never shared between
/// tasks or threads.
///
/// ```swift
/// final class Uppercase: Processor {
///     var context: ProcessorContext<String, String>!
///     func initialize(context: ProcessorContext<String, String>) { self.context = context }
///     func process(_ record: Record<String, String>) {
///         context.forward(record.withValue(record.value.uppercased()))
///     }
/// }
/// ```
public protocol Processor<InKey, InValue, OutKey, OutValue>: AnyObject {
    /// The key type this processor receives.
    associatedtype InKey
    /// The value type this processor receives.
    associatedtype InValue
    /// The key type this processor forwards (`Void` if it forwards nothing).
    associatedtype OutKey = Void
    /// The value type this processor forwards (`Void` if it forwards nothing).
    associatedtype OutValue = Void

    /// Called once before the first record, with the context to forward records to,
    /// schedule punctuations and reach state stores.
    /// - Throws: to fail the task, e.g. when a store is missing.
    func initialize(context: ProcessorContext<OutKey, OutValue>) throws

    /// Processes one record. Forward results with the context.
    /// - Throws: to fail the task; the error is wrapped with the task, node and record position.
    func process(_ record: Record<InKey, InValue>) throws

    /// Called once when the task closes. Stores are still open.
    func close() throws
}

extension Processor {
    /// Does nothing.
    public func initialize(context: ProcessorContext<OutKey, OutValue>) throws {}
    /// Does nothing.
    public func close() throws {}
}

/// A processor that may change values but never keys, so it never forces a repartition.
///
/// The fixed-key variant of ``Processor``, used by `KStream.processValues`: records arrive
/// and leave as ``FixedKeyRecord``s, whose key cannot be replaced.
public protocol FixedKeyProcessor<Key, InValue, OutValue>: AnyObject {
    /// The key type, unchanged by the processor.
    associatedtype Key
    /// The value type this processor receives.
    associatedtype InValue
    /// The value type this processor forwards.
    associatedtype OutValue = Void

    /// Called once before the first record.
    /// - Throws: to fail the task.
    func initialize(context: FixedKeyProcessorContext<Key, OutValue>) throws

    /// Processes one record.
    /// - Throws: to fail the task.
    func process(_ record: FixedKeyRecord<Key, InValue>) throws

    /// Called once when the task closes.
    func close() throws
}

extension FixedKeyProcessor {
    /// Does nothing.
    public func initialize(context: FixedKeyProcessorContext<Key, OutValue>) throws {}
    /// Does nothing.
    public func close() throws {}
}

/// A record whose key a ``FixedKeyProcessor`` may read but not replace.
public struct FixedKeyRecord<Key, Value> {
    /// The record, key included.
    @usableFromInline var record: Record<Key, Value>

    @usableFromInline init(_ record: Record<Key, Value>) { self.record = record }

    /// The key (read-only).
    @inlinable public var key: Key { record.key }
    /// The value.
    @inlinable public var value: Value { record.value }
    /// The timestamp.
    @inlinable public var timestamp: Int64 { record.timestamp }
    /// The headers.
    @inlinable public var headers: Headers { record.headers }

    /// A copy with another value (and possibly another value type).
    @inlinable
    public func withValue<NewValue>(_ value: NewValue) -> FixedKeyRecord<Key, NewValue> {
        FixedKeyRecord<Key, NewValue>(record.withValue(value))
    }

    /// A copy with another timestamp.
    @inlinable
    public func withTimestamp(_ timestamp: Int64) -> FixedKeyRecord<Key, Value> {
        FixedKeyRecord(record.withTimestamp(timestamp))
    }

    /// A copy with other headers.
    @inlinable
    public func withHeaders(_ headers: Headers) -> FixedKeyRecord<Key, Value> {
        FixedKeyRecord(record.withHeaders(headers))
    }
}
