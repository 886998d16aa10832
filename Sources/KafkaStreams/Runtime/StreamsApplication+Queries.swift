import KafkaClient
import NIOCore

extension StreamsApplication {
    /// Runs `body` on every local instance of store `name` (one per active task holding
    /// it; one for a global store), on the threads that own them.
    /// - Throws: ``StreamsError`` `storeNotAvailable` unless `RUNNING` (or while a task
    ///   holding the store restores), `stateStore` if no local task has the store.
    func queryStores<R: Sendable>(_ name: String, _ body: @escaping @Sendable (any StateStore) throws -> R) async throws -> [R] {
        guard topology.storeNames.contains(name) else {
            throw StreamsError(
                .stateStore, "the topology has no store named \(name); it has \(topology.storeNames)", context: .init(store: name))
        }
        let state = self.state
        guard state == .running else {
            throw StreamsError(
                .storeNotAvailable, "store \(name) cannot be queried while the instance is \(state); retry shortly",
                context: .init(store: name))
        }
        var results: [R] = []
        let threads = box.withLockedValue { $0.threads }
        for (i, thread) in threads.enumerated() {
            results += try await thread.query(name, global: i == 0, body)
        }
        return results
    }

    /// A read-only view of a key-value store over all local tasks (Kafka's
    /// `store(StoreQueryParameters.fromNameAndType(name, keyValueStore()))`). DSL tables'
    /// timestamped stores are shown with plain values.
    ///
    /// ```swift
    /// let counts = app.keyValueStore("counts-store", key: String.self, value: Int64.self)
    /// let hello = try await counts.get("hello")
    /// ```
    public func keyValueStore<Key: Sendable, Value: Sendable>(
        _ name: String, key: Key.Type = Key.self, value: Value.Type = Value.self
    ) -> ReadOnlyKeyValueView<Key, Value> {
        ReadOnlyKeyValueView(app: self, storeName: name)
    }

    /// A read-only view of a window store over all local tasks.
    public func windowStore<Key: Sendable, Value: Sendable>(
        _ name: String, key: Key.Type = Key.self, value: Value.Type = Value.self
    ) -> ReadOnlyWindowView<Key, Value> {
        ReadOnlyWindowView(app: self, storeName: name)
    }

    /// A read-only view of a session store over all local tasks.
    public func sessionStore<Key: Sendable, Value: Sendable>(
        _ name: String, key: Key.Type = Key.self, value: Value.Type = Value.self
    ) -> ReadOnlySessionView<Key, Value> {
        ReadOnlySessionView(app: self, storeName: name)
    }

    /// The partition of the store's input that holds `key` (the default partitioner:
    /// murmur2 of the serialized key, as the producer and Java place records).
    /// - Throws: ``StreamsError`` `stateStore` for an unknown store, `storeNotAvailable`
    ///   before the instance started, `serialization` if the key cannot be serialized.
    public func partition<Key>(forKey key: Key, serde: Serde<Key>, store: String) throws -> TopicPartition {
        guard let context = box.withLockedValue({ $0.context }) else {
            throw StreamsError(.storeNotAvailable, "the instance has not started", context: .init(store: store))
        }
        guard let sub = context.layout.subtopologies.first(where: { topology.subtopologyStores($0.id).contains(store) }),
            let topic = sub.sourceTopics.first, let count = context.layout.partitionCounts[topic]
        else {
            throw StreamsError(.stateStore, "no sub-topology of the topology holds store \(store)", context: .init(store: store))
        }
        var buffer = ByteBuffer()
        do { _ = try serde.serialize(key, into: &buffer) } catch {
            throw StreamsError(.serialization, "could not serialize the key with \(serde.name): \(error)", context: .init(store: store))
        }
        return TopicPartition(topic, Murmur2.partition(forKey: buffer, partitionCount: count))
    }
}

extension Topology {
    /// The stores of a sub-topology.
    package func subtopologyStores(_ id: Int) -> [String] { subtopologies.first { $0.id == id }?.stores ?? [] }
}

/// A read-only key-value store over every local task of an application (thread-safe:
/// each read runs on the thread owning the task).
public struct ReadOnlyKeyValueView<Key: Sendable, Value: Sendable>: Sendable {
    let app: StreamsApplication
    /// The store's name.
    public let storeName: String

    /// The value of `key` in whichever local task holds it, or `nil`.
    public func get(_ key: Key) async throws -> Value? {
        let name = storeName
        let found = try await app.queryStores(name) { store in try Self.read(store, name) { try $0.get(key) } }
        return found.lazy.compactMap { $0 }.first
    }

    /// The entries with keys in `from...to` (bytewise order of the serialized keys within
    /// each task; tasks one after another).
    public func range(from: Key?, to: Key?) async throws -> [KeyValue<Key, Value>] {
        let name = storeName
        return try await app.queryStores(name) { store in
            try Self.read(store, name) { try $0.range(from: from, to: to).toArray() }
        }.flatMap { $0 }
    }

    /// Every entry.
    public func all() async throws -> [KeyValue<Key, Value>] { try await range(from: nil, to: nil) }

    /// The approximate number of entries over all local tasks.
    public func approximateNumEntries() async throws -> Int {
        let name = storeName
        return try await app.queryStores(name) { store in try Self.read(store, name) { try $0.approximateNumEntries() } }.reduce(0, +)
    }

    static func read<R>(_ store: any StateStore, _ name: String, _ body: (any ReadOnlyKeyValueStore<Key, Value>) throws -> R) throws -> R {
        if let timestamped = store as? any KeyValueStore<Key, ValueAndTimestamp<Value>> {
            return try body(PlainValueView(timestamped))
        }
        guard let plain = store as? any ReadOnlyKeyValueStore<Key, Value> else {
            throw StreamsError(
                .stateStore, "store \(name) is a \(type(of: store)), not a key-value store of \(Key.self) to \(Value.self)",
                context: .init(store: name))
        }
        return try body(plain)
    }
}


/// A read-only window store over every local task of an application. DSL windowed
/// aggregations' timestamped stores are shown with plain values.
public struct ReadOnlyWindowView<Key: Sendable, Value: Sendable>: Sendable {
    let app: StreamsApplication
    /// The store's name.
    public let storeName: String

    /// The value of `key` in the window starting at `windowStart`, or `nil`.
    public func fetch(_ key: Key, windowStart: Int64) async throws -> Value? {
        let name = storeName
        return try await app.queryStores(name) { store in
            try Self.read(store, name, plain: { try $0.fetch(key, windowStart: windowStart) }, timestamped: {
                try $0.fetch(key, windowStart: windowStart)?.value
            })
        }.lazy.compactMap { $0 }.first
    }

    /// The windows of `key` starting in `from...to`, as (window start, value), oldest first.
    public func fetch(_ key: Key, from: Int64, to: Int64) async throws -> [KeyValue<Int64, Value>] {
        let name = storeName
        return try await app.queryStores(name) { store in
            try Self.read(store, name, plain: { try $0.fetch(key, from: from, to: to).toArray() }, timestamped: {
                try $0.fetch(key, from: from, to: to).toArray().map { KeyValue($0.key, $0.value.value) }
            })
        }.flatMap { $0 }.sorted { $0.key < $1.key }
    }

    /// Every window starting in `from...to`, of every key.
    public func fetchAll(from: Int64, to: Int64) async throws -> [KeyValue<Windowed<Key>, Value>] {
        let name = storeName
        return try await app.queryStores(name) { store in
            try Self.read(store, name, plain: { try $0.fetchAll(from: from, to: to, backward: false).toArray() }, timestamped: {
                try $0.fetchAll(from: from, to: to, backward: false).toArray().map { KeyValue($0.key, $0.value.value) }
            })
        }.flatMap { $0 }
    }

    static func read<R>(
        _ store: any StateStore, _ name: String, plain: (any ReadOnlyWindowStore<Key, Value>) throws -> R,
        timestamped: (any ReadOnlyWindowStore<Key, ValueAndTimestamp<Value>>) throws -> R
    ) throws -> R {
        if let store = store as? any ReadOnlyWindowStore<Key, ValueAndTimestamp<Value>> { return try timestamped(store) }
        if let store = store as? any ReadOnlyWindowStore<Key, Value> { return try plain(store) }
        throw StreamsError(
            .stateStore, "store \(name) is a \(type(of: store)), not a window store of \(Key.self) to \(Value.self)",
            context: .init(store: name))
    }
}

/// A read-only session store over every local task of an application.
public struct ReadOnlySessionView<Key: Sendable, Value: Sendable>: Sendable {
    let app: StreamsApplication
    /// The store's name.
    public let storeName: String

    /// Every session of `key`, oldest first.
    public func fetch(_ key: Key) async throws -> [KeyValue<Windowed<Key>, Value>] {
        let name = storeName
        return try await app.queryStores(name) { store in
            guard let sessions = store as? any SessionStore<Key, Value> else {
                throw StreamsError(
                    .stateStore, "store \(name) is a \(type(of: store)), not a session store of \(Key.self) to \(Value.self)",
                    context: .init(store: name))
            }
            return try sessions.fetch(key).toArray()
        }.flatMap { $0 }
    }
}

/// Which instances hold a key of a store (Kafka's `KeyQueryMetadata`).
public struct KeyQueryMetadata: Sendable, Hashable {
    /// The `application.server` of the instance whose active task holds the key, or `nil`
    /// if the instances do not set `application.server` or the assignment is not known.
    public var activeHost: String?
    /// The instances holding standby copies.
    public var standbyHosts: Set<String>
    /// The input partition the key belongs to.
    public var partition: TopicPartition
}

extension StreamThread {
    /// The hosts of a partition, from the last assignment.
    func hosts(of partition: TopicPartition) -> (active: String?, standbys: Set<String>) {
        let active = partitionsByHost.first { $0.value.contains(partition) }?.key
        let standbys = Set(standbyPartitionsByHost.filter { $0.value.contains(partition) }.keys)
        return (active, standbys)
    }
}

extension StreamsApplication {
    /// Where a key of a store lives: the instance (`application.server`) running the task
    /// of the key's partition, and those with standby copies (Kafka's
    /// `queryMetadataForKey`). Route a query for the key there.
    /// - Throws: as ``partition(forKey:serde:store:)``.
    public func metadataForKey<Key>(_ store: String, key: Key, serde: Serde<Key>) async throws -> KeyQueryMetadata {
        let partition = try partition(forKey: key, serde: serde, store: store)
        guard let thread = box.withLockedValue({ $0.threads.first }) else {
            return KeyQueryMetadata(activeHost: nil, standbyHosts: [], partition: partition)
        }
        let (active, standbys) = await thread.hosts(of: partition)
        return KeyQueryMetadata(activeHost: active, standbyHosts: standbys, partition: partition)
    }
}

extension StreamsApplication {
    /// The `application.server` of every instance in the last assignment, this one
    /// included (Kafka's `metadataForAllStreamsClients`, hosts only), sorted; empty if the
    /// instances do not set `application.server` or no assignment is known yet.
    public func streamsClientHosts() async -> [String] {
        guard let thread = box.withLockedValue({ $0.threads.first }) else { return [] }
        return await thread.knownHosts()
    }
}

extension StreamThread {
    /// The hosts named in the last assignment.
    func knownHosts() -> [String] {
        Set(partitionsByHost.keys).union(standbyPartitionsByHost.keys).sorted()
    }
}
