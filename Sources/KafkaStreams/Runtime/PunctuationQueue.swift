/// The punctuations of one task for one clock, fired in time order.
final class PunctuationQueue {
    final class Schedule {
        let node: String
        var next: Int64
        let interval: Int64
        let punctuator: (Int64) throws -> Void
        let handle: Cancellable

        init(node: String, next: Int64, interval: Int64, punctuator: @escaping (Int64) throws -> Void, handle: Cancellable) {
            self.node = node
            self.next = next
            self.interval = interval
            self.punctuator = punctuator
            self.handle = handle
        }
    }

    private var schedules: [Schedule] = []

    /// The earliest time a punctuation is due, or `nil`.
    var nextDue: Int64? { schedules.lazy.filter { !$0.handle.isCancelled }.map(\.next).min() }

    func add(_ schedule: Schedule) { schedules.append(schedule) }

    /// Fires, in time order, every punctuation due at `now`, each at most once, and
    /// reschedules it at its next aligned time after `now` (skipping missed intervals, as
    /// Kafka Streams does). Returns whether any fired.
    func fire(now: Int64, _ run: (Schedule) throws -> Void) throws -> Bool {
        if schedules.isEmpty { return false }
        schedules.removeAll { $0.handle.isCancelled }
        let due = schedules.filter { $0.next <= now }.sorted { $0.next < $1.next }
        for schedule in due where !schedule.handle.isCancelled {
            try run(schedule)
            var next = schedule.next + schedule.interval
            if now >= next {
                let missed = (now - schedule.next) / schedule.interval
                next = schedule.next + (missed + 1) * schedule.interval
            }
            schedule.next = next
        }
        return !due.isEmpty
    }
}
