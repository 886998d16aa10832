import KafkaProtocol
import NIOCore

/// Decodes one request frame (the bytes after the size prefix) into a header and a typed
/// body. Total over arbitrary input: any byte string gives a request or a
/// ``BrokerRequestError``, never a crash; this is the entry point for fuzzing.
public enum BrokerRequestDecoder {
    /// Decodes `frame`.
    ///
    /// - Throws: ``BrokerRequestError`` for a short frame, an API or version the broker does
    ///   not know (``BrokerApiVersions/withSASL``), or a header or body that does not decode.
    public static func decode(frame: ByteBuffer) throws(BrokerRequestError) -> DecodedRequest {
        var buffer = frame
        guard let key: Int16 = buffer.getInteger(at: buffer.readerIndex),
            let version: Int16 = buffer.getInteger(at: buffer.readerIndex + 2),
            let correlationId: Int32 = buffer.getInteger(at: buffer.readerIndex + 4)
        else {
            throw BrokerRequestError(kind: .truncatedHeader, message: "frame of \(frame.readableBytes) bytes is shorter than a request header")
        }
        let apiKey = ApiKey(key)
        guard let entry = BrokerApiVersions.withSASL.entry(for: apiKey) else {
            throw BrokerRequestError(kind: .unsupportedApi, apiKey: key, apiVersion: version, correlationId: correlationId, message: "API \(apiKey) is not supported")
        }
        if !entry.versions.contains(version) {
            if apiKey == .apiVersions && version > entry.maxVersion {
                let header = RequestHeader(requestApiKey: key, requestApiVersion: version, correlationId: correlationId, clientId: nil)
                return DecodedRequest(header: header, body: .unsupportedApiVersions)
            }
            throw BrokerRequestError(
                kind: .unsupportedVersion, apiKey: key, apiVersion: version, correlationId: correlationId,
                message: "\(apiKey) v\(version) is not supported (supported: \(entry.minVersion)-\(entry.maxVersion))")
        }
        let headerVersion: Int16 = entry.firstFlexibleVersion.map { version >= $0 } ?? false ? 2 : 1
        do {
            let header = try RequestHeader(from: &buffer, version: headerVersion)
            let body = try decodeBody(apiKey, version: version, from: &buffer)
            return DecodedRequest(header: header, body: body)
        } catch {
            throw BrokerRequestError(kind: .malformed, apiKey: key, apiVersion: version, correlationId: correlationId, message: "\(apiKey) v\(version): \(error)")
        }
    }

    private static func decodeBody(_ apiKey: ApiKey, version v: Int16, from b: inout ByteBuffer) throws -> BrokerRequest {
        switch apiKey {
        case .produce: return .produce(try ProduceRequest(from: &b, version: v))
        case .fetch: return .fetch(try FetchRequest(from: &b, version: v))
        case .listOffsets: return .listOffsets(try ListOffsetsRequest(from: &b, version: v))
        case .metadata: return .metadata(try MetadataRequest(from: &b, version: v))
        case .offsetCommit: return .offsetCommit(try OffsetCommitRequest(from: &b, version: v))
        case .offsetFetch: return .offsetFetch(try OffsetFetchRequest(from: &b, version: v))
        case .findCoordinator: return .findCoordinator(try FindCoordinatorRequest(from: &b, version: v))
        case .joinGroup: return .joinGroup(try JoinGroupRequest(from: &b, version: v))
        case .heartbeat: return .heartbeat(try HeartbeatRequest(from: &b, version: v))
        case .leaveGroup: return .leaveGroup(try LeaveGroupRequest(from: &b, version: v))
        case .syncGroup: return .syncGroup(try SyncGroupRequest(from: &b, version: v))
        case .describeGroups: return .describeGroups(try DescribeGroupsRequest(from: &b, version: v))
        case .listGroups: return .listGroups(try ListGroupsRequest(from: &b, version: v))
        case .apiVersions: return .apiVersions(try ApiVersionsRequest(from: &b, version: v))
        case .createTopics: return .createTopics(try CreateTopicsRequest(from: &b, version: v))
        case .deleteTopics: return .deleteTopics(try DeleteTopicsRequest(from: &b, version: v))
        case .deleteRecords: return .deleteRecords(try DeleteRecordsRequest(from: &b, version: v))
        case .initProducerId: return .initProducerId(try InitProducerIdRequest(from: &b, version: v))
        case .addPartitionsToTxn: return .addPartitionsToTxn(try AddPartitionsToTxnRequest(from: &b, version: v))
        case .addOffsetsToTxn: return .addOffsetsToTxn(try AddOffsetsToTxnRequest(from: &b, version: v))
        case .endTxn: return .endTxn(try EndTxnRequest(from: &b, version: v))
        case .txnOffsetCommit: return .txnOffsetCommit(try TxnOffsetCommitRequest(from: &b, version: v))
        case .describeConfigs: return .describeConfigs(try DescribeConfigsRequest(from: &b, version: v))
        case .createPartitions: return .createPartitions(try CreatePartitionsRequest(from: &b, version: v))
        case .deleteGroups: return .deleteGroups(try DeleteGroupsRequest(from: &b, version: v))
        case .offsetDelete: return .offsetDelete(try OffsetDeleteRequest(from: &b, version: v))
        case .saslHandshake: return .saslHandshake(try SaslHandshakeRequest(from: &b, version: v))
        case .saslAuthenticate: return .saslAuthenticate(try SaslAuthenticateRequest(from: &b, version: v))
        case .incrementalAlterConfigs: return .incrementalAlterConfigs(try IncrementalAlterConfigsRequest(from: &b, version: v))
        case .describeCluster: return .describeCluster(try DescribeClusterRequest(from: &b, version: v))
        default: throw ProtocolError(.unsupportedVersion, "API \(apiKey) is not served")
        }
    }
}
