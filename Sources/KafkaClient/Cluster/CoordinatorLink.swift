import KafkaProtocol
import Logging
import NIOCore

/// A connection to the coordinator of a consumer group or a transactional id, found with
/// FindCoordinator and found again when it moves.
///
/// The coordinator gets a connection of its own (as in Java's clients), so that a Fetch
/// the broker holds for `fetch.max.wait.ms`, or a JoinGroup it holds for a whole
/// rebalance, does not delay heartbeats and commits queued behind it.
///
/// ``send(_:api:deadline:coordinatorError:)`` retries, after refreshing the coordinator,
/// what Kafka's clients retry: NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE,
/// COORDINATOR_LOAD_IN_PROGRESS, a lost connection and a request timeout.
actor CoordinatorLink {
    /// What the coordinator coordinates.
    enum KeyType: Int8 {
        case group = 0
        case transaction = 1
    }

    let cluster: KafkaCluster
    let key: String
    let keyType: KeyType
    let retryBackoffMax: Duration
    /// The client configuration of the coordinator connection (its request timeout may
    /// be longer than the cluster's, for JoinGroup).
    let connectionConfig: ClientConfig
    private var coordinator: (node: Int32, connection: BrokerConnection)?
    private var closed = false

    init(cluster: KafkaCluster, key: String, keyType: KeyType, requestTimeout: Duration? = nil, retryBackoffMax: Duration) {
        self.cluster = cluster
        self.key = key
        self.keyType = keyType
        self.retryBackoffMax = retryBackoffMax
        var config = cluster.config
        if let requestTimeout { config.requestTimeout = max(config.requestTimeout, requestTimeout) }
        self.connectionConfig = config
    }

    /// The coordinator's node id, if known.
    var node: Int32? { coordinator?.node }

    /// Forgets the coordinator (it moved or its connection failed); the next request looks
    /// it up again.
    func invalidate() async {
        if let old = coordinator {
            coordinator = nil
            await old.connection.close()
        }
    }

    /// Closes the coordinator connection; further requests fail with `closed`.
    func close() async {
        closed = true
        await invalidate()
    }

    /// The coordinator connection, looking the coordinator up if needed (once).
    /// - Throws: ``KafkaError`` with FindCoordinator's error code, ``KafkaClientError``.
    func connection() async throws -> BrokerConnection {
        if closed { throw KafkaClientError(.closed, "the client is closed") }
        if let coordinator, coordinator.connection.isActive { return coordinator.connection }
        await invalidate()
        let any = try await cluster.anyConnection()
        let version = try any.version(for: FindCoordinatorRequest.self)
        let request =
            version >= 4
            ? FindCoordinatorRequest(keyType: keyType.rawValue, coordinatorKeys: [key])
            : FindCoordinatorRequest(key: key, keyType: keyType.rawValue)
        let response = try await any.send(request, version: version)
        let broker = any.address.description
        let node: Int32
        let address: BrokerAddress
        if version >= 4 {
            guard let entry = response.coordinators.first(where: { $0.key == key }) ?? response.coordinators.first else {
                throw KafkaClientError(
                    .protocolViolation, "FindCoordinator answered without a coordinator for \(key)", broker: broker)
            }
            if entry.errorCode != 0 {
                throw KafkaError(code: entry.errorCode, message: entry.errorMessage, broker: broker, api: "FindCoordinator")
            }
            node = entry.nodeId
            address = BrokerAddress(host: entry.host, port: Int(entry.port))
        } else {
            if response.errorCode != 0 {
                throw KafkaError(code: response.errorCode, message: response.errorMessage, broker: broker, api: "FindCoordinator")
            }
            node = response.nodeId
            address = BrokerAddress(host: response.host, port: Int(response.port))
        }
        let connection = try await BrokerConnection.connect(to: address, config: connectionConfig, group: cluster.group)
        if closed {
            await connection.close()
            throw KafkaClientError(.closed, "the client is closed")
        }
        coordinator = (node, connection)
        cluster.logger.debug("coordinator of \(keyType) \(key): node \(node) at \(address)")
        return connection
    }

    /// Whether a top-level error code means "ask again, maybe elsewhere".
    static func isCoordinatorError(_ code: KafkaErrorCode) -> Bool {
        code == .notCoordinator || code == .coordinatorNotAvailable || code == .coordinatorLoadInProgress
    }

    /// Sends a request to the coordinator, retrying coordinator moves and connection
    /// failures with backoff until `deadline`.
    ///
    /// - Parameters:
    ///   - coordinatorError: the response's error code if it is one that concerns the
    ///     coordinator itself (the caller picks the top-level or a per-item code); other
    ///     error codes are left to the caller.
    /// - Throws: ``KafkaClientError`` `timeout` (cause: the last failure) when the deadline
    ///   passes, `closed`, `unsupportedVersion`; ``KafkaError`` for a FindCoordinator error
    ///   that is not retriable (GROUP_AUTHORIZATION_FAILED, ...).
    func send<R: KafkaRequest>(
        _ request: R, api: String, deadline: ContinuousClock.Instant,
        coordinatorError: @escaping @Sendable (R.Response) -> KafkaErrorCode
    ) async throws -> R.Response {
        try await send(
            api: api, deadline: deadline, build: { _ in request }, coordinatorError: { response, _ in coordinatorError(response) }
        ).response
    }

    /// Like ``send(_:api:deadline:coordinatorError:)``, with the request built for the
    /// version negotiated with the coordinator (`build` gets it).
    func send<R: KafkaRequest>(
        api: String, deadline: ContinuousClock.Instant, maxVersion: Int16? = nil, build: @escaping @Sendable (Int16) throws -> R,
        coordinatorError: @escaping @Sendable (R.Response, Int16) -> KafkaErrorCode
    ) async throws -> (response: R.Response, version: Int16) {
        var backoff = cluster.config.retryBackoff
        var lastError: (any Error)?
        while true {
            do {
                let connection = try await self.connection()
                var version = try connection.version(for: R.self)
                if let maxVersion { version = min(version, maxVersion) }
                let response = try await connection.send(try build(version), version: version)
                let code = coordinatorError(response, version)
                if Self.isCoordinatorError(code) {
                    if code != .coordinatorLoadInProgress { await invalidate() }
                    throw KafkaError(code, broker: connection.address.description, api: api)
                }
                return (response, version)
            } catch let error as KafkaClientError
                where error.code == .closed || error.code == .unsupportedVersion || error.code == .protocolViolation
            {
                throw error
            } catch let error as KafkaError where !error.isRetriable && !Self.isCoordinatorError(error.code) {
                throw error
            } catch {
                lastError = error
                cluster.logger.debug("\(api) to the coordinator of \(key) failed: \(error)")
                if !(error is KafkaError) { await invalidate() }
                await cluster.invalidateMetadata()
            }
            if closed { throw KafkaClientError(.closed, "the client is closed") }
            if ContinuousClock.now + backoff > deadline {
                throw KafkaClientError(
                    .timeout, "\(api) to the coordinator of \(key) did not complete in time", cause: lastError)
            }
            try await Task.sleep(for: backoff)
            backoff = min(backoff * 2, max(retryBackoffMax, cluster.config.retryBackoff))
        }
    }
}
