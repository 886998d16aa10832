import KafkaStreamsService

/// The fraud-detection program's own keys (beside Kafka Streams'): its generator and output.
struct FraudServiceSettings: Sendable {
    static let keys = [
        "generator.rate", "generator.rounds", "generator.cards", "generator.seed", "generator.malformed.rate", "alerts.print",
    ]

    /// Payments per second (0: unthrottled).
    var rate: Double = 100
    /// Rounds to generate (`nil`: until shutdown; 0: no generator).
    var rounds: Int?
    /// Cards per round.
    var cards = 20
    /// The generator's seed.
    var seed: UInt64 = 42
    /// The share of malformed payment records.
    var malformedRate = 0.01
    /// Print each alert.
    var printAlerts = true

    init(_ properties: [String: String]) throws {
        func number<T: LosslessStringConvertible>(_ key: String, _ accepted: String, valid: (T) -> Bool = { _ in true }) throws -> T? {
            guard let text = properties[key] else { return nil }
            guard let value = T(text), valid(value) else {
                throw ConfigurationError(key: key, message: "\(key) must be \(accepted), got \"\(text)\"")
            }
            return value
        }
        if let v: Double = try number("generator.rate", "a number of records per second, 0 or more", valid: { $0 >= 0 }) { rate = v }
        rounds = try number("generator.rounds", "a whole number of rounds, 0 or more", valid: { (v: Int) in v >= 0 })
        if let v: Int = try number("generator.cards", "a whole number from 4 to 100000", valid: { (4...100_000).contains($0) }) {
            cards = v
        }
        if let v: UInt64 = try number("generator.seed", "a non-negative integer") { seed = v }
        if let v: Double = try number("generator.malformed.rate", "a probability from 0 to 1", valid: { (0...1).contains($0) }) {
            malformedRate = v
        }
        if let v: Bool = try number("alerts.print", "true or false") { printAlerts = v }
    }
}
