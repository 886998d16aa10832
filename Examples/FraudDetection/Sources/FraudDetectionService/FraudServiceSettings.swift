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

    init(_ configuration: ServiceConfiguration) throws {
        if let v: Double = try configuration.value("generator.rate", accepted: "a number of records per second, 0 or more", valid: { $0 >= 0 }) {
            rate = v
        }
        rounds = try configuration.value("generator.rounds", accepted: "a whole number of rounds, 0 or more", valid: { (v: Int) in v >= 0 })
        if let v: Int = try configuration.value("generator.cards", accepted: "a whole number from 4 to 100000", valid: { (4...100_000).contains($0) }) {
            cards = v
        }
        if let v: UInt64 = try configuration.value("generator.seed", accepted: "a non-negative integer") { seed = v }
        if let v: Double = try configuration.value("generator.malformed.rate", accepted: "a probability from 0 to 1", valid: { (0...1).contains($0) }) {
            malformedRate = v
        }
        if let v: Bool = try configuration.value("alerts.print", accepted: "true or false") { printAlerts = v }
    }
}
