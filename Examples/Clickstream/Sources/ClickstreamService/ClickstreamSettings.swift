import KafkaStreamsService

/// The clickstream program's own keys (beside Kafka Streams'): its generator and output.
struct ClickstreamSettings: Sendable {
    static let keys = ["generator.rate", "generator.rounds", "generator.users", "generator.seed", "output.print"]

    /// Page views per second (0: unthrottled).
    var rate: Double = 200
    /// Rounds to generate (`nil`: until shutdown; 0: no generator).
    var rounds: Int?
    /// Users per round.
    var users = 50
    /// The generator's seed.
    var seed: UInt64 = 7
    /// Print top pages and funnel updates.
    var printOutput = true

    init(_ configuration: ServiceConfiguration) throws {
        if let v: Double = try configuration.value("generator.rate", accepted: "a number of records per second, 0 or more", valid: { $0 >= 0 }) {
            rate = v
        }
        rounds = try configuration.value("generator.rounds", accepted: "a whole number of rounds, 0 or more", valid: { (v: Int) in v >= 0 })
        if let v: Int = try configuration.value("generator.users", accepted: "a whole number from 1 to 100000", valid: { (1...100_000).contains($0) }) {
            users = v
        }
        if let v: UInt64 = try configuration.value("generator.seed", accepted: "a non-negative integer") { seed = v }
        if let v: Bool = try configuration.value("output.print", accepted: "true or false") { printOutput = v }
    }
}
