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

    /// A new, closed store.
    public func build() -> Store { make(options) }

    var erased: AnyStoreBuilder {
        let make = self.make
        let options = self.options
        return AnyStoreBuilder(name: name, loggingEnabled: loggingEnabled, logConfig: logConfig, make: { make(options) })
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
}

/// A store builder with its store type erased, as the topology keeps it.
struct AnyStoreBuilder: Sendable {
    let name: String
    let loggingEnabled: Bool
    let logConfig: [String: String]
    let make: @Sendable () -> any StateStore
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

    /// A builder of typed window stores.
    public static func windowStoreBuilder<Key, Value>(
        _ supplier: WindowBytesStoreSupplier, key: Serde<Key>, value: Serde<Value>
    ) -> StoreBuilder<MeteredWindowStore<Key, Value>> {
        StoreBuilder(name: supplier.name) { MeteredWindowStore(inner: supplier.get(), keySerde: key, valueSerde: value) }
    }

    /// A builder of typed session stores.
    public static func sessionStoreBuilder<Key, Value>(
        _ supplier: SessionBytesStoreSupplier, key: Serde<Key>, value: Serde<Value>
    ) -> StoreBuilder<MeteredSessionStore<Key, Value>> {
        StoreBuilder(name: supplier.name) { MeteredSessionStore(inner: supplier.get(), keySerde: key, valueSerde: value) }
    }

    /// A builder of timestamped key-value stores (values stored with their record's
    /// timestamp, in Kafka Streams' byte format) over the supplier's bytes stores.
    public static func timestampedKeyValueStoreBuilder<Key, Value>(
        _ supplier: KeyValueBytesStoreSupplier, key: Serde<Key>, value: Serde<Value>
    ) -> StoreBuilder<MeteredKeyValueStore<Key, ValueAndTimestamp<Value>>> {
        keyValueStoreBuilder(supplier, key: key, value: .valueAndTimestamp(value))
    }

    /// A builder of typed key-value stores over the supplier's bytes stores.
    public static func keyValueStoreBuilder<Key, Value>(
        _ supplier: KeyValueBytesStoreSupplier, key: Serde<Key>, value: Serde<Value>
    ) -> StoreBuilder<MeteredKeyValueStore<Key, Value>> {
        StoreBuilder(name: supplier.name, makeWithOptions: { options in
            let bytes = supplier.get()
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
