/// A store of state owned by one task: key-value, window or session.
///
/// Stores are created per task from a ``StoreBuilder``, initialized before the task's
/// processors, flushed on every commit and closed with the task. They are not thread-safe.
public protocol StateStore: AnyObject {
    /// The store's name, unique in its topology.
    var name: String { get }
    /// Whether the store keeps its data on disk across restarts.
    var persistent: Bool { get }
    /// Whether the store is open for reads and writes.
    var isOpen: Bool { get }
    /// Opens the store for its task.
    /// - Throws: ``StreamsError`` (`stateStore`) if it cannot be opened.
    func initialize(context: StateStoreContext) throws
    /// Makes every write so far durable (a no-op for in-memory stores).
    /// - Throws: ``StreamsError`` (`stateStore`) on I/O failure.
    func flush() throws
    /// Closes the store; it may not be used afterwards.
    /// - Throws: ``StreamsError`` (`stateStore`) on I/O failure.
    func close() throws
}

/// What a store learns about its task when it is initialized.
public struct StateStoreContext {
    /// The application id.
    public var applicationID: String
    /// The task that owns the store.
    public var taskId: TaskId
    /// The directory for this task's persistent stores, if the runtime provides one.
    public var stateDirectory: String?

    /// The record cache shared by the caching stores of the task's thread, if any.
    var recordCache: RecordCache?
    /// The task's state manager (changelogs, state directory), if the store runs in a task.
    package var stateManager: ProcessorStateManager?
    /// The RocksDB resources to open persistent stores with (default: the state
    /// manager's, else ``RocksDBSharedResources/shared``).
    public var rocksDB: RocksDBSharedResources?

    /// Creates a store context.
    /// - Parameters:
    ///   - stateDirectory: the task's directory; persistent stores open in
    ///     `<stateDirectory>/rocksdb/<store>`.
    ///   - cacheMaxBytes: a record cache budget for caching stores used outside a task
    ///     (`nil`: none, caching stores write through).
    ///   - rocksDB: the RocksDB resources (`nil`: ``RocksDBSharedResources/shared``).
    public init(
        applicationID: String, taskId: TaskId, stateDirectory: String? = nil, cacheMaxBytes: Int? = nil,
        rocksDB: RocksDBSharedResources? = nil
    ) {
        self.applicationID = applicationID
        self.taskId = taskId
        self.stateDirectory = stateDirectory
        self.recordCache = cacheMaxBytes.map { RecordCache(maxBytes: $0) }
        self.rocksDB = rocksDB
    }
}

/// A key and a value, as Kafka's `KeyValue`.
public struct KeyValue<Key, Value> {
    /// The key.
    public var key: Key
    /// The value.
    public var value: Value

    /// Creates a pair.
    @inlinable public init(_ key: Key, _ value: Value) {
        self.key = key
        self.value = value
    }
}

extension KeyValue: Sendable where Key: Sendable, Value: Sendable {}
extension KeyValue: Equatable where Key: Equatable, Value: Equatable {}
extension KeyValue: Hashable where Key: Hashable, Value: Hashable {}

extension KeyValue: CustomStringConvertible {
    /// `KeyValue(key, value)` as Kafka prints it.
    public var description: String { "KeyValue(\(key), \(value))" }
}
