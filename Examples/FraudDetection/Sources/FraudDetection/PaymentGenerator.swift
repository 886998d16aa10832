@_exported import ExampleSupport
import Foundation

/// Makes deterministic test data for ``FraudDetectionTopology``: clean payments for a set
/// of cards, fraud patterns injected into the first cards, and optionally malformed records.
///
/// The same seed and settings always give the same records. Clean data raises no alert
/// under the thresholds of ``rules``: each card pays at its home (within about 2 km),
/// 3 to 10 minutes apart, amounts within ±40 % of its usual amount, at ordinary merchants.
/// Card `i` (from 0) gets `patterns[i]`, if any, and ``GeneratedPayments/expectedAlerts``
/// lists one ``ExpectedAlert`` per injected pattern.
///
/// ```swift
/// let data = PaymentGenerator(seed: 42, cardCount: 50, malformedRate: 0.01).generate()
/// ```
public struct PaymentGenerator: Sendable {
    /// The seed of the random sequence.
    public var seed: UInt64
    /// How many cards (`card-0000`, `card-0001`, …).
    public var cardCount: Int
    /// Clean payments per card (at least 3, and at least the rules' `minimumHistory`).
    public var paymentsPerCard: Int
    /// Patterns to inject: `patterns[i]` goes to card `i`.
    public var patterns: [FraudPattern]
    /// The probability, after each payment, of an extra malformed (bad JSON) record.
    public var malformedRate: Double
    /// The time of the first payments, ms since the epoch.
    public var startTime: Int64
    /// The thresholds the patterns are sized for.
    public var rules: FraudDetectionTopology
    /// Which repetition this is, for a service generating the same cards again and again:
    /// payment ids of rounds after the first end in `-rN`, so that every payment id is unique.
    public var round: Int = 0

    /// Creates a generator.
    public init(
        seed: UInt64, cardCount: Int = 20, paymentsPerCard: Int = 8, patterns: [FraudPattern] = FraudPattern.allCases,
        malformedRate: Double = 0, startTime: Int64 = 1_700_000_000_000, rules: FraudDetectionTopology = FraudDetectionTopology()
    ) {
        self.seed = seed
        self.cardCount = cardCount
        self.paymentsPerCard = paymentsPerCard
        self.patterns = patterns
        self.malformedRate = malformedRate
        self.startTime = startTime
        self.rules = rules
    }

    /// The cities cards live in: name, country and location.
    public static let cities: [(name: String, country: String, location: Location)] = [
        ("Paris", "FR", Location(lat: 48.8566, lon: 2.3522)),
        ("Berlin", "DE", Location(lat: 52.52, lon: 13.405)),
        ("Madrid", "ES", Location(lat: 40.4168, lon: -3.7038)),
        ("New York", "US", Location(lat: 40.7128, lon: -74.006)),
        ("São Paulo", "BR", Location(lat: -23.5505, lon: -46.6333)),
        ("Tokyo", "JP", Location(lat: 35.6762, lon: 139.6503)),
        ("Sydney", "AU", Location(lat: -33.8688, lon: 151.2093)),
        ("Nairobi", "KE", Location(lat: -1.2921, lon: 36.8219)),
    ]

    /// The merchants on the generated risk list.
    public static let riskyMerchants = [
        RiskyMerchant(merchantID: "m-risky-1", reason: "chargeback rate above 5%"),
        RiskyMerchant(merchantID: "m-risky-2", reason: "reported card-testing site"),
    ]

    /// The id of card `index`.
    public static func cardID(_ index: Int) -> String {
        let digits = String(index)
        return "card-" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// The value bytes of a malformed payment: truncated JSON.
    public static let malformedValue = Array(#"{"id":"broken","cardID":"#.utf8)

    /// Generates the records.
    public func generate() -> GeneratedPayments {
        precondition(paymentsPerCard >= max(3, rules.minimumHistory), "paymentsPerCard must cover the minimum history")
        var random = SeededRandom(seed: seed)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        func json<T: Encodable>(_ value: T) -> [UInt8] { Array((try? encoder.encode(value)) ?? Data()) }

        var cards: [GeneratedRecord] = []
        var payments: [Payment] = []
        var expected: [ExpectedAlert] = []
        for index in 0..<cardCount {
            let cardID = Self.cardID(index)
            let city = Self.cities[index % Self.cities.count]
            let profile = CardProfile(
                cardID: cardID, holder: "Holder \(index)", homeCountry: city.country,
                limit: Double(1_000 + 500 * Int.random(in: 0...8, using: &random)))
            cards.append(GeneratedRecord(topic: FraudDetectionTopology.cardsTopic, key: Array(cardID.utf8), value: json(profile),
                                         timestamp: startTime))
            let pattern = index < patterns.count ? patterns[index] : nil
            payments += cardPayments(cardID: cardID, home: city.location, pattern: pattern, random: &random)
            if let pattern { expected.append(ExpectedAlert(rule: pattern.rule, cardID: cardID)) }
        }
        payments.sort { ($0.timestamp, $0.id) < ($1.timestamp, $1.id) }

        var records: [GeneratedRecord] = []
        var malformed = 0
        for payment in payments {
            records.append(GeneratedRecord(
                topic: FraudDetectionTopology.paymentsTopic, key: Array(payment.cardID.utf8), value: json(payment),
                timestamp: payment.timestamp))
            if Double.random(in: 0..<1, using: &random) < malformedRate {
                malformed += 1
                records.append(GeneratedRecord(
                    topic: FraudDetectionTopology.paymentsTopic, key: Array(payment.cardID.utf8), value: Self.malformedValue,
                    timestamp: payment.timestamp))
            }
        }
        let riskList = Self.riskyMerchants.map {
            GeneratedRecord(topic: FraudDetectionTopology.riskyMerchantsTopic, key: Array($0.merchantID.utf8), value: json($0),
                            timestamp: startTime)
        }
        return GeneratedPayments(
            cards: cards, riskyMerchants: riskList, payments: records, expectedAlerts: expected.sorted(),
            malformedCount: malformed)
    }

    /// One card's payments: clean ones, then the pattern's changes.
    func cardPayments(cardID: String, home: Location, pattern: FraudPattern?, random: inout SeededRandom) -> [Payment] {
        let usual = Double.random(in: 20...80, using: &random).rounded(places: 2)
        var time = startTime + Int64.random(in: 0..<60_000, using: &random)
        var result: [Payment] = []
        func payment(_ suffix: String, amount: Double, at location: Location, merchant: String, time: Int64) -> Payment {
            Payment(
                id: "\(cardID)-\(suffix)" + (round > 0 ? "-r\(round)" : ""), cardID: cardID, merchantID: merchant, amount: amount, location: location,
                timestamp: time)
        }
        for number in 0..<paymentsPerCard {
            let nearby = Location(
                lat: (home.lat + Double.random(in: -0.02...0.02, using: &random)).rounded(places: 4),
                lon: (home.lon + Double.random(in: -0.02...0.02, using: &random)).rounded(places: 4))
            let amount = (usual * Double.random(in: 0.6...1.4, using: &random)).rounded(places: 2)
            let merchant = "m-\(Int.random(in: 1...50, using: &random))"
            result.append(payment("p\(number)", amount: amount, at: nearby, merchant: merchant, time: time))
            time += Int64.random(in: 180_000...600_000, using: &random)
        }
        let last = result[result.count - 1]
        switch pattern {
        case nil:
            break
        case .velocityBurst:
            // Between the second and third payment, at least 90 s from both: 2 s apart.
            let middle = (result[1].timestamp + result[2].timestamp) / 2
            for number in 0...rules.velocityThreshold {
                result.append(payment(
                    "burst\(number)", amount: usual, at: home, merchant: "m-\(number + 1)", time: middle + Int64(number) * 2_000))
            }
        case .hugeAmount:
            let amount = (usual * rules.anomalyFactor * 3).rounded(places: 2)
            result.append(payment("huge", amount: amount, at: last.location, merchant: last.merchantID, time: time))
        case .impossibleTravel:
            let far = Self.cities.map(\.location).max { home.distanceKm(to: $0) < home.distanceKm(to: $1) } ?? home
            result.append(payment("far", amount: usual, at: far, merchant: "m-51", time: last.timestamp + 20 * 60_000))
        case .riskyMerchant:
            let risky = Self.riskyMerchants[cardID.hashValueStable % Self.riskyMerchants.count].merchantID
            result[result.count / 2].merchantID = risky
        }
        return result
    }
}

extension String {
    /// A hash that is the same in every process (unlike `hashValue`).
    var hashValueStable: Int { unicodeScalars.reduce(0) { ($0 &* 31 &+ Int($1.value)) & 0x7FFF_FFFF } }
}
