import KafkaClient
import Logging
import NIOCore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The consumer-group assignor of a Kafka Streams application (`stream`): every stream
/// thread's consumer offers it, and the group leader's instance splits the *tasks* among the
/// instances and their threads, then gives each consumer the input partitions of its active tasks.
///
/// **Algorithm.** The leader decodes each member's ``SubscriptionInfo`` and groups members
/// by process id: an instance (client) with one member per thread. It computes the tasks
/// from the ``TaskLayout`` and the source topics' partition counts (a missing source topic
/// fails the assignment with `incompleteSourceTopicMetadata`, as in Java), and turns each
/// instance's task offset sums into lags with the changelogs' end offsets (`endOffsets`;
/// a running active task, offset sum ``SubscriptionInfo/runningActive``, has lag 0; an offset
/// sum past the end means corrupt state, lag = the end; if the end offsets cannot be read,
/// only running actives count as caught up and a probing rebalance is scheduled).
/// ``HighAvailabilityTaskAssignor`` then places actives (balanced by thread count, sticky,
/// caught-up instances first), standbys and warm-ups; when a task waits on a warm-up every
/// member is told to rebalance again after `probingRebalanceInterval` (a probing rebalance),
/// which moves the task once its new instance is caught up. Inside an instance,
/// ``MemberTaskDistributor`` spreads active and standby tasks evenly over its threads, each
/// keeping its previous tasks where it can. A member whose subscription cannot be decoded
/// gets nothing but an `unreadableSubscription` error; a member reporting
/// `shutdownRequested` makes every member get that error.
///
/// **Wire format.** The user data of the consumer protocol carries, from each member, a
/// ``SubscriptionInfo`` and, to each member, an ``AssignmentInfo`` (their doc comments give
/// the layouts): big-endian, starting with an `int32` version (1), strings as an `int16`
/// length and UTF-8 bytes, collections as an `int32` count then the elements sorted. It is
/// this library's own format, not Java's: Swift and Java instances cannot share a group.
/// Decoding checks every count, length and value and throws ``AssignmentDecodingError``
/// naming the field; unknown versions are rejected.
///
/// Eager only: every member revokes its tasks before a rebalance, and reports what it ran
/// (``LocalTaskState``) so the leader can keep tasks in place.
package final class StreamsAssignor: PartitionAssignor, Sendable {
    /// `stream`, as Kafka Streams' assignor.
    package let name = "stream"
    /// Eager only.
    package var supportedProtocols: [RebalanceProtocol] { [.eager] }
    /// The version of ``SubscriptionInfo`` and ``AssignmentInfo``.
    package var version: Int16 { Int16(SubscriptionInfo.version) }

    /// This instance's id (shared by all its threads).
    package let processID: UUID
    /// This instance's `application.server` (`host:port`), if any.
    package let applicationServer: String?
    /// The application's source and changelog topics by sub-topology.
    package let layout: TaskLayout
    /// The task placement settings.
    package let taskAssignor: HighAvailabilityTaskAssignor
    /// How long members wait before a probing rebalance.
    package let probingRebalanceInterval: Duration
    let endOffsets: @Sendable ([KafkaClient.TopicPartition]) async throws -> [KafkaClient.TopicPartition: Int64]
    let localState: @Sendable () async -> LocalTaskState
    let assignmentHandler: @Sendable (StreamsAssignment) async -> Void
    let logger: Logger

    /// Creates the assignor of one stream thread.
    /// - Parameters:
    ///   - processID: the instance's id; every thread of the instance passes the same.
    ///   - applicationServer: `application.server`, for interactive-query routing.
    ///   - layout: the application's topics.
    ///   - numStandbyReplicas: standby replicas per stateful task (`num.standby.replicas`).
    ///   - acceptableRecoveryLag: the largest lag that counts as caught up (`acceptable.recovery.lag`).
    ///   - maxWarmupReplicas: warm-ups per assignment (`max.warmup.replicas`).
    ///   - probingRebalanceInterval: the delay of a probing rebalance (`probing.rebalance.interval.ms`).
    ///   - endOffsets: the end offsets of changelog partitions (used on the leader).
    ///   - localState: what this thread reports before each rebalance.
    ///   - onAssignment: receives what this thread got in each rebalance.
    ///   - logger: where undecodable subscriptions and failures are logged.
    package init(
        processID: UUID, applicationServer: String? = nil, layout: TaskLayout, numStandbyReplicas: Int = 0,
        acceptableRecoveryLag: Int64 = 10_000, maxWarmupReplicas: Int = 2, probingRebalanceInterval: Duration = .seconds(600),
        endOffsets: @escaping @Sendable ([KafkaClient.TopicPartition]) async throws -> [KafkaClient.TopicPartition: Int64],
        localState: @escaping @Sendable () async -> LocalTaskState,
        onAssignment: @escaping @Sendable (StreamsAssignment) async -> Void,
        logger: Logger = Logger(label: "kafka-streams.assignor")
    ) {
        self.processID = processID
        self.applicationServer = applicationServer
        self.layout = layout
        self.taskAssignor = HighAvailabilityTaskAssignor(
            numStandbyReplicas: numStandbyReplicas, acceptableRecoveryLag: acceptableRecoveryLag,
            maxWarmupReplicas: maxWarmupReplicas)
        self.probingRebalanceInterval = probingRebalanceInterval
        self.endOffsets = endOffsets
        self.localState = localState
        self.assignmentHandler = onAssignment
        self.logger = logger
    }

    /// This thread's ``SubscriptionInfo``, from `localState`.
    package func subscriptionUserData(topics: Set<String>) async -> ByteBuffer? {
        let state = await localState()
        return SubscriptionInfo(
            processID: processID, applicationServer: applicationServer, activeTasks: state.activeTasks,
            standbyTasks: state.standbyTasks, taskOffsetSums: state.taskOffsetSums, errorCode: state.errorCode
        ).encoded()
    }

    /// Decodes this thread's ``AssignmentInfo`` and passes it, with the partitions, to `onAssignment`;
    /// undecodable bytes are logged and passed on as the error.
    package func onAssignment(_ assignment: MemberAssignment, generation: Int32) async {
        let info: Result<AssignmentInfo, AssignmentDecodingError>
        if let data = assignment.userData {
            do throws(AssignmentDecodingError) {
                info = .success(try AssignmentInfo(decoding: data))
            } catch {
                logger.error("unreadable assignment", metadata: ["error": "\(error)", "generation": "\(generation)"])
                info = .failure(error)
            }
        } else {
            let error = AssignmentDecodingError(message: "AssignmentInfo", field: "userData", reason: .missing)
            logger.error("assignment without user data", metadata: ["generation": "\(generation)"])
            info = .failure(error)
        }
        await assignmentHandler(StreamsAssignment(generation: generation, partitions: assignment.partitions, info: info))
    }
}
