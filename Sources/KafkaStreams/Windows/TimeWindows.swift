/// Fixed-size windows: tumbling (advance = size, each record in exactly one window) or
/// hopping (advance < size, windows overlap), aligned to the epoch.
///
/// A window `[start, start + size)` accepts records until stream time passes
/// `end + grace`; later records for it are dropped and counted as `late-record`.
///
/// ```swift
/// .windowedBy(.tumbling(every: .minutes(1)).grace(.seconds(10)))
/// .windowedBy(.hopping(size: .minutes(5), advance: .minutes(1)))
/// ```
public struct TimeWindows: Sendable, Hashable {
    /// The window size in ms.
    public let sizeMs: Int64
    /// The distance between window starts in ms.
    public let advanceMs: Int64
    /// How long after its end a window still accepts late records, in ms.
    public let graceMs: Int64

    /// Tumbling windows of the given size, no grace.
    public static func tumbling(every size: Duration) -> TimeWindows {
        TimeWindows(sizeMs: max(1, size.milliseconds), advanceMs: max(1, size.milliseconds), graceMs: 0)
    }

    /// Hopping windows; `advance` is clamped to `1...size`.
    public static func hopping(size: Duration, advance: Duration) -> TimeWindows {
        let s = max(1, size.milliseconds)
        return TimeWindows(sizeMs: s, advanceMs: min(s, max(1, advance.milliseconds)), graceMs: 0)
    }

    /// Kafka Streams' spelling: tumbling windows of this size and no grace.
    public static func ofSizeWithNoGrace(_ size: Duration) -> TimeWindows { .tumbling(every: size) }

    /// Kafka Streams' spelling: tumbling windows of this size and grace.
    public static func ofSizeAndGrace(_ size: Duration, _ grace: Duration) -> TimeWindows { .tumbling(every: size).grace(grace) }

    /// The same windows advancing by `advance` (hopping).
    public func advanceBy(_ advance: Duration) -> TimeWindows {
        TimeWindows(sizeMs: sizeMs, advanceMs: min(sizeMs, max(1, advance.milliseconds)), graceMs: graceMs)
    }

    /// The same windows with a grace period.
    public func grace(_ grace: Duration) -> TimeWindows {
        TimeWindows(sizeMs: sizeMs, advanceMs: advanceMs, graceMs: max(0, grace.milliseconds))
    }

    /// The windows a timestamp falls in, by start: every `start` that is a multiple of
    /// the advance with `start <= timestamp < start + size`.
    public func windows(for timestamp: Int64) -> [Window] {
        var start = (max(0, timestamp - sizeMs + advanceMs) / advanceMs) * advanceMs
        var result: [Window] = []
        while start <= timestamp {
            result.append(Window(start: start, end: start + sizeMs))
            start += advanceMs
        }
        return result
    }

    /// How long stores keep windows by default: size + grace.
    var defaultRetentionMs: Int64 { sizeMs + graceMs }
}

/// Windows of activity per key, closed by a gap of inactivity: a record within `gap` of a
/// session extends it, and a record between two sessions merges them.
///
/// A session is `[first, last]` (both inclusive). As in Kafka Streams, it closes once stream
/// time passes `end + gap + grace` (until then a record within the gap after its end may
/// still extend it); a record is dropped as late when the session it would make (merged
/// with the sessions within its gap) has closed by that rule.
public struct SessionWindows: Sendable, Hashable {
    /// The inactivity gap in ms.
    public let gapMs: Int64
    /// The grace period in ms.
    public let graceMs: Int64

    /// Sessions closed by this much inactivity, no grace.
    public static func session(gap: Duration) -> SessionWindows {
        SessionWindows(gapMs: max(1, gap.milliseconds), graceMs: 0)
    }

    /// Kafka Streams' spelling.
    public static func ofInactivityGapWithNoGrace(_ gap: Duration) -> SessionWindows { .session(gap: gap) }

    /// The same sessions with a grace period.
    public func grace(_ grace: Duration) -> SessionWindows { SessionWindows(gapMs: gapMs, graceMs: max(0, grace.milliseconds)) }
}

/// When a windowed aggregation forwards its results.
public enum EmitStrategy: Sendable, Hashable {
    /// On every update (deduplicated per commit when the store caches). The default.
    case onWindowUpdate
    /// Once per window, after it closes (stream time passes end + grace; for sessions,
    /// end + gap + grace).
    case onWindowClose
}

/// Sliding windows (Kafka Streams' `SlidingWindows`): a window `[start, start + difference]`
/// (both ends inclusive) exists wherever records of a key are within `difference` of each
/// other; each record ends one window (its left window) and may start another (its right
/// window, beginning 1 ms after it). Aggregates cover exactly the records within the
/// difference, without the empty or duplicate windows hopping windows would make.
public struct SlidingWindows: Sendable, Hashable {
    /// The largest time difference between records in one window, in ms.
    public let differenceMs: Int64
    /// The grace period in ms.
    public let graceMs: Int64

    /// Sliding windows with this time difference, no grace.
    public static func sliding(difference: Duration) -> SlidingWindows {
        SlidingWindows(differenceMs: max(1, difference.milliseconds), graceMs: 0)
    }

    /// Kafka Streams' spelling.
    public static func ofTimeDifferenceWithNoGrace(_ difference: Duration) -> SlidingWindows { .sliding(difference: difference) }

    /// The same windows with a grace period.
    public func grace(_ grace: Duration) -> SlidingWindows { SlidingWindows(differenceMs: differenceMs, graceMs: max(0, grace.milliseconds)) }
}
