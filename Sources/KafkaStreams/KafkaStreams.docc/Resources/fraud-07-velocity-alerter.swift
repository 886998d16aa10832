import KafkaStreams

/// Turns the velocity windows' updates into alerts.
///
/// The update with `count == threshold + 1` comes from the payment that took the window
/// over the threshold. Hopping windows overlap (each payment is in 6 of them), so one
/// burst takes several windows over the threshold with the same payment: only the first
/// (earliest) window, which the aggregation forwards first, gives an alert.
final class VelocityAlerter: Processor {
    typealias InKey = Windowed<String>
    typealias InValue = VelocityWindow?
    typealias OutKey = String
    typealias OutValue = Alert

    let threshold: Int
    var context: ProcessorContext<String, Alert>!
    /// The payment that raised the latest alert.
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
            cardID: cardID, paymentIDs: window.paymentIDs, windowStart: span.start, windowEnd: span.end,
            timestamp: record.timestamp,
            summary: "\(window.count) payments in [\(span.start), \(span.end)), more than \(threshold)")
        try context.forward(Record(key: cardID, value: alert, timestamp: record.timestamp, headers: record.headers))
    }
}
