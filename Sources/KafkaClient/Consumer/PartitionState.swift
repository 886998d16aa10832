import KafkaProtocol

/// What a consumer knows of one assigned partition. Owned by the ``KafkaConsumer`` actor.
final class PartitionState {
    let partition: TopicPartition
    /// The next offset to return (`nil` until the committed offset or the reset policy gives one).
    var position: Int64?
    /// The leader epoch of the last record returned (-1 if none).
    var lastEpoch: Int32 = -1
    /// Paused by the user: not fetched, buffered records not returned.
    var paused = false
    /// Records fetched and not yet returned.
    var completed: CompletedFetch?
    /// A fetch for the partition is in flight.
    var fetching = false
    /// Changes on each seek, so an answer to a fetch sent before it is dropped.
    var epoch = 0
    /// An error to throw from the next poll (a non-retriable fetch error, corruption).
    var error: (any Error)?
    /// The reset to apply when ``position`` is `nil`; `nil` to look up the committed offset first.
    var pendingReset: OffsetSpec?
    /// Not fetched before this instant (after a retriable error).
    var backoffUntil: ContinuousClock.Instant?
    /// From the last fetch response.
    var highWatermark: Int64 = -1
    var lastStableOffset: Int64 = -1
    var logStartOffset: Int64 = -1

    init(_ partition: TopicPartition) {
        self.partition = partition
    }

    /// Forgets buffered records and moves to `offset`.
    func seek(_ offset: Int64) {
        position = offset
        completed = nil
        error = nil
        pendingReset = nil
        epoch &+= 1
    }
}
