import Synchronization

/// Set once when the broker begins to shut down: read without suspending by every
/// connection before it handles a request, so no request starts once shutdown has begun.
final class StopSignal: Sendable {
    private let stopped = Atomic<Bool>(false)

    /// Whether shutdown has begun.
    var isSet: Bool { stopped.load(ordering: .acquiring) }

    /// Marks shutdown as begun.
    func set() { stopped.store(true, ordering: .releasing) }
}
