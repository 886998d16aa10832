/// The time bounds of a stream–stream join: a record of this stream at time `t` joins the
/// other stream's records of the same key with timestamps in `[t - before, t + after]`.
///
/// Records arriving up to `grace` after a window closes (by stream time) are still joined;
/// later ones are dropped. A left or outer join emits a record that found no partner only
/// once its window has closed (after `after` + `grace` for this side's records, `before` +
/// `grace` for the other side's), as Kafka Streams does since 3.1.
///
/// ```swift
/// // symmetric: captures within 5 minutes either side of the authorization, 1 minute grace
/// .ofTimeDifferenceAndGrace(.minutes(5), .minutes(1))
/// // only captures after the authorization
/// .ofTimeDifferenceWithNoGrace(.minutes(5)).before(.zero)
/// ```
public struct JoinWindows: Sendable, Hashable {
    /// How far before this stream's record the other stream's records may be, in ms.
    public let beforeMs: Int64
    /// How far after this stream's record the other stream's records may be, in ms.
    public let afterMs: Int64
    /// How long after a window closes late records are still accepted, in ms.
    public let graceMs: Int64

    /// Windows `[t - difference, t + difference]` without grace: out-of-order records are
    /// joined only while their window is open.
    public static func ofTimeDifferenceWithNoGrace(_ difference: Duration) -> JoinWindows {
        let ms = max(0, difference.milliseconds)
        return JoinWindows(beforeMs: ms, afterMs: ms, graceMs: 0)
    }

    /// Windows `[t - difference, t + difference]` that accept records up to `grace` late.
    public static func ofTimeDifferenceAndGrace(_ difference: Duration, _ grace: Duration) -> JoinWindows {
        let ms = max(0, difference.milliseconds)
        return JoinWindows(beforeMs: ms, afterMs: ms, graceMs: max(0, grace.milliseconds))
    }

    /// The same windows reaching `difference` back in time from this stream's record.
    ///
    /// A negative difference is allowed (the window then starts after the record) as long
    /// as the window stays non-empty; it is clamped to `-after`.
    public func before(_ difference: Duration) -> JoinWindows {
        JoinWindows(beforeMs: max(difference.milliseconds, -afterMs), afterMs: afterMs, graceMs: graceMs)
    }

    /// The same windows reaching `difference` forward in time from this stream's record
    /// (clamped to `-before`, as ``before(_:)``).
    public func after(_ difference: Duration) -> JoinWindows {
        JoinWindows(beforeMs: beforeMs, afterMs: max(difference.milliseconds, -beforeMs), graceMs: graceMs)
    }

    /// The window size, `before + after`, in ms.
    public var sizeMs: Int64 { beforeMs + afterMs }

    /// How long the join stores keep records: size + grace, in ms.
    var retentionMs: Int64 { sizeMs + graceMs }
}
