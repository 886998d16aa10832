import KafkaStreams

/// Turns the velocity windows' updates into alerts.
///
/// A window's update with `count == threshold + 1` is the payment that took the window
/// over the threshold: it fires once per window, never again for the same window. Hopping
/// windows overlap (a 1-minute window advancing by 10 s puts each payment in 6 windows), so
/// one burst usually takes several windows over the threshold with the same payment; those
/// crossings are reported as one alert, for the first (earliest) window, which the
/// aggregation forwards first. A later payment that takes another window over the threshold
/// raises a new alert.
final class VelocityAlerter: Processor {
    typealias InKey = Windowed<String>
    typealias InValue = VelocityWindow?
    typealias OutKey = String
    typealias OutValue = Alert

    let threshold: Int
    var context: ProcessorContext<String, Alert>!
    /// The payment that raised the latest alert. Every window update of one payment is
    /// forwarded within that payment's `process` call, so this needs no store.
    var lastTrigger: String?

    init(threshold: Int) { self.threshold = threshold }

    func initialize(context: ProcessorContext<String, Alert>) { self.context = context }

    func process(_ record: Record<Windowed<String>, VelocityWindow?>) throws {
        guard let window = record.value, window.count == threshold + 1, let trigger = window.paymentIDs.last,
            trigger != lastTrigger
        else { return }
        lastTrigger = trigger
        let cardID = record.key.key
        let span = record.key.window
        let alert = Alert(
            rule: .velocity, cardID: cardID, paymentIDs: window.paymentIDs, timestamp: record.timestamp,
            holder: window.holder,
            evidence: AlertEvidence(paymentCount: window.count, windowStart: span.start, windowEnd: span.end),
            summary: "\(window.count) payments in [\(span.start), \(span.end)), more than \(threshold)")
        try context.forward(Record(key: cardID, value: alert, timestamp: record.timestamp, headers: record.headers))
    }
}
