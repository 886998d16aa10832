/// Options of a stream–stream join: serdes of the key and of both values (for the two
/// window stores that buffer the streams), the name of the join's processors and the base
/// name of its stores, and the stores' change-logging.
///
/// ```swift
/// authorizations.join(captures, .ofTimeDifferenceWithNoGrace(.minutes(5)),
///                     StreamJoined(storeName: "auth-capture")) { a, c in Matched(a, c) }
/// // stores: auth-capture-this-join-store, auth-capture-other-join-store
/// ```
public struct StreamJoined<Key, Value, OtherValue>: Sendable {
    /// The key serde (`nil`: the streams').
    public var key: Serde<Key>?
    /// The serde of this stream's values (`nil`: this stream's).
    public var value: Serde<Value>?
    /// The serde of the other stream's values (`nil`: the other stream's).
    public var otherValue: Serde<OtherValue>?
    /// Names the processors: `<name>-this-windowed`, `<name>-this-join`, `<name>-merge`, ...
    public var named: Named?
    /// The base name of the stores: `<storeName>-this-join-store`, `<storeName>-other-join-store`
    /// (and `-outer-this-join-store`, `-outer-other-join-store`, `-outer-shared-join-store`
    /// or `-left-shared-join-store` for outer and left joins). Without it, stores are named
    /// after the generated processors (`KSTREAM-JOINTHIS-<n>-store`, ...).
    public var storeName: String?
    /// Whether the stores log to changelog topics (default: on).
    public var loggingEnabled = true
    /// Topic configs for the changelog topics.
    public var logConfig: [String: String] = [:]

    /// Creates join options.
    public init(
        key: Serde<Key>? = nil, value: Serde<Value>? = nil, otherValue: Serde<OtherValue>? = nil, named: Named? = nil,
        storeName: String? = nil
    ) {
        self.key = key
        self.value = value
        self.otherValue = otherValue
        self.named = named
        self.storeName = storeName
    }

    /// Kafka Streams' spelling: `StreamJoined.with(keySerde, valueSerde, otherValueSerde)`.
    public static func with(_ key: Serde<Key>?, _ value: Serde<Value>?, _ otherValue: Serde<OtherValue>?) -> StreamJoined {
        StreamJoined(key: key, value: value, otherValue: otherValue)
    }

    /// Kafka Streams' spelling: `StreamJoined.as(storeName)`.
    public static func `as`(_ storeName: String) -> StreamJoined { StreamJoined(storeName: storeName) }

    /// The same, naming the processors.
    public func withName(_ name: String) -> StreamJoined {
        var copy = self
        copy.named = Named(name)
        return copy
    }

    /// The same, with a base name for the stores.
    public func withStoreName(_ storeName: String) -> StreamJoined {
        var copy = self
        copy.storeName = storeName
        return copy
    }

    /// The same, without changelogs for the join stores.
    public func withLoggingDisabled() -> StreamJoined {
        var copy = self
        copy.loggingEnabled = false
        return copy
    }

    /// The same, with changelogs using these topic configs.
    public func withLoggingEnabled(_ config: [String: String] = [:]) -> StreamJoined {
        var copy = self
        copy.loggingEnabled = true
        copy.logConfig = config
        return copy
    }
}
