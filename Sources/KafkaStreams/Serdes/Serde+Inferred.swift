#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension Serde {
    /// The built-in serde for `Value` when it is one of the types with an obvious Kafka
    /// encoding (String, [UInt8], Int32, Int64, Double, Float, Bool, UUID, Void, or an
    /// Optional of one of them); `nil` otherwise.
    ///
    /// The DSL uses it where a stream's serde is unknown because an operator changed the
    /// type, playing the part of Kafka Streams' `default.key.serde` / `default.value.serde`
    /// but chosen by type, so it cannot be wrong.
    public static var inferred: Serde<Value>? {
        if let serde = Serde<String>.string as? Serde<Value> { return serde }
        if let serde = Serde<Int64>.int64 as? Serde<Value> { return serde }
        if let serde = Serde<Int32>.int32 as? Serde<Value> { return serde }
        if let serde = Serde<Double>.double as? Serde<Value> { return serde }
        if let serde = Serde<Float>.float as? Serde<Value> { return serde }
        if let serde = Serde<Bool>.bool as? Serde<Value> { return serde }
        if let serde = Serde<[UInt8]>.bytes as? Serde<Value> { return serde }
        if let serde = Serde<UUID>.uuid as? Serde<Value> { return serde }
        if let serde = Serde<Void>.void as? Serde<Value> { return serde }
        if let serde = Serde<String?>.optional(.string) as? Serde<Value> { return serde }
        if let serde = Serde<Int64?>.optional(.int64) as? Serde<Value> { return serde }
        if let serde = Serde<Int32?>.optional(.int32) as? Serde<Value> { return serde }
        if let serde = Serde<Double?>.optional(.double) as? Serde<Value> { return serde }
        if let serde = Serde<Float?>.optional(.float) as? Serde<Value> { return serde }
        if let serde = Serde<Bool?>.optional(.bool) as? Serde<Value> { return serde }
        if let serde = Serde<[UInt8]?>.optional(.bytes) as? Serde<Value> { return serde }
        if let serde = Serde<UUID?>.optional(.uuid) as? Serde<Value> { return serde }
        return nil
    }
}
