/// Callbacks a group member gets when its partitions change, run inside
/// ``KafkaConsumer/poll(timeout:)`` (and ``KafkaConsumer/close()``), in the order Kafka's
/// Java consumer runs them.
///
/// - `onRevoked`: partitions are taken away in an orderly rebalance. The member still owns
///   them while the callback runs, so it can commit their offsets (``KafkaConsumer/commitSync(_:)``)
///   and flush state. With an eager assignor every owned partition is revoked before each
///   rebalance; with a cooperative one only those that move.
/// - `onAssigned`: partitions were added (cooperative: only the new ones; eager: the whole
///   assignment). Called after every rebalance, also with an empty set.
/// - `onLost`: the membership was lost (session timeout, fenced generation): the
///   partitions may already belong to another member, so their offsets must not be
///   committed. Defaults to `onRevoked` when not given, as in Java.
///
/// A callback that throws makes that `poll` throw after the rebalance completes.
///
/// ```swift
/// try await consumer.subscribe(topics: ["orders"], listener: RebalanceListener(
///     onAssigned: { partitions in print("now own", partitions) },
///     onRevoked: { partitions in try await consumer.commitSync() }))
/// ```
public struct RebalanceListener: Sendable {
    /// Partitions assigned to this member.
    public var onAssigned: @Sendable (Set<TopicPartition>) async throws -> Void
    /// Partitions revoked from this member in an orderly rebalance.
    public var onRevoked: @Sendable (Set<TopicPartition>) async throws -> Void
    /// Partitions lost with the membership.
    public var onLost: @Sendable (Set<TopicPartition>) async throws -> Void

    /// Creates a listener; callbacks not given do nothing (`onLost` calls `onRevoked`).
    public init(
        onAssigned: @escaping @Sendable (Set<TopicPartition>) async throws -> Void = { _ in },
        onRevoked: @escaping @Sendable (Set<TopicPartition>) async throws -> Void = { _ in },
        onLost: (@Sendable (Set<TopicPartition>) async throws -> Void)? = nil
    ) {
        self.onAssigned = onAssigned
        self.onRevoked = onRevoked
        self.onLost = onLost ?? onRevoked
    }

    /// A listener that does nothing.
    public static var none: RebalanceListener { RebalanceListener() }
}
