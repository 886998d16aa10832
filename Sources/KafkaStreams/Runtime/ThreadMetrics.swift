import Metrics

/// A stream thread's swift-metrics instruments (`kafka_streams_*`, with the application
/// id and thread name as dimensions).
struct ThreadMetrics {
    /// Time spent processing each poll batch.
    let process: Timer
    /// Time spent in each poll.
    let poll: Timer
    /// Time spent in each commit.
    let commit: Timer
    /// Records processed.
    let processed: Counter
    /// Input records after the thread's position (high watermark − next offset), summed
    /// over its tasks' partitions; updated on each commit.
    let lag: Gauge

    init(dimensions: [(String, String)]) {
        process = Timer(label: "kafka_streams_process_latency_seconds", dimensions: dimensions)
        poll = Timer(label: "kafka_streams_poll_latency_seconds", dimensions: dimensions)
        commit = Timer(label: "kafka_streams_commit_latency_seconds", dimensions: dimensions)
        processed = Counter(label: "kafka_streams_processed_records_total", dimensions: dimensions)
        lag = Gauge(label: "kafka_streams_records_lag", dimensions: dimensions)
    }
}

extension Timer {
    /// Records the time elapsed since `start`.
    func recordInterval(since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        let (seconds, attoseconds) = elapsed.components
        recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
