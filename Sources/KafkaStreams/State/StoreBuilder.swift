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
