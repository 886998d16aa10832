/// How a source reads a topic: serdes, timestamp extractor, offset reset, processor name.
public struct Consumed<Key, Value>: Sendable {
    /// The key serde.
    public var key: Serde<Key>
    /// The value serde.
    public var value: Serde<Value>
    /// Chooses each record's event time.
    public var timestampExtractor: TimestampExtractor<Key, Value>
    /// Where to start without a committed offset (`nil`: the application's default).
    public var offsetReset: AutoOffsetReset?
    /// The source processor's name.
    public var named: Named?

    /// Creates consumption options.
    public init(
        key: Serde<Key>, value: Serde<Value>, timestampExtractor: TimestampExtractor<Key, Value> = .recordTimestamp,
        offsetReset: AutoOffsetReset? = nil, named: Named? = nil
    ) {
        self.key = key
        self.value = value
        self.timestampExtractor = timestampExtractor
        self.offsetReset = offsetReset
        self.named = named
    }

    /// Kafka Streams' spelling: `Consumed.with(keySerde, valueSerde)`.
    public static func with(_ key: Serde<Key>, _ value: Serde<Value>) -> Consumed { Consumed(key: key, value: value) }
}
