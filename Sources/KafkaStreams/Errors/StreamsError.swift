/// An error raised by the streams library: a code, a message that says what was wrong and
/// what to do, the context it happened in, an optional underlying cause and where it was
/// raised.
///
/// Open-ended: new codes may be added, so match on `code` with a `default` branch.
public struct StreamsError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// The code's name.
        public let name: String
        private init(_ name: String) { self.name = name }

        /// A topology is invalid: unknown parent, duplicate name, cycle, unconnected store, ...
        public static let invalidTopology = Code("invalidTopology")
        /// A key or value could not be deserialized.
        public static let deserialization = Code("deserialization")
        /// A key or value could not be serialized.
        public static let serialization = Code("serialization")
        /// A record had a timestamp the topology cannot use (negative).
        public static let invalidTimestamp = Code("invalidTimestamp")
        /// A state store was not found, not connected or has another type.
        public static let stateStore = Code("stateStore")
        /// A processor, a user function or a punctuation failed.
        public static let processing = Code("processing")
        /// A configuration value is invalid.
        public static let invalidConfig = Code("invalidConfig")
        /// An operation was used in a state that does not allow it (e.g. after close).
        public static let illegalState = Code("illegalState")
        /// A task's state directory is locked by another instance (or another task object
        /// of this one): the context's `path` names the lock file.
        public static let stateDirectoryLocked = Code("stateDirectoryLocked")
        /// A persistent store's files are corrupted or unreadable: wipe the store's
        /// directory (the context's `path`) and it is restored from its changelog.
        public static let storeCorrupted = Code("storeCorrupted")
        /// A state directory or store file could not be created, written or read (disk
        /// full, permissions, I/O error); the context's `path` names it.
        public static let stateIO = Code("stateIO")
        /// A topic the topology reads does not exist: create it (the context's `topic`).
        public static let missingSourceTopic = Code("missingSourceTopic")
        /// Topics that must be co-partitioned, or an existing internal topic, have the
        /// wrong number of partitions (the context's `topic`): fix or delete the topic.
        public static let partitionMismatch = Code("partitionMismatch")
        /// A store cannot be queried now: the instance is rebalancing or the store's task
        /// is restoring or moving. Retry shortly (HTTP 503).
        public static let storeNotAvailable = Code("storeNotAvailable")
        /// The Kafka client failed (connection, broker error, fencing); the cause says how.
        public static let client = Code("client")

        /// The code's name.
        public var description: String { name }
    }

    /// Where an error happened. Every field is optional; the ones known are filled in.
    public struct Context: Sendable, Hashable {
        /// The topic of the record or the sink.
        public var topic: String?
        /// The partition of the record.
        public var partition: Int32?
        /// The offset of the record.
        public var offset: Int64?
        /// The processor node.
        public var node: String?
        /// The state store.
        public var store: String?
        /// The task.
        public var taskId: TaskId?
        /// The file or directory involved (state directory, store, checkpoint file).
        public var path: String?

        /// Creates a context.
        public init(
            topic: String? = nil, partition: Int32? = nil, offset: Int64? = nil,
            node: String? = nil, store: String? = nil, taskId: TaskId? = nil, path: String? = nil
        ) {
            self.topic = topic
            self.partition = partition
            self.offset = offset
            self.node = node
            self.store = store
            self.taskId = taskId
            self.path = path
        }

        var rendered: String {
            var parts: [String] = []
            if let taskId { parts.append("task \(taskId)") }
            if let node { parts.append("node \(node)") }
            if let store { parts.append("store \(store)") }
            if let topic { parts.append("topic \(topic)") }
            if let partition { parts.append("partition \(partition)") }
            if let offset { parts.append("offset \(offset)") }
            if let path { parts.append("path \(path)") }
            return parts.joined(separator: ", ")
        }
    }

    /// The kind of failure.
    public var code: Code
    /// What was wrong and what to do about it.
    public var message: String
    /// Where it happened.
    public var context: Context
    /// The underlying error, if any.
    public var cause: (any Error)?
    /// The source file that raised it.
    public var file: String
    /// The source line that raised it.
    public var line: UInt

    /// Creates an error.
    public init(
        _ code: Code, _ message: String, context: Context = Context(), cause: (any Error)? = nil,
        file: String = #fileID, line: UInt = #line
    ) {
        self.code = code
        self.message = message
        self.context = context
        self.cause = cause
        self.file = file
        self.line = line
    }

    /// `StreamsError.<code>: <message> (<context>) caused by <cause>`.
    public var description: String {
        var text = "StreamsError.\(code): \(message)"
        let where_ = context.rendered
        if !where_.isEmpty { text += " [\(where_)]" }
        if let cause { text += " caused by: \(cause)" }
        return text
    }
}
