import KafkaStreams

/// The impossible-travel rule: compares each payment with the card's previous one, kept in
/// the key-value store `card-last-payment`.
///
/// Two payments are an impossible trip when they are at least `minimumDistanceKm` apart
/// (smaller moves are a city's extent or GPS noise) and covering that distance in the
/// time between them needs more than `maxSpeedKmh`; payments at the same millisecond in
/// places that far apart always are. The store keeps the latest payment by time, so a
/// payment that arrives out of order is compared with the latest one but does not replace it.
final class ImpossibleTravelDetector: FixedKeyProcessor {
    typealias Key = String
    typealias InValue = CardPayment
    typealias OutValue = Alert

    let storeName: String
    let maxSpeedKmh: Double
    let minimumDistanceKm: Double
    var context: FixedKeyProcessorContext<String, Alert>!
    var lastPayments: (any KeyValueStore<String, Payment>)!

    init(storeName: String, maxSpeedKmh: Double, minimumDistanceKm: Double) {
        self.storeName = storeName
        self.maxSpeedKmh = maxSpeedKmh
        self.minimumDistanceKm = minimumDistanceKm
    }

    func initialize(context: FixedKeyProcessorContext<String, Alert>) throws {
        self.context = context
        lastPayments = try context.getStateStore(storeName)
    }

    func process(_ record: FixedKeyRecord<String, CardPayment>) throws {
        let payment = record.value.payment
        guard let previous = try lastPayments.get(record.key) else {
            try lastPayments.put(record.key, payment)
            return
        }
        if payment.timestamp >= previous.timestamp { try lastPayments.put(record.key, payment) }
        let (earlier, later) = payment.timestamp >= previous.timestamp ? (previous, payment) : (payment, previous)
        let distance = earlier.location.distanceKm(to: later.location)
        guard distance >= minimumDistanceKm else { return }
        let elapsed = later.timestamp - earlier.timestamp
        let speed = elapsed > 0 ? distance / (Double(elapsed) / 3_600_000) : nil
        if let speed, speed <= maxSpeedKmh { return }
        let shownDistance = distance.rounded(places: 1)
        let shownSpeed = speed?.rounded(places: 1)
        let alert = Alert(
            rule: .impossibleTravel, cardID: payment.cardID, paymentIDs: [earlier.id, later.id], timestamp: payment.timestamp,
            holder: record.value.card?.holder,
            evidence: AlertEvidence(
                from: earlier.location, to: later.location, distanceKm: shownDistance, elapsedMs: elapsed, speedKmh: shownSpeed),
            summary: "\(shownDistance) km in \(elapsed) ms"
                + (shownSpeed.map { " (\($0) km/h)" } ?? "") + ", faster than \(maxSpeedKmh) km/h")
        try context.forward(record.withValue(alert))
    }
}
