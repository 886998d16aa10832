import KafkaProtocol

/// A decoded request body, one case per API the broker serves.
public enum BrokerRequest: Sendable {
    case produce(ProduceRequest)
    case fetch(FetchRequest)
    case listOffsets(ListOffsetsRequest)
    case metadata(MetadataRequest)
    case offsetCommit(OffsetCommitRequest)
    case offsetFetch(OffsetFetchRequest)
    case findCoordinator(FindCoordinatorRequest)
    case joinGroup(JoinGroupRequest)
    case heartbeat(HeartbeatRequest)
    case leaveGroup(LeaveGroupRequest)
    case syncGroup(SyncGroupRequest)
    case describeGroups(DescribeGroupsRequest)
    case listGroups(ListGroupsRequest)
    case apiVersions(ApiVersionsRequest)
    case createTopics(CreateTopicsRequest)
    case deleteTopics(DeleteTopicsRequest)
    case deleteRecords(DeleteRecordsRequest)
    case initProducerId(InitProducerIdRequest)
    case addPartitionsToTxn(AddPartitionsToTxnRequest)
    case addOffsetsToTxn(AddOffsetsToTxnRequest)
    case endTxn(EndTxnRequest)
    case txnOffsetCommit(TxnOffsetCommitRequest)
    case describeConfigs(DescribeConfigsRequest)
    case createPartitions(CreatePartitionsRequest)
    case deleteGroups(DeleteGroupsRequest)
    case offsetDelete(OffsetDeleteRequest)
    case saslHandshake(SaslHandshakeRequest)
    case saslAuthenticate(SaslAuthenticateRequest)
    case incrementalAlterConfigs(IncrementalAlterConfigsRequest)
    case describeCluster(DescribeClusterRequest)
    /// ApiVersions in a version the broker does not know: answered with v0 and
    /// UNSUPPORTED_VERSION so that the client can retry with a version it shares (KIP-511).
    case unsupportedApiVersions
}

/// A request frame taken apart: the header and the decoded body.
public struct DecodedRequest: Sendable {
    /// The request header (API key, version, correlation id, client id).
    public var header: RequestHeader
    /// The decoded body.
    public var body: BrokerRequest
    /// The API.
    public var apiKey: ApiKey { ApiKey(header.requestApiKey) }
    /// The API version of the request.
    public var apiVersion: Int16 { header.requestApiVersion }
}

/// Why a request frame could not be decoded. The connection is closed after it, as Kafka does.
public struct BrokerRequestError: Error, CustomStringConvertible {
    /// What kind of failure.
    public enum Kind: Sendable {
        /// Fewer bytes than a request header.
        case truncatedHeader
        /// An API key the broker does not serve.
        case unsupportedApi
        /// A version of a served API outside the advertised range.
        case unsupportedVersion
        /// The header or body does not decode.
        case malformed
    }

    /// The kind of failure.
    public var kind: Kind
    /// The API key read from the frame, when there was one.
    public var apiKey: Int16?
    /// The API version read from the frame, when there was one.
    public var apiVersion: Int16?
    /// The correlation id read from the frame, when there was one.
    public var correlationId: Int32?
    /// What went wrong.
    public var message: String

    public var description: String { "\(kind): \(message)" }
}
