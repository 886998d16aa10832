/// Detects `nil` keys of an optional key type, so join processors can drop them as Kafka
/// Streams drops null keys from key-based joins.
///
/// Made once per processor: for a non-optional key type there is nothing to check and
/// ``isNull`` is `nil`, so the hot path pays nothing.
struct NullKeyCheck<Key> {
    /// Whether a key is `nil`; `nil` when the key type cannot be null.
    let isNull: ((Key) -> Bool)?

    init() {
        if Key.self is any OptionalValue.Type {
            isNull = { key in (key as? any OptionalValue)?.isNone ?? false }
        } else {
            isNull = nil
        }
    }

    /// Whether the key is `nil`.
    @inline(__always) func callAsFunction(_ key: Key) -> Bool { isNull?(key) ?? false }
}

extension OptionalValue {
    /// Whether this optional is `nil`.
    var isNone: Bool { optionalValue == nil }
}
