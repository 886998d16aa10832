/// Builds one instance of a state store per task, with its logging and caching options.
///
/// ```swift
/// let counts = Stores.keyValueStoreBuilder(
///     Stores.inMemoryKeyValueStore("counts"), key: .string, value: .int64)
/// topology.addStateStore(counts, processors: ["counter"])
/// ```
public struct StoreBuilder<Store: StateStore>: Sendable {
    /// The store name.
    public let name: String
    /// Whether changes are logged to a compacted changelog topic
    /// (`<application.id>-<name>-changelog`). On by default.
    public private(set) var loggingEnabled = true
    /// Topic configs for the changelog topic.
    public private(set) var logConfig: [String: String] = [:]
    /// Whether writes are cached and deduplicated between commits. Off by default.
    public private(set) var cachingEnabled = false
    private let make: @Sendable (StoreOptions) -> Store

    /// Creates a builder from a function that makes a new, closed store.
    public init(name: String, make: @escaping @Sendable () -> Store) {
        self.name = name
        self.make = { _ in make() }
    }

    /// Creates a builder from a function that makes a new, closed store with the
    /// builder's options (caching, logging) applied.
    public init(name: String, makeWithOptions: @escaping @Sendable (StoreOptions) -> Store) {
        self.name = name
        self.make = makeWithOptions
    }

    var options: StoreOptions {
        StoreOptions(cachingEnabled: cachingEnabled, loggingEnabled: loggingEnabled, logConfig: logConfig)
    }

    /// Topic configs of the changelog as it is created: `cleanup.policy=compact` for
    /// key-value stores, `compact,delete` with `retention.ms` for window and session stores
    /// (from ``withChangelogDefaults(_:)``), then the user's ``logConfig`` on top.
    public var changelogConfig: [String: String] {
        changelogDefaults.merging(logConfig) { _, user in user }
    }
    private var changelogDefaults: [String: String] = ["cleanup.policy": "compact"]

    /// The same, with these default changelog topic configs (the user's still override).
    public func withChangelogDefaults(_ defaults: [String: String]) -> StoreBuilder {
        var copy = self
        copy.changelogDefaults = defaults
        return copy
    }

    /// Logs changes to the changelog topic, with extra topic configs.
    public func withLoggingEnabled(_ config: [String: String] = [:]) -> StoreBuilder {
        var copy = self
        copy.loggingEnabled = true
        copy.logConfig = config
        return copy
    }

    /// Keeps no changelog: the store cannot be restored after a failure.
    public func withLoggingDisabled() -> StoreBuilder {
        var copy = self
        copy.loggingEnabled = false
        return copy
    }

    /// Caches writes between commits.
    public func withCachingEnabled() -> StoreBuilder {
        var copy = self
        copy.cachingEnabled = true
        return copy
    }

    /// Writes through without caching.
    public func withCachingDisabled() -> StoreBuilder {
        var copy = self
        copy.cachingEnabled = false
        return copy
    }

    /// A new, closed store (DSL stores without a supplier: RocksDB, as `default.dsl.store`).
    public func build() -> Store { make(options) }

    /// A new, closed store; DSL stores without a supplier are of `defaultStoreType`.
    public func build(defaultStoreType: DSLStoreType) -> Store {
        var options = self.options
        options.defaultStoreType = defaultStoreType
        return make(options)
    }

    var erased: AnyStoreBuilder {
        let make = self.make
        let options = self.options
        return AnyStoreBuilder(
            name: name, loggingEnabled: loggingEnabled, logConfig: logConfig, changelogConfig: changelogConfig,
            make: { type in
                var options = options
                options.defaultStoreType = type
                return make(options)
            })
    }
}

/// The options a ``StoreBuilder`` passes to the function that makes its stores.
public struct StoreOptions: Sendable {
    /// Wrap the bytes store in a record cache.
    public var cachingEnabled: Bool
    /// Log changes to a changelog topic.
    public var loggingEnabled: Bool
    /// Changelog topic configs.
    public var logConfig: [String: String]
    /// The store type DSL operators use when their ``Materialized`` names no supplier
    /// (the task's `default.dsl.store`).
    public var defaultStoreType: DSLStoreType = .rocksDB

    /// Creates options.
    public init(cachingEnabled: Bool, loggingEnabled: Bool, logConfig: [String: String], defaultStoreType: DSLStoreType = .rocksDB) {
        self.cachingEnabled = cachingEnabled
        self.loggingEnabled = loggingEnabled
        self.logConfig = logConfig
        self.defaultStoreType = defaultStoreType
    }
}

/// A store builder with its store type erased, as the topology keeps it.
struct AnyStoreBuilder: Sendable {
    let name: String
    let loggingEnabled: Bool
    let logConfig: [String: String]
    /// Every config of the changelog topic (defaults and the user's).
    let changelogConfig: [String: String]
    /// Makes a new, closed store; the argument is the task's `default.dsl.store`.
    let make: @Sendable (DSLStoreType) -> any StateStore
}

/// Makes the bytes store underneath a key-value store: in memory or, later, persistent.
public struct KeyValueBytesStoreSupplier: Sendable {
    /// The store name.
    public let name: String
    /// Whether the stores it makes are persistent.
    public let persistent: Bool
    /// Makes a new, closed bytes store.
    public let get: @Sendable () -> any KeyValueStore<[UInt8], [UInt8]>

    /// Creates a supplier.
    public init(name: String, persistent: Bool, get: @escaping @Sendable () -> any KeyValueStore<[UInt8], [UInt8]>) {
        self.name = name
        self.persistent = persistent
        self.get = get
    }
}

/// Factories for state stores, as Kafka Streams' `Stores`.
public enum Stores {
    /// A persistent key-value bytes store on RocksDB.
    public static func persistentKeyValueStore(_ name: String) -> KeyValueBytesStoreSupplier {
        KeyValueBytesStoreSupplier(name: name, persistent: true) { RocksDBKeyValueStore(name: name) }
    }

    /// A persistent key-value bytes store for timestamped values: the same RocksDB store
    /// (the timestamp is part of the value bytes); named for Kafka users.
    public static func persistentTimestampedKeyValueStore(_ name: String) -> KeyValueBytesStoreSupplier {
        persistentKeyValueStore(name)
    }

    /// A persistent, segmented window store of bytes on RocksDB.
    /// - Parameters:
    ///   - retention: how long windows are kept (at least the window size).
    ///   - windowSize: the window size (to report window ends).
    public static func persistentWindowStore(_ name: String, retention: Duration, windowSize: Duration) -> WindowBytesStoreSupplier {
        let retentionMs = max(retention.milliseconds, windowSize.milliseconds)
        let sizeMs = windowSize.milliseconds
        return WindowBytesStoreSupplier(name: name, persistent: true, retentionMs: retentionMs, windowSizeMs: sizeMs) {
            RocksDBWindowStore(name: name, retentionMs: retentionMs, windowSizeMs: sizeMs)
        }
    }

    /// A persistent, segmented session store of bytes on RocksDB keeping sessions
    /// `retention` past their end.
    public static func persistentSessionStore(_ name: String, retention: Duration) -> SessionBytesStoreSupplier {
        let retentionMs = retention.milliseconds
        return SessionBytesStoreSupplier(name: name, persistent: true, retentionMs: retentionMs) {
            RocksDBSessionStore(name: name, retentionMs: retentionMs)
        }
    }

    /// The key-value supplier of a DSL store of the given type.
    static func keyValueStore(_ name: String, type: DSLStoreType) -> KeyValueBytesStoreSupplier {
        type == .rocksDB ? persistentKeyValueStore(name) : inMemoryKeyValueStore(name)
    }

    /// The window supplier of a DSL store of the given type.
    static func windowStore(_ name: String, type: DSLStoreType, retention: Duration, windowSize: Duration) -> WindowBytesStoreSupplier {
        type == .rocksDB
            ? persistentWindowStore(name, retention: retention, windowSize: windowSize)
            : inMemoryWindowStore(name, retention: retention, windowSize: windowSize)
    }

    /// The session supplier of a DSL store of the given type.
    static func sessionStore(_ name: String, type: DSLStoreType, retention: Duration) -> SessionBytesStoreSupplier {
        type == .rocksDB ? persistentSessionStore(name, retention: retention) : inMemorySessionStore(name, retention: retention)
    }

    /// An in-memory key-value bytes store.
    public static func inMemoryKeyValueStore(_ name: String) -> KeyValueBytesStoreSupplier {
        KeyValueBytesStoreSupplier(name: name, persistent: false) { InMemoryKeyValueStore(name: name) }
    }

    /// An in-memory window store of bytes.
    /// - Parameters:
    ///   - retention: how long windows are kept (at least the window size).
    ///   - windowSize: the window size (to report window ends).
    public static func inMemoryWindowStore(_ name: String, retention: Duration, windowSize: Duration) -> WindowBytesStoreSupplier {
        let retentionMs = max(retention.milliseconds, windowSize.milliseconds)
        let sizeMs = windowSize.milliseconds
        return WindowBytesStoreSupplier(name: name, persistent: false, retentionMs: retentionMs, windowSizeMs: sizeMs) {
            InMemoryWindowStore(name: name, retentionMs: retentionMs, windowSizeMs: sizeMs)
        }
    }

    /// An in-memory session store of bytes keeping sessions `retention` past their end.
    public static func inMemorySessionStore(_ name: String, retention: Duration) -> SessionBytesStoreSupplier {
        let retentionMs = retention.milliseconds
        return SessionBytesStoreSupplier(name: name, persistent: false, retentionMs: retentionMs) {
            InMemorySessionStore(name: name, retentionMs: retentionMs)
        }
    }

    /// A builder of typed window stores: metered → change-logging (if enabled) → bytes store.
    public static func windowStoreBuilder<Key, Value>(
        _ supplier: WindowBytesStoreSupplier, key: Serde<Key>, value: Serde<Value>
    ) -> StoreBuilder<MeteredWindowStore<Key, Value>> {
        windowStoreBuilder({ _ in supplier }, name: supplier.name, key: key, value: value, timestamped: false)
    }

    /// A builder of timestamped window stores (values with their timestamp, in Kafka's byte
    /// format; the changelog carries the timestamp as record timestamp).
    public static func timestampedWindowStoreBuilder<Key, Value>(
        _ supplier: WindowBytesStoreSupplier, key: Serde<Key>, value: Serde<Value>
    ) -> StoreBuilder<MeteredWindowStore<Key, ValueAndTimestamp<Value>>> {
        windowStoreBuilder({ _ in supplier }, name: supplier.name, key: key, value: .valueAndTimestamp(value), timestamped: true)
    }

    static func windowStoreBuilder<Key, Value>(
        _ supplier: @escaping @Sendable (DSLStoreType) -> WindowBytesStoreSupplier, name: String, key: Serde<Key>,
        value: Serde<Value>, timestamped: Bool
    ) -> StoreBuilder<MeteredWindowStore<Key, Value>> {
        StoreBuilder(name: name, makeWithOptions: { options in
            let bytes = supplier(options.defaultStoreType).get()
            return MeteredWindowStore(
                inner: options.loggingEnabled ? ChangeLoggingWindowStore(bytes, timestamped: timestamped) : bytes,
                keySerde: key, valueSerde: value)
        })
        .withChangelogDefaults(["cleanup.policy": "compact,delete", "retention.ms": String(supplier(.inMemory).retentionMs)])
    }

    /// A builder of typed session stores: metered → change-logging (if enabled) → bytes store.
    public static func sessionStoreBuilder<Key, Value>(
        _ supplier: SessionBytesStoreSupplier, key: Serde<Key>, value: Serde<Value>
    ) -> StoreBuilder<MeteredSessionStore<Key, Value>> {
        sessionStoreBuilder({ _ in supplier }, name: supplier.name, key: key, value: value)
    }

    static func sessionStoreBuilder<Key, Value>(
        _ supplier: @escaping @Sendable (DSLStoreType) -> SessionBytesStoreSupplier, name: String, key: Serde<Key>,
        value: Serde<Value>
    ) -> StoreBuilder<MeteredSessionStore<Key, Value>> {
        StoreBuilder(name: name, makeWithOptions: { options in
            let bytes = supplier(options.defaultStoreType).get()
            return MeteredSessionStore(
                inner: options.loggingEnabled ? ChangeLoggingSessionStore(bytes) : bytes, keySerde: key, valueSerde: value)
        })
        .withChangelogDefaults(["cleanup.policy": "compact,delete", "retention.ms": String(supplier(.inMemory).retentionMs)])
    }

    /// A builder of timestamped key-value stores (values stored with their record's
    /// timestamp, in Kafka Streams' byte format) over the supplier's bytes stores.
    public static func timestampedKeyValueStoreBuilder<Key, Value>(
        _ supplier: KeyValueBytesStoreSupplier, key: Serde<Key>, value: Serde<Value>
    ) -> StoreBuilder<MeteredKeyValueStore<Key, ValueAndTimestamp<Value>>> {
        keyValueStoreBuilder({ _ in supplier }, name: supplier.name, key: key, value: .valueAndTimestamp(value), timestamped: true)
    }

    /// A builder of typed key-value stores over the supplier's bytes stores:
    /// metered → caching (if enabled) → change-logging (if enabled) → bytes store.
    public static func keyValueStoreBuilder<Key, Value>(
        _ supplier: KeyValueBytesStoreSupplier, key: Serde<Key>, value: Serde<Value>
    ) -> StoreBuilder<MeteredKeyValueStore<Key, Value>> {
        keyValueStoreBuilder({ _ in supplier }, name: supplier.name, key: key, value: value, timestamped: false)
    }

    static func keyValueStoreBuilder<Key, Value>(
        _ supplier: @escaping @Sendable (DSLStoreType) -> KeyValueBytesStoreSupplier, name: String, key: Serde<Key>,
        value: Serde<Value>, timestamped: Bool
    ) -> StoreBuilder<MeteredKeyValueStore<Key, Value>> {
        StoreBuilder(name: name, makeWithOptions: { options in
            var bytes = supplier(options.defaultStoreType).get()
            if options.loggingEnabled { bytes = ChangeLoggingKeyValueStore(bytes, timestamped: timestamped) }
            return MeteredKeyValueStore(
                inner: options.cachingEnabled ? CachingKeyValueStore(bytes) : bytes, keySerde: key, valueSerde: value)
        })
    }
}

/// Makes the bytes store underneath a window store.
public struct WindowBytesStoreSupplier: Sendable {
    /// The store name.
    public let name: String
    /// Whether the stores it makes are persistent.
    public let persistent: Bool
    /// How long windows are kept, in ms.
    public let retentionMs: Int64
    /// The window size, in ms.
    public let windowSizeMs: Int64
    /// Makes a new, closed bytes store.
    public let get: @Sendable () -> any WindowStore<[UInt8], [UInt8]>

    /// Creates a supplier.
    public init(
        name: String, persistent: Bool, retentionMs: Int64, windowSizeMs: Int64,
        get: @escaping @Sendable () -> any WindowStore<[UInt8], [UInt8]>
    ) {
        self.name = name
        self.persistent = persistent
        self.retentionMs = retentionMs
        self.windowSizeMs = windowSizeMs
        self.get = get
    }
}

/// Makes the bytes store underneath a session store.
public struct SessionBytesStoreSupplier: Sendable {
    /// The store name.
    public let name: String
    /// Whether the stores it makes are persistent.
    public let persistent: Bool
    /// How long sessions are kept after they end, in ms.
    public let retentionMs: Int64
    /// Makes a new, closed bytes store.
    public let get: @Sendable () -> any SessionStore<[UInt8], [UInt8]>

    /// Creates a supplier.
    public init(name: String, persistent: Bool, retentionMs: Int64, get: @escaping @Sendable () -> any SessionStore<[UInt8], [UInt8]>) {
        self.name = name
        self.persistent = persistent
        self.retentionMs = retentionMs
        self.get = get
    }
}
