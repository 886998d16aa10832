/// A Kafka protocol error code: the `error_code` field of responses.
///
/// Every code of Kafka's `Errors` table (Apache Kafka 4.1: -1 through 133) is a static
/// constant with Kafka's name, description and retriability (whether Kafka's Java client
/// classifies its exception as a `RetriableException`: retrying the request, usually after
/// refreshing metadata, may succeed). An open set: a code this library does not know reads
/// as a value named `UNKNOWN_<code>`, not retriable.
///
/// ```swift
/// let error = KafkaErrorCode(code: response.errorCode)
/// if error == .notLeaderOrFollower { refreshMetadata() }
/// if error.isRetriable { retry() } else if error != .none { throw KafkaError(error, topic: topic) }
/// ```
public struct KafkaErrorCode: Sendable, Hashable, CustomStringConvertible {
    /// The code on the wire.
    public let code: Int16
    /// Kafka's name, such as `NOT_LEADER_OR_FOLLOWER`.
    public let name: String
    /// Kafka's description of the error (empty for ``none``).
    public let message: String
    /// Whether Kafka's clients treat the error as transient and retry.
    public let isRetriable: Bool

    private init(_ code: Int16, _ name: String, _ isRetriable: Bool, _ message: String) {
        self.code = code
        self.name = name
        self.message = message
        self.isRetriable = isRetriable
    }

    /// The error with this code; for a code Kafka does not define (yet), a value named
    /// `UNKNOWN_<code>`, not retriable, with a message saying so.
    public init(code: Int16) {
        let index = Int(code) + 1
        if index >= 0 && index < Self.table.count {
            self = Self.table[index]
        } else {
            self.init(code, "UNKNOWN_\(code)", false, "The error code \(code) is not known to this client.")
        }
    }

    /// Whether the code is a known Kafka error code.
    public var isKnown: Bool {
        let index = Int(code) + 1
        return index >= 0 && index < Self.table.count
    }

    /// Whether this is an error (any code but ``none``).
    public var isError: Bool { code != 0 }

    /// Equal when the codes are equal.
    public static func == (lhs: KafkaErrorCode, rhs: KafkaErrorCode) -> Bool { lhs.code == rhs.code }

    /// Hashes the code.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// `NAME (code)`.
    public var description: String { "\(name) (\(code))" }

    /// Every known error code, in code order from -1.
    public static var allKnown: [KafkaErrorCode] { table }

    /// `UNKNOWN_SERVER_ERROR` (-1).
    public static let unknownServerError = KafkaErrorCode(
        -1, "UNKNOWN_SERVER_ERROR", false, "The server experienced an unexpected error when processing the request.")
    /// `NONE` (0): no error.
    public static let none = KafkaErrorCode(0, "NONE", false, "")
    /// `OFFSET_OUT_OF_RANGE` (1).
    public static let offsetOutOfRange = KafkaErrorCode(
        1, "OFFSET_OUT_OF_RANGE", false, "The requested offset is not within the range of offsets maintained by the server.")
    /// `CORRUPT_MESSAGE` (2), retriable.
    public static let corruptMessage = KafkaErrorCode(
        2, "CORRUPT_MESSAGE", true,
        "This message has failed its CRC checksum, exceeds the valid size, has a null key for a compacted topic, or is otherwise corrupt."
    )
    /// `UNKNOWN_TOPIC_OR_PARTITION` (3), retriable.
    public static let unknownTopicOrPartition = KafkaErrorCode(
        3, "UNKNOWN_TOPIC_OR_PARTITION", true, "This server does not host this topic-partition.")
    /// `INVALID_FETCH_SIZE` (4).
    public static let invalidFetchSize = KafkaErrorCode(4, "INVALID_FETCH_SIZE", false, "The requested fetch size is invalid.")
    /// `LEADER_NOT_AVAILABLE` (5), retriable.
    public static let leaderNotAvailable = KafkaErrorCode(
        5, "LEADER_NOT_AVAILABLE", true,
        "There is no leader for this topic-partition as we are in the middle of a leadership election.")
    /// `NOT_LEADER_OR_FOLLOWER` (6), retriable.
    public static let notLeaderOrFollower = KafkaErrorCode(
        6, "NOT_LEADER_OR_FOLLOWER", true,
        "For requests intended only for the leader, this error indicates that the broker is not the current leader. For requests intended for any replica, this error indicates that the broker is not a replica of the topic partition."
    )
    /// `REQUEST_TIMED_OUT` (7), retriable.
    public static let requestTimedOut = KafkaErrorCode(7, "REQUEST_TIMED_OUT", true, "The request timed out.")
    /// `BROKER_NOT_AVAILABLE` (8).
    public static let brokerNotAvailable = KafkaErrorCode(8, "BROKER_NOT_AVAILABLE", false, "The broker is not available.")
    /// `REPLICA_NOT_AVAILABLE` (9), retriable.
    public static let replicaNotAvailable = KafkaErrorCode(
        9, "REPLICA_NOT_AVAILABLE", true,
        "The replica is not available for the requested topic-partition. Produce/Fetch requests and other requests intended only for the leader or follower return NOT_LEADER_OR_FOLLOWER if the broker is not a replica of the topic-partition."
    )
    /// `MESSAGE_TOO_LARGE` (10).
    public static let messageTooLarge = KafkaErrorCode(
        10, "MESSAGE_TOO_LARGE", false, "The request included a message larger than the max message size the server will accept.")
    /// `STALE_CONTROLLER_EPOCH` (11).
    public static let staleControllerEpoch = KafkaErrorCode(
        11, "STALE_CONTROLLER_EPOCH", false, "The controller moved to another broker.")
    /// `OFFSET_METADATA_TOO_LARGE` (12).
    public static let offsetMetadataTooLarge = KafkaErrorCode(
        12, "OFFSET_METADATA_TOO_LARGE", false, "The metadata field of the offset request was too large.")
    /// `NETWORK_EXCEPTION` (13), retriable.
    public static let networkException = KafkaErrorCode(
        13, "NETWORK_EXCEPTION", true, "The server disconnected before a response was received.")
    /// `COORDINATOR_LOAD_IN_PROGRESS` (14), retriable.
    public static let coordinatorLoadInProgress = KafkaErrorCode(
        14, "COORDINATOR_LOAD_IN_PROGRESS", true, "The coordinator is loading and hence can't process requests.")
    /// `COORDINATOR_NOT_AVAILABLE` (15), retriable.
    public static let coordinatorNotAvailable = KafkaErrorCode(
        15, "COORDINATOR_NOT_AVAILABLE", true, "The coordinator is not available.")
    /// `NOT_COORDINATOR` (16), retriable.
    public static let notCoordinator = KafkaErrorCode(16, "NOT_COORDINATOR", true, "This is not the correct coordinator.")
    /// `INVALID_TOPIC_EXCEPTION` (17).
    public static let invalidTopicException = KafkaErrorCode(
        17, "INVALID_TOPIC_EXCEPTION", false, "The request attempted to perform an operation on an invalid topic.")
    /// `RECORD_LIST_TOO_LARGE` (18).
    public static let recordListTooLarge = KafkaErrorCode(
        18, "RECORD_LIST_TOO_LARGE", false,
        "The request included message batch larger than the configured segment size on the server.")
    /// `NOT_ENOUGH_REPLICAS` (19), retriable.
    public static let notEnoughReplicas = KafkaErrorCode(
        19, "NOT_ENOUGH_REPLICAS", true, "Messages are rejected since there are fewer in-sync replicas than required.")
    /// `NOT_ENOUGH_REPLICAS_AFTER_APPEND` (20), retriable.
    public static let notEnoughReplicasAfterAppend = KafkaErrorCode(
        20, "NOT_ENOUGH_REPLICAS_AFTER_APPEND", true,
        "Messages are written to the log, but to fewer in-sync replicas than required.")
    /// `INVALID_REQUIRED_ACKS` (21).
    public static let invalidRequiredAcks = KafkaErrorCode(
        21, "INVALID_REQUIRED_ACKS", false, "Produce request specified an invalid value for required acks.")
    /// `ILLEGAL_GENERATION` (22).
    public static let illegalGeneration = KafkaErrorCode(
        22, "ILLEGAL_GENERATION", false, "Specified group generation id is not valid.")
    /// `INCONSISTENT_GROUP_PROTOCOL` (23).
    public static let inconsistentGroupProtocol = KafkaErrorCode(
        23, "INCONSISTENT_GROUP_PROTOCOL", false,
        "The group member's supported protocols are incompatible with those of existing members or first group member tried to join with empty protocol type or empty protocol list."
    )
    /// `INVALID_GROUP_ID` (24).
    public static let invalidGroupId = KafkaErrorCode(24, "INVALID_GROUP_ID", false, "The group id is invalid.")
    /// `UNKNOWN_MEMBER_ID` (25).
    public static let unknownMemberId = KafkaErrorCode(
        25, "UNKNOWN_MEMBER_ID", false, "The coordinator is not aware of this member.")
    /// `INVALID_SESSION_TIMEOUT` (26).
    public static let invalidSessionTimeout = KafkaErrorCode(
        26, "INVALID_SESSION_TIMEOUT", false,
        "The session timeout is not within the range allowed by the broker (as configured by group.min.session.timeout.ms and group.max.session.timeout.ms)."
    )
    /// `REBALANCE_IN_PROGRESS` (27).
    public static let rebalanceInProgress = KafkaErrorCode(
        27, "REBALANCE_IN_PROGRESS", false, "The group is rebalancing, so a rejoin is needed.")
    /// `INVALID_COMMIT_OFFSET_SIZE` (28).
    public static let invalidCommitOffsetSize = KafkaErrorCode(
        28, "INVALID_COMMIT_OFFSET_SIZE", false, "The committing offset data size is not valid.")
    /// `TOPIC_AUTHORIZATION_FAILED` (29).
    public static let topicAuthorizationFailed = KafkaErrorCode(
        29, "TOPIC_AUTHORIZATION_FAILED", false, "Topic authorization failed.")
    /// `GROUP_AUTHORIZATION_FAILED` (30).
    public static let groupAuthorizationFailed = KafkaErrorCode(
        30, "GROUP_AUTHORIZATION_FAILED", false, "Group authorization failed.")
    /// `CLUSTER_AUTHORIZATION_FAILED` (31).
    public static let clusterAuthorizationFailed = KafkaErrorCode(
        31, "CLUSTER_AUTHORIZATION_FAILED", false, "Cluster authorization failed.")
    /// `INVALID_TIMESTAMP` (32).
    public static let invalidTimestamp = KafkaErrorCode(
        32, "INVALID_TIMESTAMP", false, "The timestamp of the message is out of acceptable range.")
    /// `UNSUPPORTED_SASL_MECHANISM` (33).
    public static let unsupportedSaslMechanism = KafkaErrorCode(
        33, "UNSUPPORTED_SASL_MECHANISM", false, "The broker does not support the requested SASL mechanism.")
    /// `ILLEGAL_SASL_STATE` (34).
    public static let illegalSaslState = KafkaErrorCode(
        34, "ILLEGAL_SASL_STATE", false, "Request is not valid given the current SASL state.")
    /// `UNSUPPORTED_VERSION` (35).
    public static let unsupportedVersion = KafkaErrorCode(
        35, "UNSUPPORTED_VERSION", false, "The version of API is not supported.")
    /// `TOPIC_ALREADY_EXISTS` (36).
    public static let topicAlreadyExists = KafkaErrorCode(
        36, "TOPIC_ALREADY_EXISTS", false, "Topic with this name already exists.")
    /// `INVALID_PARTITIONS` (37).
    public static let invalidPartitions = KafkaErrorCode(37, "INVALID_PARTITIONS", false, "Number of partitions is below 1.")
    /// `INVALID_REPLICATION_FACTOR` (38).
    public static let invalidReplicationFactor = KafkaErrorCode(
        38, "INVALID_REPLICATION_FACTOR", false, "Replication factor is below 1 or larger than the number of available brokers.")
    /// `INVALID_REPLICA_ASSIGNMENT` (39).
    public static let invalidReplicaAssignment = KafkaErrorCode(
        39, "INVALID_REPLICA_ASSIGNMENT", false, "Replica assignment is invalid.")
    /// `INVALID_CONFIG` (40).
    public static let invalidConfig = KafkaErrorCode(40, "INVALID_CONFIG", false, "Configuration is invalid.")
    /// `NOT_CONTROLLER` (41), retriable.
    public static let notController = KafkaErrorCode(
        41, "NOT_CONTROLLER", true, "This is not the correct controller for this cluster.")
    /// `INVALID_REQUEST` (42).
    public static let invalidRequest = KafkaErrorCode(
        42, "INVALID_REQUEST", false,
        "This most likely occurs because of a request being malformed by the client library or the message was sent to an incompatible broker. See the broker logs for more details."
    )
    /// `UNSUPPORTED_FOR_MESSAGE_FORMAT` (43).
    public static let unsupportedForMessageFormat = KafkaErrorCode(
        43, "UNSUPPORTED_FOR_MESSAGE_FORMAT", false, "The message format version on the broker does not support the request.")
    /// `POLICY_VIOLATION` (44).
    public static let policyViolation = KafkaErrorCode(
        44, "POLICY_VIOLATION", false, "Request parameters do not satisfy the configured policy.")
    /// `OUT_OF_ORDER_SEQUENCE_NUMBER` (45).
    public static let outOfOrderSequenceNumber = KafkaErrorCode(
        45, "OUT_OF_ORDER_SEQUENCE_NUMBER", false, "The broker received an out of order sequence number.")
    /// `DUPLICATE_SEQUENCE_NUMBER` (46).
    public static let duplicateSequenceNumber = KafkaErrorCode(
        46, "DUPLICATE_SEQUENCE_NUMBER", false, "The broker received a duplicate sequence number.")
    /// `INVALID_PRODUCER_EPOCH` (47).
    public static let invalidProducerEpoch = KafkaErrorCode(
        47, "INVALID_PRODUCER_EPOCH", false, "Producer attempted to produce with an old epoch.")
    /// `INVALID_TXN_STATE` (48).
    public static let invalidTxnState = KafkaErrorCode(
        48, "INVALID_TXN_STATE", false, "The producer attempted a transactional operation in an invalid state.")
    /// `INVALID_PRODUCER_ID_MAPPING` (49).
    public static let invalidProducerIdMapping = KafkaErrorCode(
        49, "INVALID_PRODUCER_ID_MAPPING", false,
        "The producer attempted to use a producer id which is not currently assigned to its transactional id.")
    /// `INVALID_TRANSACTION_TIMEOUT` (50).
    public static let invalidTransactionTimeout = KafkaErrorCode(
        50, "INVALID_TRANSACTION_TIMEOUT", false,
        "The transaction timeout is larger than the maximum value allowed by the broker (as configured by transaction.max.timeout.ms)."
    )
    /// `CONCURRENT_TRANSACTIONS` (51), retriable.
    public static let concurrentTransactions = KafkaErrorCode(
        51, "CONCURRENT_TRANSACTIONS", true,
        "The producer attempted to update a transaction while another concurrent operation on the same transaction was ongoing.")
    /// `TRANSACTION_COORDINATOR_FENCED` (52).
    public static let transactionCoordinatorFenced = KafkaErrorCode(
        52, "TRANSACTION_COORDINATOR_FENCED", false,
        "Indicates that the transaction coordinator sending a WriteTxnMarker is no longer the current coordinator for a given producer."
    )
    /// `TRANSACTIONAL_ID_AUTHORIZATION_FAILED` (53).
    public static let transactionalIdAuthorizationFailed = KafkaErrorCode(
        53, "TRANSACTIONAL_ID_AUTHORIZATION_FAILED", false, "Transactional Id authorization failed.")
    /// `SECURITY_DISABLED` (54).
    public static let securityDisabled = KafkaErrorCode(54, "SECURITY_DISABLED", false, "Security features are disabled.")
    /// `OPERATION_NOT_ATTEMPTED` (55).
    public static let operationNotAttempted = KafkaErrorCode(
        55, "OPERATION_NOT_ATTEMPTED", false,
        "The broker did not attempt to execute this operation. This may happen for batched RPCs where some operations in the batch failed, causing the broker to respond without trying the rest."
    )
    /// `KAFKA_STORAGE_ERROR` (56), retriable.
    public static let kafkaStorageError = KafkaErrorCode(
        56, "KAFKA_STORAGE_ERROR", true, "Disk error when trying to access log file on the disk.")
    /// `LOG_DIR_NOT_FOUND` (57).
    public static let logDirNotFound = KafkaErrorCode(
        57, "LOG_DIR_NOT_FOUND", false, "The user-specified log directory is not found in the broker config.")
    /// `SASL_AUTHENTICATION_FAILED` (58).
    public static let saslAuthenticationFailed = KafkaErrorCode(
        58, "SASL_AUTHENTICATION_FAILED", false, "SASL Authentication failed.")
    /// `UNKNOWN_PRODUCER_ID` (59).
    public static let unknownProducerId = KafkaErrorCode(
        59, "UNKNOWN_PRODUCER_ID", false,
        "This exception is raised by the broker if it could not locate the producer metadata associated with the producerId in question. This could happen if, for instance, the producer's records were deleted because their retention time had elapsed. Once the last records of the producerId are removed, the producer's metadata is removed from the broker, and future appends by the producer will return this exception."
    )
    /// `REASSIGNMENT_IN_PROGRESS` (60).
    public static let reassignmentInProgress = KafkaErrorCode(
        60, "REASSIGNMENT_IN_PROGRESS", false, "A partition reassignment is in progress.")
    /// `DELEGATION_TOKEN_AUTH_DISABLED` (61).
    public static let delegationTokenAuthDisabled = KafkaErrorCode(
        61, "DELEGATION_TOKEN_AUTH_DISABLED", false, "Delegation Token feature is not enabled.")
    /// `DELEGATION_TOKEN_NOT_FOUND` (62).
    public static let delegationTokenNotFound = KafkaErrorCode(
        62, "DELEGATION_TOKEN_NOT_FOUND", false, "Delegation Token is not found on server.")
    /// `DELEGATION_TOKEN_OWNER_MISMATCH` (63).
    public static let delegationTokenOwnerMismatch = KafkaErrorCode(
        63, "DELEGATION_TOKEN_OWNER_MISMATCH", false, "Specified Principal is not valid Owner/Renewer.")
    /// `DELEGATION_TOKEN_REQUEST_NOT_ALLOWED` (64).
    public static let delegationTokenRequestNotAllowed = KafkaErrorCode(
        64, "DELEGATION_TOKEN_REQUEST_NOT_ALLOWED", false,
        "Delegation Token requests are not allowed on PLAINTEXT/1-way SSL channels and on delegation token authenticated channels."
    )
    /// `DELEGATION_TOKEN_AUTHORIZATION_FAILED` (65).
    public static let delegationTokenAuthorizationFailed = KafkaErrorCode(
        65, "DELEGATION_TOKEN_AUTHORIZATION_FAILED", false, "Delegation Token authorization failed.")
    /// `DELEGATION_TOKEN_EXPIRED` (66).
    public static let delegationTokenExpired = KafkaErrorCode(
        66, "DELEGATION_TOKEN_EXPIRED", false, "Delegation Token is expired.")
    /// `INVALID_PRINCIPAL_TYPE` (67).
    public static let invalidPrincipalType = KafkaErrorCode(
        67, "INVALID_PRINCIPAL_TYPE", false, "Supplied principalType is not supported.")
    /// `NON_EMPTY_GROUP` (68).
    public static let nonEmptyGroup = KafkaErrorCode(68, "NON_EMPTY_GROUP", false, "The group is not empty.")
    /// `GROUP_ID_NOT_FOUND` (69).
    public static let groupIdNotFound = KafkaErrorCode(69, "GROUP_ID_NOT_FOUND", false, "The group id does not exist.")
    /// `FETCH_SESSION_ID_NOT_FOUND` (70), retriable.
    public static let fetchSessionIdNotFound = KafkaErrorCode(
        70, "FETCH_SESSION_ID_NOT_FOUND", true, "The fetch session ID was not found.")
    /// `INVALID_FETCH_SESSION_EPOCH` (71), retriable.
    public static let invalidFetchSessionEpoch = KafkaErrorCode(
        71, "INVALID_FETCH_SESSION_EPOCH", true, "The fetch session epoch is invalid.")
    /// `LISTENER_NOT_FOUND` (72), retriable.
    public static let listenerNotFound = KafkaErrorCode(
        72, "LISTENER_NOT_FOUND", true,
        "There is no listener on the leader broker that matches the listener on which metadata request was processed.")
    /// `TOPIC_DELETION_DISABLED` (73).
    public static let topicDeletionDisabled = KafkaErrorCode(73, "TOPIC_DELETION_DISABLED", false, "Topic deletion is disabled.")
    /// `FENCED_LEADER_EPOCH` (74), retriable.
    public static let fencedLeaderEpoch = KafkaErrorCode(
        74, "FENCED_LEADER_EPOCH", true, "The leader epoch in the request is older than the epoch on the broker.")
    /// `UNKNOWN_LEADER_EPOCH` (75), retriable.
    public static let unknownLeaderEpoch = KafkaErrorCode(
        75, "UNKNOWN_LEADER_EPOCH", true, "The leader epoch in the request is newer than the epoch on the broker.")
    /// `UNSUPPORTED_COMPRESSION_TYPE` (76).
    public static let unsupportedCompressionType = KafkaErrorCode(
        76, "UNSUPPORTED_COMPRESSION_TYPE", false,
        "The requesting client does not support the compression type of given partition.")
    /// `STALE_BROKER_EPOCH` (77).
    public static let staleBrokerEpoch = KafkaErrorCode(77, "STALE_BROKER_EPOCH", false, "Broker epoch has changed.")
    /// `OFFSET_NOT_AVAILABLE` (78), retriable.
    public static let offsetNotAvailable = KafkaErrorCode(
        78, "OFFSET_NOT_AVAILABLE", true,
        "The leader high watermark has not caught up from a recent leader election so the offsets cannot be guaranteed to be monotonically increasing."
    )
    /// `MEMBER_ID_REQUIRED` (79).
    public static let memberIdRequired = KafkaErrorCode(
        79, "MEMBER_ID_REQUIRED", false,
        "The group member needs to have a valid member id before actually entering a consumer group.")
    /// `PREFERRED_LEADER_NOT_AVAILABLE` (80), retriable.
    public static let preferredLeaderNotAvailable = KafkaErrorCode(
        80, "PREFERRED_LEADER_NOT_AVAILABLE", true, "The preferred leader was not available.")
    /// `GROUP_MAX_SIZE_REACHED` (81).
    public static let groupMaxSizeReached = KafkaErrorCode(
        81, "GROUP_MAX_SIZE_REACHED", false, "The group has reached its maximum size.")
    /// `FENCED_INSTANCE_ID` (82).
    public static let fencedInstanceId = KafkaErrorCode(
        82, "FENCED_INSTANCE_ID", false,
        "The broker rejected this static consumer since another consumer with the same group.instance.id has registered with a different member.id."
    )
    /// `ELIGIBLE_LEADERS_NOT_AVAILABLE` (83), retriable.
    public static let eligibleLeadersNotAvailable = KafkaErrorCode(
        83, "ELIGIBLE_LEADERS_NOT_AVAILABLE", true, "Eligible topic partition leaders are not available.")
    /// `ELECTION_NOT_NEEDED` (84), retriable.
    public static let electionNotNeeded = KafkaErrorCode(
        84, "ELECTION_NOT_NEEDED", true, "Leader election not needed for topic partition.")
    /// `NO_REASSIGNMENT_IN_PROGRESS` (85).
    public static let noReassignmentInProgress = KafkaErrorCode(
        85, "NO_REASSIGNMENT_IN_PROGRESS", false, "No partition reassignment is in progress.")
    /// `GROUP_SUBSCRIBED_TO_TOPIC` (86).
    public static let groupSubscribedToTopic = KafkaErrorCode(
        86, "GROUP_SUBSCRIBED_TO_TOPIC", false,
        "Deleting offsets of a topic is forbidden while the consumer group is actively subscribed to it.")
    /// `INVALID_RECORD` (87).
    public static let invalidRecord = KafkaErrorCode(
        87, "INVALID_RECORD", false, "This record has failed the validation on broker and hence will be rejected.")
    /// `UNSTABLE_OFFSET_COMMIT` (88), retriable.
    public static let unstableOffsetCommit = KafkaErrorCode(
        88, "UNSTABLE_OFFSET_COMMIT", true, "There are unstable offsets that need to be cleared.")
    /// `THROTTLING_QUOTA_EXCEEDED` (89), retriable.
    public static let throttlingQuotaExceeded = KafkaErrorCode(
        89, "THROTTLING_QUOTA_EXCEEDED", true, "The throttling quota has been exceeded.")
    /// `PRODUCER_FENCED` (90).
    public static let producerFenced = KafkaErrorCode(
        90, "PRODUCER_FENCED", false, "There is a newer producer with the same transactionalId which fences the current one.")
    /// `RESOURCE_NOT_FOUND` (91).
    public static let resourceNotFound = KafkaErrorCode(
        91, "RESOURCE_NOT_FOUND", false, "A request illegally referred to a resource that does not exist.")
    /// `DUPLICATE_RESOURCE` (92).
    public static let duplicateResource = KafkaErrorCode(
        92, "DUPLICATE_RESOURCE", false, "A request illegally referred to the same resource twice.")
    /// `UNACCEPTABLE_CREDENTIAL` (93).
    public static let unacceptableCredential = KafkaErrorCode(
        93, "UNACCEPTABLE_CREDENTIAL", false, "Requested credential would not meet criteria for acceptability.")
    /// `INCONSISTENT_VOTER_SET` (94).
    public static let inconsistentVoterSet = KafkaErrorCode(
        94, "INCONSISTENT_VOTER_SET", false,
        "Indicates that the either the sender or recipient of a voter-only request is not one of the expected voters.")
    /// `INVALID_UPDATE_VERSION` (95).
    public static let invalidUpdateVersion = KafkaErrorCode(
        95, "INVALID_UPDATE_VERSION", false, "The given update version was invalid.")
    /// `FEATURE_UPDATE_FAILED` (96).
    public static let featureUpdateFailed = KafkaErrorCode(
        96, "FEATURE_UPDATE_FAILED", false, "Unable to update finalized features due to an unexpected server error.")
    /// `PRINCIPAL_DESERIALIZATION_FAILURE` (97).
    public static let principalDeserializationFailure = KafkaErrorCode(
        97, "PRINCIPAL_DESERIALIZATION_FAILURE", false,
        "Request principal deserialization failed during forwarding. This indicates an internal error on the broker cluster security setup."
    )
    /// `SNAPSHOT_NOT_FOUND` (98).
    public static let snapshotNotFound = KafkaErrorCode(98, "SNAPSHOT_NOT_FOUND", false, "Requested snapshot was not found.")
    /// `POSITION_OUT_OF_RANGE` (99).
    public static let positionOutOfRange = KafkaErrorCode(
        99, "POSITION_OUT_OF_RANGE", false,
        "Requested position is not greater than or equal to zero, and less than the size of the snapshot.")
    /// `UNKNOWN_TOPIC_ID` (100), retriable.
    public static let unknownTopicId = KafkaErrorCode(100, "UNKNOWN_TOPIC_ID", true, "This server does not host this topic ID.")
    /// `DUPLICATE_BROKER_REGISTRATION` (101).
    public static let duplicateBrokerRegistration = KafkaErrorCode(
        101, "DUPLICATE_BROKER_REGISTRATION", false, "This broker ID is already in use.")
    /// `BROKER_ID_NOT_REGISTERED` (102).
    public static let brokerIdNotRegistered = KafkaErrorCode(
        102, "BROKER_ID_NOT_REGISTERED", false, "The given broker ID was not registered.")
    /// `INCONSISTENT_TOPIC_ID` (103), retriable.
    public static let inconsistentTopicId = KafkaErrorCode(
        103, "INCONSISTENT_TOPIC_ID", true, "The log's topic ID did not match the topic ID in the request.")
    /// `INCONSISTENT_CLUSTER_ID` (104).
    public static let inconsistentClusterId = KafkaErrorCode(
        104, "INCONSISTENT_CLUSTER_ID", false, "The clusterId in the request does not match that found on the server.")
    /// `TRANSACTIONAL_ID_NOT_FOUND` (105).
    public static let transactionalIdNotFound = KafkaErrorCode(
        105, "TRANSACTIONAL_ID_NOT_FOUND", false, "The transactionalId could not be found.")
    /// `FETCH_SESSION_TOPIC_ID_ERROR` (106), retriable.
    public static let fetchSessionTopicIdError = KafkaErrorCode(
        106, "FETCH_SESSION_TOPIC_ID_ERROR", true, "The fetch session encountered inconsistent topic ID usage.")
    /// `INELIGIBLE_REPLICA` (107).
    public static let ineligibleReplica = KafkaErrorCode(
        107, "INELIGIBLE_REPLICA", false, "The new ISR contains at least one ineligible replica.")
    /// `NEW_LEADER_ELECTED` (108).
    public static let newLeaderElected = KafkaErrorCode(
        108, "NEW_LEADER_ELECTED", false,
        "The AlterPartition request successfully updated the partition state but the leader has changed.")
    /// `OFFSET_MOVED_TO_TIERED_STORAGE` (109).
    public static let offsetMovedToTieredStorage = KafkaErrorCode(
        109, "OFFSET_MOVED_TO_TIERED_STORAGE", false, "The requested offset is moved to tiered storage.")
    /// `FENCED_MEMBER_EPOCH` (110).
    public static let fencedMemberEpoch = KafkaErrorCode(
        110, "FENCED_MEMBER_EPOCH", false,
        "The member epoch is fenced by the group coordinator. The member must abandon all its partitions and rejoin.")
    /// `UNRELEASED_INSTANCE_ID` (111).
    public static let unreleasedInstanceId = KafkaErrorCode(
        111, "UNRELEASED_INSTANCE_ID", false,
        "The instance ID is still used by another member in the consumer group. That member must leave first.")
    /// `UNSUPPORTED_ASSIGNOR` (112).
    public static let unsupportedAssignor = KafkaErrorCode(
        112, "UNSUPPORTED_ASSIGNOR", false, "The assignor or its version range is not supported by the consumer group.")
    /// `STALE_MEMBER_EPOCH` (113).
    public static let staleMemberEpoch = KafkaErrorCode(
        113, "STALE_MEMBER_EPOCH", false,
        "The member epoch is stale. The member must retry after receiving its updated member epoch via the ConsumerGroupHeartbeat API."
    )
    /// `MISMATCHED_ENDPOINT_TYPE` (114).
    public static let mismatchedEndpointType = KafkaErrorCode(
        114, "MISMATCHED_ENDPOINT_TYPE", false, "The request was sent to an endpoint of the wrong type.")
    /// `UNSUPPORTED_ENDPOINT_TYPE` (115).
    public static let unsupportedEndpointType = KafkaErrorCode(
        115, "UNSUPPORTED_ENDPOINT_TYPE", false, "This endpoint type is not supported yet.")
    /// `UNKNOWN_CONTROLLER_ID` (116).
    public static let unknownControllerId = KafkaErrorCode(
        116, "UNKNOWN_CONTROLLER_ID", false, "This controller ID is not known.")
    /// `UNKNOWN_SUBSCRIPTION_ID` (117).
    public static let unknownSubscriptionId = KafkaErrorCode(
        117, "UNKNOWN_SUBSCRIPTION_ID", false, "Client sent a push telemetry request with an invalid or outdated subscription ID."
    )
    /// `TELEMETRY_TOO_LARGE` (118).
    public static let telemetryTooLarge = KafkaErrorCode(
        118, "TELEMETRY_TOO_LARGE", false,
        "Client sent a push telemetry request larger than the maximum size the broker will accept.")
    /// `INVALID_REGISTRATION` (119).
    public static let invalidRegistration = KafkaErrorCode(
        119, "INVALID_REGISTRATION", false, "The controller has considered the broker registration to be invalid.")
    /// `TRANSACTION_ABORTABLE` (120).
    public static let transactionAbortable = KafkaErrorCode(
        120, "TRANSACTION_ABORTABLE", false,
        "The server encountered an error with the transaction. The client can abort the transaction to continue using this transactional ID."
    )
    /// `INVALID_RECORD_STATE` (121).
    public static let invalidRecordState = KafkaErrorCode(
        121, "INVALID_RECORD_STATE", false, "The record state is invalid. The acknowledgement of delivery could not be completed."
    )
    /// `SHARE_SESSION_NOT_FOUND` (122), retriable.
    public static let shareSessionNotFound = KafkaErrorCode(
        122, "SHARE_SESSION_NOT_FOUND", true, "The share session was not found.")
    /// `INVALID_SHARE_SESSION_EPOCH` (123), retriable.
    public static let invalidShareSessionEpoch = KafkaErrorCode(
        123, "INVALID_SHARE_SESSION_EPOCH", true, "The share session epoch is invalid.")
    /// `FENCED_STATE_EPOCH` (124).
    public static let fencedStateEpoch = KafkaErrorCode(
        124, "FENCED_STATE_EPOCH", false,
        "The share coordinator rejected the request because the share-group state epoch did not match.")
    /// `INVALID_VOTER_KEY` (125).
    public static let invalidVoterKey = KafkaErrorCode(
        125, "INVALID_VOTER_KEY", false, "The voter key doesn't match the receiving replica's key.")
    /// `DUPLICATE_VOTER` (126).
    public static let duplicateVoter = KafkaErrorCode(
        126, "DUPLICATE_VOTER", false, "The voter is already part of the set of voters.")
    /// `VOTER_NOT_FOUND` (127).
    public static let voterNotFound = KafkaErrorCode(127, "VOTER_NOT_FOUND", false, "The voter is not part of the set of voters.")
    /// `INVALID_REGULAR_EXPRESSION` (128).
    public static let invalidRegularExpression = KafkaErrorCode(
        128, "INVALID_REGULAR_EXPRESSION", false, "The regular expression is not valid.")
    /// `REBOOTSTRAP_REQUIRED` (129).
    public static let rebootstrapRequired = KafkaErrorCode(
        129, "REBOOTSTRAP_REQUIRED", false, "Client metadata is stale. The client should rebootstrap to obtain new metadata.")
    /// `STREAMS_INVALID_TOPOLOGY` (130).
    public static let streamsInvalidTopology = KafkaErrorCode(
        130, "STREAMS_INVALID_TOPOLOGY", false, "The supplied topology is invalid.")
    /// `STREAMS_INVALID_TOPOLOGY_EPOCH` (131).
    public static let streamsInvalidTopologyEpoch = KafkaErrorCode(
        131, "STREAMS_INVALID_TOPOLOGY_EPOCH", false, "The supplied topology epoch is invalid.")
    /// `STREAMS_TOPOLOGY_FENCED` (132).
    public static let streamsTopologyFenced = KafkaErrorCode(
        132, "STREAMS_TOPOLOGY_FENCED", false, "The supplied topology epoch is outdated.")
    /// `SHARE_SESSION_LIMIT_REACHED` (133), retriable.
    public static let shareSessionLimitReached = KafkaErrorCode(
        133, "SHARE_SESSION_LIMIT_REACHED", true, "The limit of share sessions has been reached.")

    /// Indexed by code + 1.
    private static let table: [KafkaErrorCode] = [
        .unknownServerError,
        .none,
        .offsetOutOfRange,
        .corruptMessage,
        .unknownTopicOrPartition,
        .invalidFetchSize,
        .leaderNotAvailable,
        .notLeaderOrFollower,
        .requestTimedOut,
        .brokerNotAvailable,
        .replicaNotAvailable,
        .messageTooLarge,
        .staleControllerEpoch,
        .offsetMetadataTooLarge,
        .networkException,
        .coordinatorLoadInProgress,
        .coordinatorNotAvailable,
        .notCoordinator,
        .invalidTopicException,
        .recordListTooLarge,
        .notEnoughReplicas,
        .notEnoughReplicasAfterAppend,
        .invalidRequiredAcks,
        .illegalGeneration,
        .inconsistentGroupProtocol,
        .invalidGroupId,
        .unknownMemberId,
        .invalidSessionTimeout,
        .rebalanceInProgress,
        .invalidCommitOffsetSize,
        .topicAuthorizationFailed,
        .groupAuthorizationFailed,
        .clusterAuthorizationFailed,
        .invalidTimestamp,
        .unsupportedSaslMechanism,
        .illegalSaslState,
        .unsupportedVersion,
        .topicAlreadyExists,
        .invalidPartitions,
        .invalidReplicationFactor,
        .invalidReplicaAssignment,
        .invalidConfig,
        .notController,
        .invalidRequest,
        .unsupportedForMessageFormat,
        .policyViolation,
        .outOfOrderSequenceNumber,
        .duplicateSequenceNumber,
        .invalidProducerEpoch,
        .invalidTxnState,
        .invalidProducerIdMapping,
        .invalidTransactionTimeout,
        .concurrentTransactions,
        .transactionCoordinatorFenced,
        .transactionalIdAuthorizationFailed,
        .securityDisabled,
        .operationNotAttempted,
        .kafkaStorageError,
        .logDirNotFound,
        .saslAuthenticationFailed,
        .unknownProducerId,
        .reassignmentInProgress,
        .delegationTokenAuthDisabled,
        .delegationTokenNotFound,
        .delegationTokenOwnerMismatch,
        .delegationTokenRequestNotAllowed,
        .delegationTokenAuthorizationFailed,
        .delegationTokenExpired,
        .invalidPrincipalType,
        .nonEmptyGroup,
        .groupIdNotFound,
        .fetchSessionIdNotFound,
        .invalidFetchSessionEpoch,
        .listenerNotFound,
        .topicDeletionDisabled,
        .fencedLeaderEpoch,
        .unknownLeaderEpoch,
        .unsupportedCompressionType,
        .staleBrokerEpoch,
        .offsetNotAvailable,
        .memberIdRequired,
        .preferredLeaderNotAvailable,
        .groupMaxSizeReached,
        .fencedInstanceId,
        .eligibleLeadersNotAvailable,
        .electionNotNeeded,
        .noReassignmentInProgress,
        .groupSubscribedToTopic,
        .invalidRecord,
        .unstableOffsetCommit,
        .throttlingQuotaExceeded,
        .producerFenced,
        .resourceNotFound,
        .duplicateResource,
        .unacceptableCredential,
        .inconsistentVoterSet,
        .invalidUpdateVersion,
        .featureUpdateFailed,
        .principalDeserializationFailure,
        .snapshotNotFound,
        .positionOutOfRange,
        .unknownTopicId,
        .duplicateBrokerRegistration,
        .brokerIdNotRegistered,
        .inconsistentTopicId,
        .inconsistentClusterId,
        .transactionalIdNotFound,
        .fetchSessionTopicIdError,
        .ineligibleReplica,
        .newLeaderElected,
        .offsetMovedToTieredStorage,
        .fencedMemberEpoch,
        .unreleasedInstanceId,
        .unsupportedAssignor,
        .staleMemberEpoch,
        .mismatchedEndpointType,
        .unsupportedEndpointType,
        .unknownControllerId,
        .unknownSubscriptionId,
        .telemetryTooLarge,
        .invalidRegistration,
        .transactionAbortable,
        .invalidRecordState,
        .shareSessionNotFound,
        .invalidShareSessionEpoch,
        .fencedStateEpoch,
        .invalidVoterKey,
        .duplicateVoter,
        .voterNotFound,
        .invalidRegularExpression,
        .rebootstrapRequired,
        .streamsInvalidTopology,
        .streamsInvalidTopologyEpoch,
        .streamsTopologyFenced,
        .shareSessionLimitReached,
    ]
}
