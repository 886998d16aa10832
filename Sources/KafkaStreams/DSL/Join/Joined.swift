/// Options of a stream–table join: the serdes used if the stream must be repartitioned
/// first, and the name of the join processor.
///
/// ```swift
/// payments.join(cards, Joined(named: "enrich")) { payment, card in Enriched(payment, card) }
/// ```
public struct Joined<Key, Value, OtherValue>: Sendable {
    /// The key serde (`nil`: the stream's).
    public var key: Serde<Key>?
    /// The stream's value serde (`nil`: the stream's).
    public var value: Serde<Value>?
    /// The table's value serde (`nil`: the table's); kept for Kafka Streams parity.
    public var otherValue: Serde<OtherValue>?
    /// The join processor's name; the repartition topic, if one is needed, is
    /// `<name>-left-repartition`.
    public var named: Named?

    /// Creates join options.
    public init(key: Serde<Key>? = nil, value: Serde<Value>? = nil, otherValue: Serde<OtherValue>? = nil, named: Named? = nil) {
        self.key = key
        self.value = value
        self.otherValue = otherValue
        self.named = named
    }

    /// Kafka Streams' spelling: `Joined.with(keySerde, valueSerde, otherValueSerde)`.
    public static func with(_ key: Serde<Key>?, _ value: Serde<Value>?, _ otherValue: Serde<OtherValue>?) -> Joined {
        Joined(key: key, value: value, otherValue: otherValue)
    }

    /// Kafka Streams' spelling: `Joined.as(name)`.
    public static func `as`(_ name: String) -> Joined { Joined(named: Named(name)) }
}
