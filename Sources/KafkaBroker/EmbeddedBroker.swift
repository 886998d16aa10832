import Foundation
import KafkaProtocol
import Logging
import NIOCore
import NIOPosix
import NIOSSL

/// A single-node Kafka-protocol broker with file-backed storage, running in this process.
///
/// ```swift
/// let broker = try await EmbeddedBroker.start(dataDirectory: "/tmp/kafka-data")
/// print(broker.bootstrapServers)          // "127.0.0.1:54321"
/// // ... point any Kafka client at it ...
/// try await broker.shutdown()
/// ```
///
/// It speaks the Kafka wire protocol on a plaintext listener (see `docs/broker.md` for the
/// APIs, versions and limits). Data survives restarts: start it again on the same
/// directory to find every acknowledged record, committed offset and transaction state.
public final class EmbeddedBroker: Sendable {
    /// The host clients connect to.
    public let host: String
    /// The port the broker listens on (the chosen one when started with port 0).
    public let port: Int
    /// `host:port`, for a client's `bootstrap.servers`.
    public var bootstrapServers: String { "\(host):\(port)" }
    /// The data directory.
    public let dataDirectory: String

    let core: BrokerCore
    private let eventLoopGroup: MultiThreadedEventLoopGroup
    /// One thread for the broker core (storage and coordinators).
    private let coreLoopGroup: MultiThreadedEventLoopGroup
    private let serverChannel: Channel
    private let acceptTask: Task<Void, Never>
    private let tickTask: Task<Void, Never>

    private init(
        host: String, port: Int, dataDirectory: String, core: BrokerCore, eventLoopGroup: MultiThreadedEventLoopGroup,
        coreLoopGroup: MultiThreadedEventLoopGroup, serverChannel: Channel,
        acceptTask: Task<Void, Never>, tickTask: Task<Void, Never>
    ) {
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.core = core
        self.eventLoopGroup = eventLoopGroup
        self.coreLoopGroup = coreLoopGroup
        self.serverChannel = serverChannel
        self.acceptTask = acceptTask
        self.tickTask = tickTask
    }

    /// Starts a broker: recovers the data in `dataDirectory` (creating it if needed), then
    /// listens on `host:port` (port 0 picks a free port).
    ///
    /// - Throws: ``StorageError`` when the data directory cannot be opened or recovered, or
    ///   NIO's error when the address cannot be bound.
    public static func start(
        dataDirectory: String, host: String = "127.0.0.1", port: Int = 0, config: BrokerConfig = BrokerConfig(),
        logger: Logger = Logger(label: "kafka-broker")
    ) async throws -> EmbeddedBroker {
        let coreLoopGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let core: BrokerCore
        do {
            core = try BrokerCore(dataDirectory: dataDirectory, config: config, logger: logger, executorLoop: coreLoopGroup.next())
        } catch {
            try? await coreLoopGroup.shutdownGracefully()
            throw error
        }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: min(2, System.coreCount))
        let maxFrame = config.maxRequestSize
        let server: NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>
        do {
            let tls = try config.security.tls.map(Self.tlsContext)
            server = try await ServerBootstrap(group: group)
                .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
                .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
                .bind(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let tls { try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls)) }
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(BrokerFrameDecoder(maxFrameSize: maxFrame)))
                        return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            await core.shutdown()
            try? await group.shutdownGracefully()
            try? await coreLoopGroup.shutdownGracefully()
            throw error
        }
        let boundPort = server.channel.localAddress?.port ?? port
        await core.setAdvertised(host: config.advertisedHost ?? host, port: Int32(boundPort))
        let router = RequestRouter(
            core: core, logger: logger, saslUsers: config.security.saslMechanisms.isEmpty ? nil : SaslUsers(config.security))
        let acceptTask = Task {
            await withDiscardingTaskGroup { tasks in
                do {
                    try await server.executeThenClose { connections in
                        for try await connection in connections {
                            tasks.addTask { await serve(connection, router: router, logger: logger) }
                        }
                    }
                } catch {
                    logger.debug("listener closed", metadata: ["error": "\(error)"])
                }
            }
        }
        let tickTask = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(100))
                await core.tick()
            }
        }
        logger.info(
            "broker started",
            metadata: [
                "address": "\(host):\(boundPort)", "dataDirectory": "\(dataDirectory)",
                "securityProtocol": "\(config.security.securityProtocol)",
            ])
        return EmbeddedBroker(
            host: host, port: boundPort, dataDirectory: dataDirectory, core: core, eventLoopGroup: group, coreLoopGroup: coreLoopGroup,
            serverChannel: server.channel,
            acceptTask: acceptTask, tickTask: tickTask)
    }

    /// Serves one connection: requests are handled one at a time, in order, as Kafka does.
    private static func serve(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>, router: RequestRouter, logger: Logger) async {
        let peer = connection.channel.remoteAddress?.ipAddress ?? "unknown"
        do {
            try await connection.executeThenClose { inbound, outbound in
                var sasl = router.newAuthenticator()
                for try await frame in inbound {
                    switch await router.handle(frame: frame, clientHost: "/" + peer, sasl: &sasl) {
                    case .respond(let bytes):
                        try await outbound.write(bytes)
                        if sasl?.hasFailed == true { return }
                    case .noResponse: continue
                    case .close(let reason):
                        logger.info("closing connection", metadata: ["peer": "\(peer)", "reason": "\(reason)"])
                        return
                    }
                }
            }
        } catch {
            logger.debug("connection ended", metadata: ["peer": "\(peer)", "error": "\(error)"])
        }
    }

    /// The TLS context of a listener.
    /// - Throws: ``StorageError``-like configuration errors are NIOSSL's, naming the file.
    private static func tlsContext(_ settings: BrokerSecurity.TLS) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(settings.certificateFile).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: settings.keyFile, format: .pem)))
        if let clientCA = settings.clientCAFile {
            configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(clientCA))
            configuration.certificateVerification = .noHostnameVerification
        }
        return try NIOSSLContext(configuration: configuration)
    }

    /// Runs retention and compaction now instead of at the next cleanup interval.
    public func runLogCleanup() async {
        await core.runLogCleanup()
    }

    /// Stops listening, answers waiting requests, closes connections, and flushes and closes
    /// every log. The data directory can then be opened by a new broker.
    ///
    /// The order matters: connections are closed and their tasks finish while the event
    /// loops still run (a channel closed on a stopped event loop never completes its close,
    /// and the task awaiting it would wait forever); the logs close after the last request;
    /// the event loops stop last.
    public func shutdown() async throws {
        tickTask.cancel()
        await core.stopServing()
        try? await serverChannel.close()
        // Ends every connection's read loop (a cancelled inbound stream ends) and closes it.
        acceptTask.cancel()
        await acceptTask.value
        await tickTask.value
        await core.shutdown()
        try await eventLoopGroup.shutdownGracefully()
        try await coreLoopGroup.shutdownGracefully()
    }
}
