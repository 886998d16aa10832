import KafkaProtocol
import Logging
import NIOCore
import NIOPosix
import NIOSSL

/// One TCP connection to one broker, with pipelined requests.
///
/// On connect it negotiates API versions with ApiVersions; ``send(_:version:)`` then uses
/// the highest version of each API that both sides support. Requests may be in flight
/// together; responses are matched by correlation id. A request with no response in time,
/// or a malformed response, fails and closes the connection (the caller reconnects).
public final class BrokerConnection: Sendable {
    /// The broker's address.
    public let address: BrokerAddress
    /// The versions the broker supports, by API key.
    public let brokerVersions: [Int16: ClosedRange<Int16>]
    let channel: any Channel
    let config: ClientConfig

    private init(address: BrokerAddress, channel: any Channel, config: ClientConfig, brokerVersions: [Int16: ClosedRange<Int16>]) {
        self.address = address
        self.channel = channel
        self.config = config
        self.brokerVersions = brokerVersions
    }

    /// Whether the connection is still open.
    public var isActive: Bool { channel.isActive }

    /// Connects (over TLS with `SSL`/`SASL_SSL`), negotiates API versions, and
    /// authenticates with SASL when `security.protocol` says so.
    /// - Throws: ``KafkaClientError`` (`connection`, `timeout`, `protocolViolation`,
    ///   `authentication`, `invalidConfig` for unreadable TLS files).
    public static func connect(
        to address: BrokerAddress, config: ClientConfig, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> BrokerConnection {
        let broker = address.description
        let maxFrame = config.maxResponseSize
        let tls = try config.security.securityProtocol.usesTLS ? TLSClientContext.make(config.security.tls) : nil
        let serverHostname = address.isIPAddress ? nil : address.host
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: group)
                .connectTimeout(.nanoseconds(config.connectTimeout.timeAmount.nanoseconds))
                .channelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let tls {
                            try channel.pipeline.syncOperations.addHandler(
                                NIOSSLClientHandler(context: tls, serverHostname: serverHostname))
                        }
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(KafkaFrameDecoder(maxFrameSize: maxFrame)))
                        try channel.pipeline.syncOperations.addHandler(KafkaClientHandler(broker: broker))
                    }
                }
                .connect(host: address.host, port: address.port)
                .get()
        } catch {
            throw KafkaClientError(.connection, "cannot connect: \(error)", broker: broker, cause: error)
        }
        do {
            let versions = try await negotiate(channel: channel, config: config, broker: broker)
            let connection = BrokerConnection(address: address, channel: channel, config: config, brokerVersions: versions)
            if let sasl = config.security.sasl, config.security.securityProtocol.usesSASL {
                try await connection.authenticate(sasl)
            }
            return connection
        } catch {
            try? await channel.close()
            if let tlsError = TLSClientContext.tlsFailure(in: error) {
                throw KafkaClientError(.authentication, "TLS handshake failed: \(tlsError)", broker: broker, cause: error)
            }
            throw error
        }
    }

    /// Asks for ApiVersions v3 (with the client's name). A broker that does not know v3
    /// answers UNSUPPORTED_VERSION (KIP-511 says in the v0 format; librdkafka's mock
    /// cluster writes a malformed compact array), so the request is repeated at v0, which
    /// every broker answers in full.
    private static func negotiate(channel: any Channel, config: ClientConfig, broker: String) async throws -> [Int16: ClosedRange<Int16>] {
        var version: Int16 = 3
        for _ in 0..<2 {
            let response = try await apiVersions(channel: channel, config: config, version: version)
            if response.errorCode == KafkaErrorCode.unsupportedVersion.code && version > 0 {
                // Every broker speaks v0; its answer lists everything else.
                version = 0
                continue
            }
            if response.errorCode != 0 { throw KafkaError(code: response.errorCode, broker: broker, api: "ApiVersions") }
            var versions: [Int16: ClosedRange<Int16>] = [:]
            for key in response.apiKeys where key.minVersion <= key.maxVersion {
                versions[key.apiKey] = key.minVersion...key.maxVersion
            }
            return versions
        }
        throw KafkaClientError(.unsupportedVersion, "ApiVersions negotiation did not converge", broker: broker)
    }

    private static func apiVersions(channel: any Channel, config: ClientConfig, version: Int16) async throws -> ApiVersionsResponse {
        let request = ApiVersionsRequest(clientSoftwareName: "swift-kafka-streams", clientSoftwareVersion: "0.1.0")
        return try await withCheckedThrowingContinuation { continuation in
            let outgoing = OutgoingRequest(
                api: "ApiVersions",
                encode: { correlationID, buffer in
                    try RequestHeader(
                        requestApiKey: ApiVersionsRequest.apiKey, requestApiVersion: version, correlationId: correlationID,
                        clientId: config.clientID
                    ).encode(into: &buffer, version: ApiVersionsRequest.requestHeaderVersion(apiVersion: version))
                    try request.encode(into: &buffer, version: version)
                },
                responseHeaderVersion: 0,
                onResponse: { buffer in
                    let code = buffer.getInteger(at: buffer.readerIndex, as: Int16.self)
                    if version > 0, code == KafkaErrorCode.unsupportedVersion.code {
                        continuation.resume(returning: ApiVersionsResponse(errorCode: code ?? 0))
                    } else {
                        continuation.resume(returning: try ApiVersionsResponse(from: &buffer, version: version))
                    }
                },
                onFailure: { continuation.resume(throwing: $0) },
                timeout: .nanoseconds(config.requestTimeout.timeAmount.nanoseconds))
            channel.writeAndFlush(outgoing, promise: nil)
        }
    }

    /// The highest version of `R` both sides support.
    /// - Throws: ``KafkaClientError`` (`unsupportedVersion`) if there is none.
    public func version<R: KafkaRequest>(for type: R.Type) throws -> Int16 {
        guard let theirs = brokerVersions[R.apiKey] else {
            throw KafkaClientError(.unsupportedVersion, "the broker does not support \(R.self)", broker: address.description)
        }
        let ours = R.versions
        let low = max(ours.lowerBound, theirs.lowerBound)
        let high = min(ours.upperBound, theirs.upperBound)
        guard low <= high else {
            throw KafkaClientError(
                .unsupportedVersion, "\(R.self): this client speaks v\(ours.lowerBound)-\(ours.upperBound), the broker v\(theirs.lowerBound)-\(theirs.upperBound)",
                broker: address.description)
        }
        return high
    }

    /// Sends a request and waits for its response.
    ///
    /// - Parameters:
    ///   - request: the request body.
    ///   - version: the version to use (default: the highest both sides support).
    /// - Throws: ``KafkaClientError`` for connection, timeout, version or protocol problems.
    ///   Error codes inside the response are returned, not thrown.
    public func send<R: KafkaRequest>(_ request: R, version: Int16? = nil) async throws -> R.Response {
        let version = try version ?? self.version(for: R.self)
        let clientID = config.clientID
        let timeout = config.requestTimeout.timeAmount.nanoseconds
        return try await withCheckedThrowingContinuation { continuation in
            let outgoing = OutgoingRequest(
                api: "\(R.self)",
                encode: { correlationID, buffer in
                    try RequestHeader(requestApiKey: R.apiKey, requestApiVersion: version, correlationId: correlationID, clientId: clientID)
                        .encode(into: &buffer, version: R.requestHeaderVersion(apiVersion: version))
                    try request.encode(into: &buffer, version: version)
                },
                responseHeaderVersion: R.responseHeaderVersion(apiVersion: version),
                onResponse: { buffer in continuation.resume(returning: try R.Response(from: &buffer, version: version)) },
                onFailure: { continuation.resume(throwing: $0) },
                timeout: .nanoseconds(timeout))
            channel.writeAndFlush(outgoing, promise: nil)
        }
    }

    /// Sends a request that gets no response (Produce with acks=0); returns once written.
    /// - Throws: ``KafkaClientError`` if the connection fails before the bytes are written.
    public func sendWithoutResponse<R: KafkaRequest>(_ request: R, version: Int16? = nil) async throws {
        let version = try version ?? self.version(for: R.self)
        let clientID = config.clientID
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let outgoing = OutgoingRequest(
                api: "\(R.self)",
                encode: { correlationID, buffer in
                    try RequestHeader(requestApiKey: R.apiKey, requestApiVersion: version, correlationId: correlationID, clientId: clientID)
                        .encode(into: &buffer, version: R.requestHeaderVersion(apiVersion: version))
                    try request.encode(into: &buffer, version: version)
                },
                responseHeaderVersion: nil,
                onResponse: { _ in continuation.resume() },
                onFailure: { continuation.resume(throwing: $0) },
                timeout: .seconds(0))
            channel.writeAndFlush(outgoing, promise: nil)
        }
    }

    /// Closes the connection; requests in flight fail with a `connection` error.
    public func close() async {
        try? await channel.close()
    }
}
