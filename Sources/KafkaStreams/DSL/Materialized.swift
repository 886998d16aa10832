/// How a table's state store is made: its name (which makes it queryable), serdes,
/// caching and change-logging.
///
/// ```swift
/// stream.groupByKey().count(.as("counts-per-card"))
/// ```
public struct Materialized<Key, Value>: Sendable {
    /// The store name; `nil` lets the operator generate one (then the store is internal and
    /// not queryable by name).
    public var storeName: String?
    /// The key serde (`nil`: the stream's or table's).
    public var key: Serde<Key>?
    /// The value serde (`nil`: the operator's default, if it has one).
    public var value: Serde<Value>?
    /// Whether updates are cached and deduplicated between commits (default: on).
    public var cachingEnabled = true
    /// Whether changes are logged to a changelog topic (default: on).
    public var loggingEnabled = true
    /// Topic configs for the changelog topic.
    public var logConfig: [String: String] = [:]
    /// How long window stores keep old windows (`nil`: window size + grace).
    public var retention: Duration?
    /// The bytes store to use (`nil`: a store of ``storeType``).
    public var storeSupplier: KeyValueBytesStoreSupplier?
    /// The kind of store made when no supplier is given (`nil`: the task's
    /// `default.dsl.store`, RocksDB unless configured otherwise).
    public var storeType: DSLStoreType?

    /// Creates materialization options.
    public init(_ storeName: String? = nil, key: Serde<Key>? = nil, value: Serde<Value>? = nil) {
        self.storeName = storeName
        self.key = key
        self.value = value
    }

    /// A store with this name.
    public static func `as`(_ storeName: String) -> Materialized { Materialized(storeName) }

    /// A store with these serdes and a generated name.
    public static func with(_ key: Serde<Key>?, _ value: Serde<Value>?) -> Materialized { Materialized(key: key, value: value) }

    /// A store made by this supplier (its name is the store name).
    public static func `as`(_ supplier: KeyValueBytesStoreSupplier) -> Materialized {
        var m = Materialized(supplier.name)
        m.storeSupplier = supplier
        return m
    }

    /// The same, with serdes.
    public func withSerdes(key: Serde<Key>? = nil, value: Serde<Value>? = nil) -> Materialized {
        var copy = self
        if let key { copy.key = key }
        if let value { copy.value = value }
        return copy
    }

    /// The same, without a record cache: every update is forwarded at once.
    public func withCachingDisabled() -> Materialized {
        var copy = self
        copy.cachingEnabled = false
        return copy
    }

    /// The same, with a record cache.
    public func withCachingEnabled() -> Materialized {
        var copy = self
        copy.cachingEnabled = true
        return copy
    }

    /// The same, without a changelog.
    public func withLoggingDisabled() -> Materialized {
        var copy = self
        copy.loggingEnabled = false
        return copy
    }

    /// The same, with a changelog using these topic configs.
    public func withLoggingEnabled(_ config: [String: String] = [:]) -> Materialized {
        var copy = self
        copy.loggingEnabled = true
        copy.logConfig = config
        return copy
    }

    /// The same, with a store of this type (RocksDB or in-memory) unless a supplier is given.
    ///
    /// ```swift
    /// stream.groupByKey().count(Materialized.as("counts").withStoreType(.inMemory))
    /// ```
    public func withStoreType(_ type: DSLStoreType) -> Materialized {
        var copy = self
        copy.storeType = type
        return copy
    }

    /// The same, keeping windows for this long.
    public func withRetention(_ retention: Duration) -> Materialized {
        var copy = self
        copy.retention = retention
        return copy
    }

    /// The builder of the timestamped key-value store this describes, with a store name
    /// chosen already and serdes resolved.
    func storeBuilder(name: String, key: Serde<Key>, value: Serde<Value>) -> StoreBuilder<MeteredKeyValueStore<Key, ValueAndTimestamp<Value>>> {
        let supplier = storeSupplier
        let type = storeType
        var builder = Stores.keyValueStoreBuilder(
            { supplier ?? Stores.keyValueStore(name, type: type ?? $0) }, name: name, key: key, value: .valueAndTimestamp(value),
            timestamped: true)
        builder = loggingEnabled ? builder.withLoggingEnabled(logConfig) : builder.withLoggingDisabled()
        builder = cachingEnabled ? builder.withCachingEnabled() : builder.withCachingDisabled()
        return builder
    }

    /// The builder of the timestamped window store of a windowed aggregation.
    func windowStoreBuilder(
        name: String, retentionMs: Int64, windowSizeMs: Int64, key: Serde<Key>, value: Serde<Value>
    ) -> StoreBuilder<MeteredWindowStore<Key, ValueAndTimestamp<Value>>> {
        let type = storeType
        let builder = Stores.windowStoreBuilder(
            { Stores.windowStore(name, type: type ?? $0, retention: .milliseconds(retentionMs), windowSize: .milliseconds(windowSizeMs)) },
            name: name, key: key, value: .valueAndTimestamp(value), timestamped: true)
        return loggingEnabled ? builder.withLoggingEnabled(logConfig) : builder.withLoggingDisabled()
    }

    /// The builder of the session store of a session aggregation.
    func sessionStoreBuilder(name: String, retentionMs: Int64, key: Serde<Key>, value: Serde<Value>) -> StoreBuilder<MeteredSessionStore<Key, Value>> {
        let type = storeType
        let builder = Stores.sessionStoreBuilder(
            { Stores.sessionStore(name, type: type ?? $0, retention: .milliseconds(retentionMs)) }, name: name, key: key, value: value)
        return loggingEnabled ? builder.withLoggingEnabled(logConfig) : builder.withLoggingDisabled()
    }
}
