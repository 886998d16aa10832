import NIOCore

/// A node of an instantiated topology: a lifecycle shared by sources, processors and sinks.
///
/// Nodes are created per task from the ``Topology``'s definitions and are owned by that
/// task. Subclasses override the lifecycle hooks they need.
package class NodeBase {
    /// The node's name in the topology.
    package let name: String

    init(name: String) { self.name = name }

    /// Prepares the node; called once, parents after children.
    func initialize(task: StreamTask) throws {}

    /// Releases the node; called once when its task closes.
    func close() throws {}
}

/// A node that receives typed records of one key and value type.
///
/// Forwarding between nodes is a virtual call on this class: no boxing, no casts per record.
/// The types are checked once, when the task wires its nodes.
package class NodeInput<Key, Value>: NodeBase {
    /// Handles one record.
    func receive(_ record: Record<Key, Value>) throws {
        preconditionFailure("NodeInput.receive is abstract")  // every subclass overrides it
    }
}

/// The node that hosts a user or DSL ``Processor``.
final class ProcessorNode<P: Processor>: NodeInput<P.InKey, P.InValue> {
    let processor: P
    let context: ProcessorContext<P.OutKey, P.OutValue>

    init(name: String, processor: P, context: ProcessorContext<P.OutKey, P.OutValue>) {
        self.processor = processor
        self.context = context
        super.init(name: name)
    }

    override func initialize(task: StreamTask) throws {
        do { try processor.initialize(context: context) } catch { throw task.wrap(error, node: name, phase: "initialize") }
    }

    override func receive(_ record: Record<P.InKey, P.InValue>) throws {
        do { try processor.process(record) } catch { throw context.task.wrap(error, node: name, phase: "process") }
    }

    override func close() throws { try processor.close() }
}

/// The node that hosts a ``FixedKeyProcessor``.
final class FixedKeyProcessorNode<P: FixedKeyProcessor>: NodeInput<P.Key, P.InValue> {
    let processor: P
    let context: FixedKeyProcessorContext<P.Key, P.OutValue>

    init(name: String, processor: P, context: FixedKeyProcessorContext<P.Key, P.OutValue>) {
        self.processor = processor
        self.context = context
        super.init(name: name)
    }

    override func initialize(task: StreamTask) throws {
        do { try processor.initialize(context: context) } catch { throw task.wrap(error, node: name, phase: "initialize") }
    }

    override func receive(_ record: Record<P.Key, P.InValue>) throws {
        do { try processor.process(FixedKeyRecord(record)) } catch {
            throw context.base.task.wrap(error, node: name, phase: "process")
        }
    }

    override func close() throws { try processor.close() }
}

/// A source node as the task sees it: raw bytes in, typed records out.
package class SourceNodeBase: NodeBase {
    /// Deserializes one record and forwards it to the source's children.
    func receive(
        _ input: PartitionInput, offset: Int64, timestamp: Int64, key: ByteBuffer?, value: ByteBuffer?,
        headers: Headers
    ) throws {
        preconditionFailure("SourceNodeBase.receive is abstract")  // SourceNode overrides it
    }
}

/// A source node: deserializes with its serdes, extracts the timestamp, forwards.
final class SourceNode<Key, Value>: SourceNodeBase {
    let keySerde: Serde<Key>
    let valueSerde: Serde<Value>
    let extractor: TimestampExtractor<Key, Value>
    let children: [NodeInput<Key, Value>]
    unowned let task: StreamTask

    init(
        name: String, keySerde: Serde<Key>, valueSerde: Serde<Value>,
        extractor: TimestampExtractor<Key, Value>, children: [NodeInput<Key, Value>], task: StreamTask
    ) {
        self.keySerde = keySerde
        self.valueSerde = valueSerde
        self.extractor = extractor
        self.children = children
        self.task = task
        super.init(name: name)
    }

    override func receive(
        _ input: PartitionInput, offset: Int64, timestamp: Int64, key: ByteBuffer?, value: ByteBuffer?,
        headers: Headers
    ) throws {
        let k: Key
        let v: Value
        do {
            k = try keySerde.deserialize(key)
        } catch {
            try task.deserializationFailed(input, offset: offset, node: name, what: "key", serde: keySerde.name, error: error)
            return
        }
        do {
            v = try valueSerde.deserialize(value)
        } catch {
            try task.deserializationFailed(input, offset: offset, node: name, what: "value", serde: valueSerde.name, error: error)
            return
        }
        var record = Record(key: k, value: v, timestamp: timestamp, headers: headers)
        let extracted: Int64
        do {
            extracted = try extractor.extract(record, input.partitionTime)
        } catch {
            throw task.wrap(error, node: name, phase: "extract the timestamp of")
        }
        guard extracted >= 0 else {
            task.dropRecord(
                reason: .negativeTimestamp, node: name,
                message: "extracted timestamp \(extracted) is negative; record skipped")
            return
        }
        record.timestamp = extracted
        task.recordTaken(input, offset: offset, timestamp: extracted)
        for child in children { try child.receive(record) }
    }
}

/// A sink node: hands each record to the task's record collector for its topic.
final class SinkNode<Key, Value>: NodeInput<Key, Value> {
    let topic: TopicNameExtractor<Key, Value>
    let keySerde: Serde<Key>
    let valueSerde: Serde<Value>
    let partitioner: StreamPartitioner<Key, Value>?
    unowned let task: StreamTask

    init(
        name: String, topic: TopicNameExtractor<Key, Value>, keySerde: Serde<Key>,
        valueSerde: Serde<Value>, partitioner: StreamPartitioner<Key, Value>?, task: StreamTask
    ) {
        self.topic = topic
        self.keySerde = keySerde
        self.valueSerde = valueSerde
        self.partitioner = partitioner
        self.task = task
        super.init(name: name)
    }

    override func receive(_ record: Record<Key, Value>) throws {
        guard record.timestamp >= 0 else {
            throw StreamsError(
                .invalidTimestamp,
                "sink \(name) received a record with negative timestamp \(record.timestamp); "
                    + "a processor set it, fix that processor",
                context: task.errorContext(node: name))
        }
        let topicName: String
        switch topic.kind {
        case .fixed(let name): topicName = name
        case .extractor(let choose): topicName = try choose(record, task.recordMetadata)
        }
        try task.collector.send(
            record, topic: topicName, keySerde: keySerde, valueSerde: valueSerde,
            partitioner: partitioner, node: name)
    }
}
