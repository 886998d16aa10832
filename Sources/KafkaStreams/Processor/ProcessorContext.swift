/// What a ``Processor`` sees of its task: forwarding, punctuation, state stores, the
/// position of the current record and the clocks.
///
/// One context exists per processor node per task. It is not thread-safe and must only be
/// used from the processor's own calls (`initialize`, `process`, punctuators, `close`).
public final class ProcessorContext<OutKey, OutValue> {
    unowned let task: StreamTask
    let nodeName: String
    let children: [NodeInput<OutKey, OutValue>]
    let connectedStores: Set<String>

    init(task: StreamTask, nodeName: String, children: [NodeInput<OutKey, OutValue>], connectedStores: Set<String>) {
        self.task = task
        self.nodeName = nodeName
        self.children = children
        self.connectedStores = connectedStores
    }

    /// The application id (`application.id`).
    public var applicationID: String { task.applicationID }

    /// The task this processor runs in.
    public var taskId: TaskId { task.id }

    /// The name of this processor's node.
    public var processorName: String { nodeName }

    /// Topic, partition and offset of the source record being processed; `nil` inside a
    /// punctuation, where there is no current record.
    public var recordMetadata: RecordMetadata? { task.recordMetadata }

    /// The task's stream time: the largest record timestamp seen, or -1 before the first.
    public var currentStreamTime: Int64 { task.streamTime }

    /// The wall-clock time in milliseconds (the test driver's manual clock in tests).
    public var currentSystemTime: Int64 { task.clock.now() }

    /// Sends a record to every child of this node, which process it before this returns.
    /// - Throws: whatever a downstream node throws.
    public func forward(_ record: Record<OutKey, OutValue>) throws {
        for child in children { try child.receive(record) }
    }

    /// Sends a record to the child with the given name only.
    /// - Throws: ``StreamsError`` (`invalidTopology`) if this node has no such child, or what
    ///   that child throws.
    public func forward(_ record: Record<OutKey, OutValue>, to childName: String) throws {
        guard let child = children.first(where: { $0.name == childName }) else {
            throw StreamsError(
                .invalidTopology,
                "\(nodeName) has no child named \(childName); its children are \(children.map(\.name))",
                context: task.errorContext(node: nodeName))
        }
        try child.receive(record)
    }

    /// Schedules a periodic callback.
    ///
    /// Stream-time punctuation fires when records move stream time to or past the next
    /// multiple of the interval (aligned to 0), once per record however far time jumped;
    /// wall-clock punctuation fires `interval` after scheduling, then every interval.
    /// The callback receives the current stream time or wall-clock time.
    ///
    /// - Returns: a handle to cancel the punctuation.
    /// - Throws: ``StreamsError`` (`invalidConfig`) if the interval is under 1 ms.
    @discardableResult
    public func schedule(
        interval: Duration, type: PunctuationType, _ punctuator: @escaping (_ timestamp: Int64) throws -> Void
    ) throws -> Cancellable {
        let ms = interval.milliseconds
        guard ms >= 1 else {
            throw StreamsError(
                .invalidConfig, "punctuation interval must be at least 1 ms, got \(interval)",
                context: task.errorContext(node: nodeName))
        }
        return task.schedule(node: nodeName, intervalMs: ms, type: type, punctuator)
    }

    /// The state store with the given name, which must be connected to this processor.
    ///
    /// ```swift
    /// let counts: any KeyValueStore<String, Int64> = try context.getStateStore("counts")
    /// ```
    /// - Throws: ``StreamsError`` (`stateStore`) if no such store is connected to this node
    ///   or it is not of the requested type.
    public func getStateStore<S>(_ name: String, as type: S.Type = S.self) throws -> S {
        try task.stateStore(name, as: type, node: nodeName, connected: connectedStores)
    }

    /// Asks the runtime to commit as soon as possible (a no-op in the test driver, which
    /// commits after every record).
    public func commit() { task.commitRequested = true }
}

/// The context of a ``FixedKeyProcessor``: as ``ProcessorContext`` but forwarding
/// ``FixedKeyRecord``s, so keys cannot change.
public struct FixedKeyProcessorContext<Key, OutValue> {
    let base: ProcessorContext<Key, OutValue>

    /// The application id.
    public var applicationID: String { base.applicationID }
    /// The task this processor runs in.
    public var taskId: TaskId { base.taskId }
    /// Topic, partition and offset of the current record; `nil` inside a punctuation.
    public var recordMetadata: RecordMetadata? { base.recordMetadata }
    /// The task's stream time, or -1 before the first record.
    public var currentStreamTime: Int64 { base.currentStreamTime }
    /// The wall-clock time in milliseconds.
    public var currentSystemTime: Int64 { base.currentSystemTime }

    /// Sends a record to every child.
    /// - Throws: whatever a downstream node throws.
    public func forward(_ record: FixedKeyRecord<Key, OutValue>) throws { try base.forward(record.record) }

    /// Sends a record to the named child.
    /// - Throws: ``StreamsError`` if there is no such child, or what the child throws.
    public func forward(_ record: FixedKeyRecord<Key, OutValue>, to childName: String) throws {
        try base.forward(record.record, to: childName)
    }

    /// Schedules a periodic callback; see ``ProcessorContext/schedule(interval:type:_:)``.
    /// - Throws: ``StreamsError`` if the interval is under 1 ms.
    @discardableResult
    public func schedule(
        interval: Duration, type: PunctuationType, _ punctuator: @escaping (_ timestamp: Int64) throws -> Void
    ) throws -> Cancellable {
        try base.schedule(interval: interval, type: type, punctuator)
    }

    /// A connected state store; see ``ProcessorContext/getStateStore(_:as:)``.
    /// - Throws: ``StreamsError`` if it is not connected or has another type.
    public func getStateStore<S>(_ name: String, as type: S.Type = S.self) throws -> S {
        try base.getStateStore(name, as: type)
    }

    /// Asks the runtime to commit as soon as possible.
    public func commit() { base.commit() }
}

extension Duration {
    /// The duration in whole milliseconds (rounded toward zero).
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
