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

    init(_ properties: [String: String]) throws {
        func value<T: LosslessStringConvertible>(_ key: String, _ accepted: String, valid: (T) -> Bool = { _ in true }) throws -> T? {
            guard let text = properties[key] else { return nil }
            guard let value = T(text), valid(value) else {
                throw ConfigurationError(key: key, message: "\(key) must be \(accepted), got \"\(text)\"")
            }
            return value
        }
        if let v: Double = try value("generator.rate", "a number of records per second, 0 or more", valid: { $0 >= 0 }) { rate = v }
        rounds = try value("generator.rounds", "a whole number of rounds, 0 or more", valid: { (v: Int) in v >= 0 })
        if let v: Int = try value("generator.users", "a whole number from 1 to 100000", valid: { (1...100_000).contains($0) }) {
            users = v
        }
        if let v: UInt64 = try value("generator.seed", "a non-negative integer") { seed = v }
        if let v: Bool = try value("output.print", "true or false") { printOutput = v }
    }
}
