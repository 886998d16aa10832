/// Which clock drives a punctuation.
public enum PunctuationType: Sendable, Hashable {
    /// Stream time: the largest record timestamp the task has seen. Advances only when
    /// records arrive, so a punctuation fires when a record moves stream time past it.
    case streamTime
    /// Wall-clock time of the machine (or the test driver's manual clock).
    case wallClockTime
}

/// A handle to a scheduled punctuation; ``cancel()`` stops it.
public final class Cancellable {
    var isCancelled = false
    init() {}

    /// Stops the punctuation; it will not fire again.
    public func cancel() { isCancelled = true }
}
