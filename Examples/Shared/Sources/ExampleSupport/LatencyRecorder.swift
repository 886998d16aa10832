import NIOConcurrencyHelpers

/// End-to-end latency of an example service: when each input record was sent (by id) and,
/// when an output record names it, how long it took; percentiles over what was measured.
/// Keeps the send times of the latest ``capacity`` records.
public final class LatencyRecorder: Sendable {
    private struct State {
        var sent: [String: ContinuousClock.Instant] = [:]
        var order: [String] = []
        var head = 0
        var latencies: [Duration] = []
    }

    /// How many send times it keeps.
    public let capacity: Int
    private let state = NIOLockedValueBox(State())

    /// Creates a recorder.
    public init(capacity: Int = 200_000) { self.capacity = capacity }

    /// Notes that record `id` was sent at `time`.
    public func sent(_ id: String, at time: ContinuousClock.Instant) {
        state.withLockedValue { state in
            state.sent[id] = time
            state.order.append(id)
            if state.order.count - state.head > capacity {
                state.sent[state.order[state.head]] = nil
                state.head += 1
                if state.head > capacity {
                    state.order.removeFirst(state.head)
                    state.head = 0
                }
            }
        }
    }

    /// Notes an output caused by record `id` seen at `time`; returns the latency if the
    /// send time is known.
    @discardableResult
    public func arrived(_ id: String, at time: ContinuousClock.Instant) -> Duration? {
        state.withLockedValue { state in
            guard let start = state.sent[id] else { return nil }
            let latency = time - start
            state.latencies.append(latency)
            return latency
        }
    }

    /// How many latencies were measured.
    public var count: Int { state.withLockedValue { $0.latencies.count } }

    /// The `p`-th percentile (0...100) of the measured latencies, or `nil` if none.
    public func percentile(_ p: Double) -> Duration? {
        let sorted = state.withLockedValue { $0.latencies }.sorted()
        guard !sorted.isEmpty else { return nil }
        let rank = Int((p / 100 * Double(sorted.count - 1)).rounded())
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }
}

extension Duration {
    /// Milliseconds, with a fraction.
    public var exampleMilliseconds: Double {
        Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
    }
}
