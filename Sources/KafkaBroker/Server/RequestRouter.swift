import KafkaProtocol
import Logging
import NIOCore

/// Turns a request frame into a response frame: decodes it, calls the API's handler on the
/// broker core, and encodes the response with its header and size prefix.
struct RequestRouter: Sendable {
    let core: BrokerCore
    let logger: Logger
    /// The SASL users of a SASL listener; `nil` on a listener without SASL.
    let saslUsers: SaslUsers?
    /// What ApiVersions advertises on this listener.
    var versions: KafkaApiVersionTable { BrokerApiVersions.advertised(sasl: saslUsers != nil) }

    /// A new connection's SASL state (`nil` without SASL).
    func newAuthenticator() -> SaslAuthenticator? { saslUsers.map { SaslAuthenticator(users: $0) } }

    /// What to do with a frame.
    enum Outcome {
        /// Send these bytes (size prefix included).
        case respond(ByteBuffer)
        /// Send nothing (Produce with acks=0).
        case noResponse
        /// Close the connection (undecodable or unsupported request).
        case close(String)
    }

    func handle(frame: ByteBuffer, clientHost: String, sasl: inout SaslAuthenticator?) async -> Outcome {
        if core.stopSignal.isSet { return .close("the broker is shutting down") }
        let request: DecodedRequest
        do {
            request = try BrokerRequestDecoder.decode(frame: frame)
        } catch {
            return .close(error.description)
        }
        let v = request.apiVersion
        let context = RequestContext(
            apiVersion: v, correlationId: request.header.correlationId, clientId: request.header.clientId ?? "", clientHost: clientHost)
        do {
            if let outcome = try authenticationStep(request, context, &sasl) { return outcome }
            switch request.body {
            case .produce(let r):
                let response = await core.handleProduce(r, context)
                if r.acks == 0 { return .noResponse }
                return try encode(response, context)
            case .fetch(let r): return try encode(await core.handleFetch(r, context), context)
            case .listOffsets(let r): return try encode(await core.handleListOffsets(r, context), context)
            case .metadata(let r): return try encode(await core.handleMetadata(r, context), context)
            case .offsetCommit(let r): return try encode(await core.handleOffsetCommit(r, context), context)
            case .offsetFetch(let r): return try encode(await core.handleOffsetFetch(r, context), context)
            case .findCoordinator(let r): return try encode(await core.handleFindCoordinator(r, context), context)
            case .joinGroup(let r): return try encode(await core.handleJoinGroup(r, context), context)
            case .heartbeat(let r): return try encode(await core.handleHeartbeat(r, context), context)
            case .leaveGroup(let r): return try encode(await core.handleLeaveGroup(r, context), context)
            case .syncGroup(let r): return try encode(await core.handleSyncGroup(r, context), context)
            case .describeGroups(let r): return try encode(await core.handleDescribeGroups(r, context), context)
            case .listGroups(let r): return try encode(await core.handleListGroups(r, context), context)
            case .apiVersions: return try encode(ApiVersionsResponse(errorCode: 0, apiKeys: versions.apiVersionsResponseKeys), context)
            case .saslHandshake:
                return try encode(SaslHandshakeResponse(errorCode: KafkaErrorCode.illegalSaslState.code), context)
            case .saslAuthenticate:
                return try encode(SaslAuthenticateResponse(errorCode: KafkaErrorCode.illegalSaslState.code), context)
            case .createTopics(let r): return try encode(await core.handleCreateTopics(r, context), context)
            case .deleteTopics(let r): return try encode(await core.handleDeleteTopics(r, context), context)
            case .deleteRecords(let r): return try encode(await core.handleDeleteRecords(r, context), context)
            case .initProducerId(let r): return try encode(await core.handleInitProducerId(r, context), context)
            case .addPartitionsToTxn(let r): return try encode(await core.handleAddPartitionsToTxn(r, context), context)
            case .addOffsetsToTxn(let r): return try encode(await core.handleAddOffsetsToTxn(r, context), context)
            case .endTxn(let r): return try encode(await core.handleEndTxn(r, context), context)
            case .txnOffsetCommit(let r): return try encode(await core.handleTxnOffsetCommit(r, context), context)
            case .describeConfigs(let r): return try encode(await core.handleDescribeConfigs(r, context), context)
            case .createPartitions(let r): return try encode(await core.handleCreatePartitions(r, context), context)
            case .deleteGroups(let r): return try encode(await core.handleDeleteGroups(r, context), context)
            case .offsetDelete(let r): return try encode(await core.handleOffsetDelete(r, context), context)
            case .incrementalAlterConfigs(let r): return try encode(await core.handleIncrementalAlterConfigs(r, context), context)
            case .describeCluster(let r): return try encode(await core.handleDescribeCluster(r, context), context)
            case .unsupportedApiVersions:
                let response = ApiVersionsResponse(
                    errorCode: KafkaErrorCode.unsupportedVersion.code, apiKeys: versions.apiVersionsResponseKeys)
                var ctx = context
                ctx.apiVersion = 0
                return try encode(response, ctx, apiKey: .apiVersions)
            }
        } catch {
            logger.error("could not encode response", metadata: ["api": "\(request.apiKey)", "version": "\(v)", "error": "\(error)"])
            return .close("response encoding failed: \(error)")
        }
    }

    /// On a SASL listener: answers SaslHandshake and SaslAuthenticate, and refuses (by
    /// closing) any other API but ApiVersions before authentication succeeds, as Kafka does.
    /// `nil` means the request goes on to its handler.
    private func authenticationStep(_ request: DecodedRequest, _ context: RequestContext, _ sasl: inout SaslAuthenticator?) throws
        -> Outcome?
    {
        guard var authenticator = sasl else { return nil }
        defer { sasl = authenticator }
        switch request.body {
        case .apiVersions, .unsupportedApiVersions:
            return nil
        case .saslHandshake(let r):
            return try encode(authenticator.handshake(r), context)
        case .saslAuthenticate(let r):
            let response = authenticator.authenticate(r)
            if authenticator.hasFailed {
                logger.info("SASL authentication failed", metadata: ["client": "\(context.clientHost)", "error": "\(response.errorMessage ?? "")"])
            }
            return try encode(response, context)
        default:
            if authenticator.isAuthenticated { return nil }
            return .close("\(request.apiKey) before SASL authentication")
        }
    }

    private func encode<Response: KafkaMessage>(_ response: Response, _ context: RequestContext, apiKey: ApiKey? = nil) throws -> Outcome {
        var buffer = ByteBufferAllocator().buffer(capacity: 256)
        buffer.writeInteger(Int32(0))
        let key = apiKey ?? ApiKey(Response.apiKey)
        let headerVersion: Int16 = key == .apiVersions ? 0 : (Response.isFlexible(context.apiVersion) ? 1 : 0)
        try ResponseHeader(correlationId: context.correlationId).encode(into: &buffer, version: headerVersion)
        try response.encode(into: &buffer, version: context.apiVersion)
        buffer.setInteger(Int32(buffer.readableBytes - 4), at: buffer.readerIndex)
        return .respond(buffer)
    }
}
