/// A Kafka API key: the 16-bit number in front of every request that names its API.
///
/// An open set: any `Int16` read from the wire is a valid `ApiKey`, and the named constants cover
/// Kafka's keys 0-68. `KafkaApiVersionTable` lists the ones this code implements.
public struct ApiKey: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The key's number on the wire.
    public var rawValue: Int16

    /// Creates a key from its number.
    public init(rawValue: Int16) {
        self.rawValue = rawValue
    }

    /// Creates a key from its number.
    public init(_ rawValue: Int16) {
        self.rawValue = rawValue
    }

    /// Orders keys by number.
    public static func < (lhs: ApiKey, rhs: ApiKey) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Produce (key 0).
    public static let produce = ApiKey(0)
    /// Fetch (key 1).
    public static let fetch = ApiKey(1)
    /// ListOffsets (key 2).
    public static let listOffsets = ApiKey(2)
    /// Metadata (key 3).
    public static let metadata = ApiKey(3)
    /// LeaderAndIsr (key 4).
    public static let leaderAndIsr = ApiKey(4)
    /// StopReplica (key 5).
    public static let stopReplica = ApiKey(5)
    /// UpdateMetadata (key 6).
    public static let updateMetadata = ApiKey(6)
    /// ControlledShutdown (key 7).
    public static let controlledShutdown = ApiKey(7)
    /// OffsetCommit (key 8).
    public static let offsetCommit = ApiKey(8)
    /// OffsetFetch (key 9).
    public static let offsetFetch = ApiKey(9)
    /// FindCoordinator (key 10).
    public static let findCoordinator = ApiKey(10)
    /// JoinGroup (key 11).
    public static let joinGroup = ApiKey(11)
    /// Heartbeat (key 12).
    public static let heartbeat = ApiKey(12)
    /// LeaveGroup (key 13).
    public static let leaveGroup = ApiKey(13)
    /// SyncGroup (key 14).
    public static let syncGroup = ApiKey(14)
    /// DescribeGroups (key 15).
    public static let describeGroups = ApiKey(15)
    /// ListGroups (key 16).
    public static let listGroups = ApiKey(16)
    /// SaslHandshake (key 17).
    public static let saslHandshake = ApiKey(17)
    /// ApiVersions (key 18).
    public static let apiVersions = ApiKey(18)
    /// CreateTopics (key 19).
    public static let createTopics = ApiKey(19)
    /// DeleteTopics (key 20).
    public static let deleteTopics = ApiKey(20)
    /// DeleteRecords (key 21).
    public static let deleteRecords = ApiKey(21)
    /// InitProducerId (key 22).
    public static let initProducerId = ApiKey(22)
    /// OffsetForLeaderEpoch (key 23).
    public static let offsetForLeaderEpoch = ApiKey(23)
    /// AddPartitionsToTxn (key 24).
    public static let addPartitionsToTxn = ApiKey(24)
    /// AddOffsetsToTxn (key 25).
    public static let addOffsetsToTxn = ApiKey(25)
    /// EndTxn (key 26).
    public static let endTxn = ApiKey(26)
    /// WriteTxnMarkers (key 27).
    public static let writeTxnMarkers = ApiKey(27)
    /// TxnOffsetCommit (key 28).
    public static let txnOffsetCommit = ApiKey(28)
    /// DescribeAcls (key 29).
    public static let describeAcls = ApiKey(29)
    /// CreateAcls (key 30).
    public static let createAcls = ApiKey(30)
    /// DeleteAcls (key 31).
    public static let deleteAcls = ApiKey(31)
    /// DescribeConfigs (key 32).
    public static let describeConfigs = ApiKey(32)
    /// AlterConfigs (key 33).
    public static let alterConfigs = ApiKey(33)
    /// AlterReplicaLogDirs (key 34).
    public static let alterReplicaLogDirs = ApiKey(34)
    /// DescribeLogDirs (key 35).
    public static let describeLogDirs = ApiKey(35)
    /// SaslAuthenticate (key 36).
    public static let saslAuthenticate = ApiKey(36)
    /// CreatePartitions (key 37).
    public static let createPartitions = ApiKey(37)
    /// CreateDelegationToken (key 38).
    public static let createDelegationToken = ApiKey(38)
    /// RenewDelegationToken (key 39).
    public static let renewDelegationToken = ApiKey(39)
    /// ExpireDelegationToken (key 40).
    public static let expireDelegationToken = ApiKey(40)
    /// DescribeDelegationToken (key 41).
    public static let describeDelegationToken = ApiKey(41)
    /// DeleteGroups (key 42).
    public static let deleteGroups = ApiKey(42)
    /// ElectLeaders (key 43).
    public static let electLeaders = ApiKey(43)
    /// IncrementalAlterConfigs (key 44).
    public static let incrementalAlterConfigs = ApiKey(44)
    /// AlterPartitionReassignments (key 45).
    public static let alterPartitionReassignments = ApiKey(45)
    /// ListPartitionReassignments (key 46).
    public static let listPartitionReassignments = ApiKey(46)
    /// OffsetDelete (key 47).
    public static let offsetDelete = ApiKey(47)
    /// DescribeClientQuotas (key 48).
    public static let describeClientQuotas = ApiKey(48)
    /// AlterClientQuotas (key 49).
    public static let alterClientQuotas = ApiKey(49)
    /// DescribeUserScramCredentials (key 50).
    public static let describeUserScramCredentials = ApiKey(50)
    /// AlterUserScramCredentials (key 51).
    public static let alterUserScramCredentials = ApiKey(51)
    /// Vote (key 52).
    public static let vote = ApiKey(52)
    /// BeginQuorumEpoch (key 53).
    public static let beginQuorumEpoch = ApiKey(53)
    /// EndQuorumEpoch (key 54).
    public static let endQuorumEpoch = ApiKey(54)
    /// DescribeQuorum (key 55).
    public static let describeQuorum = ApiKey(55)
    /// AlterPartition (key 56).
    public static let alterPartition = ApiKey(56)
    /// UpdateFeatures (key 57).
    public static let updateFeatures = ApiKey(57)
    /// Envelope (key 58).
    public static let envelope = ApiKey(58)
    /// FetchSnapshot (key 59).
    public static let fetchSnapshot = ApiKey(59)
    /// DescribeCluster (key 60).
    public static let describeCluster = ApiKey(60)
    /// DescribeProducers (key 61).
    public static let describeProducers = ApiKey(61)
    /// BrokerRegistration (key 62).
    public static let brokerRegistration = ApiKey(62)
    /// BrokerHeartbeat (key 63).
    public static let brokerHeartbeat = ApiKey(63)
    /// UnregisterBroker (key 64).
    public static let unregisterBroker = ApiKey(64)
    /// DescribeTransactions (key 65).
    public static let describeTransactions = ApiKey(65)
    /// ListTransactions (key 66).
    public static let listTransactions = ApiKey(66)
    /// AllocateProducerIds (key 67).
    public static let allocateProducerIds = ApiKey(67)
    /// ConsumerGroupHeartbeat (key 68).
    public static let consumerGroupHeartbeat = ApiKey(68)

    /// Kafka's name for the API (`"Metadata"`), or `"ApiKey(<n>)"` for a key without a name here.
    public var name: String {
        switch rawValue {
        case 0: return "Produce"
        case 1: return "Fetch"
        case 2: return "ListOffsets"
        case 3: return "Metadata"
        case 4: return "LeaderAndIsr"
        case 5: return "StopReplica"
        case 6: return "UpdateMetadata"
        case 7: return "ControlledShutdown"
        case 8: return "OffsetCommit"
        case 9: return "OffsetFetch"
        case 10: return "FindCoordinator"
        case 11: return "JoinGroup"
        case 12: return "Heartbeat"
        case 13: return "LeaveGroup"
        case 14: return "SyncGroup"
        case 15: return "DescribeGroups"
        case 16: return "ListGroups"
        case 17: return "SaslHandshake"
        case 18: return "ApiVersions"
        case 19: return "CreateTopics"
        case 20: return "DeleteTopics"
        case 21: return "DeleteRecords"
        case 22: return "InitProducerId"
        case 23: return "OffsetForLeaderEpoch"
        case 24: return "AddPartitionsToTxn"
        case 25: return "AddOffsetsToTxn"
        case 26: return "EndTxn"
        case 27: return "WriteTxnMarkers"
        case 28: return "TxnOffsetCommit"
        case 29: return "DescribeAcls"
        case 30: return "CreateAcls"
        case 31: return "DeleteAcls"
        case 32: return "DescribeConfigs"
        case 33: return "AlterConfigs"
        case 34: return "AlterReplicaLogDirs"
        case 35: return "DescribeLogDirs"
        case 36: return "SaslAuthenticate"
        case 37: return "CreatePartitions"
        case 38: return "CreateDelegationToken"
        case 39: return "RenewDelegationToken"
        case 40: return "ExpireDelegationToken"
        case 41: return "DescribeDelegationToken"
        case 42: return "DeleteGroups"
        case 43: return "ElectLeaders"
        case 44: return "IncrementalAlterConfigs"
        case 45: return "AlterPartitionReassignments"
        case 46: return "ListPartitionReassignments"
        case 47: return "OffsetDelete"
        case 48: return "DescribeClientQuotas"
        case 49: return "AlterClientQuotas"
        case 50: return "DescribeUserScramCredentials"
        case 51: return "AlterUserScramCredentials"
        case 52: return "Vote"
        case 53: return "BeginQuorumEpoch"
        case 54: return "EndQuorumEpoch"
        case 55: return "DescribeQuorum"
        case 56: return "AlterPartition"
        case 57: return "UpdateFeatures"
        case 58: return "Envelope"
        case 59: return "FetchSnapshot"
        case 60: return "DescribeCluster"
        case 61: return "DescribeProducers"
        case 62: return "BrokerRegistration"
        case 63: return "BrokerHeartbeat"
        case 64: return "UnregisterBroker"
        case 65: return "DescribeTransactions"
        case 66: return "ListTransactions"
        case 67: return "AllocateProducerIds"
        case 68: return "ConsumerGroupHeartbeat"
        default: return "ApiKey(\(rawValue))"
        }
    }

    /// The API's name and number, for example `Metadata(3)`.
    public var description: String { "\(name)(\(rawValue))" }
}
