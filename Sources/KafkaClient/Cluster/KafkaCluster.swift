import KafkaProtocol
import Logging
import NIOCore
import NIOPosix

/// The client's view of a cluster: connections to its brokers and its metadata.
///
/// Shared by a producer, consumer or admin client. Connections are opened on demand, one
/// per broker, and reopened after a failure with exponential backoff
/// (`reconnect.backoff.ms` doubling up to `reconnect.backoff.max.ms`). Metadata is fetched
/// from any live broker (bootstrap addresses first), cached, and refreshed when it is
/// older than `metadata.max.age.ms` or when a caller reports it stale (a
/// NOT_LEADER_OR_FOLLOWER or UNKNOWN_TOPIC_OR_PARTITION error, a broker gone).
public actor KafkaCluster {
    /// The client configuration.
    public let config: ClientConfig
    let group: any EventLoopGroup
    let logger: Logger
    private var connections: [BrokerAddress: BrokerConnection] = [:]
    private var pendingConnects: [BrokerAddress: Task<BrokerConnection, any Error>] = [:]
    private var backoff: [BrokerAddress: (until: ContinuousClock.Instant, delay: Duration)] = [:]
    private var cached: ClusterMetadata?
    private var fetchedAt: ContinuousClock.Instant?
    private var stale = false
    private var closed = false

    /// Creates a cluster view; nothing connects until it is used.
    public init(config: ClientConfig, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                logger: Logger = Logger(label: "kafka-client")) {
        self.config = config
        self.group = group
        self.logger = logger
    }

    /// The last metadata fetched, if any.
    public var currentMetadata: ClusterMetadata? { cached }

    /// A connection to the broker with this node id (per the metadata).
    /// - Throws: ``KafkaClientError`` (`metadata`) for an unknown node, or `connection`.
    public func connection(toNode id: Int32) async throws -> BrokerConnection {
        var address = cached?.brokers[id]
        if address == nil {
            _ = try await metadata(refresh: true)
            address = cached?.brokers[id]
        }
        guard let address else {
            throw KafkaClientError(.metadata, "broker \(id) is not in the cluster metadata")
        }
        return try await connection(to: address)
    }

    /// A connection to any live broker: a known broker or, failing that, a bootstrap address.
    /// - Throws: ``KafkaClientError`` (`connection`) if none can be reached.
    public func anyConnection() async throws -> BrokerConnection {
        if let live = connections.values.first(where: \.isActive) { return live }
        var candidates = Array(cached?.brokers.values ?? [:].values)
        candidates += config.bootstrapServers.filter { !candidates.contains($0) }
        var lastError: (any Error)?
        for address in candidates {
            do {
                return try await connection(to: address)
            } catch let error as KafkaClientError where error.isFatal {
                throw error
            } catch {
                lastError = error
            }
        }
        throw KafkaClientError(
            .connection, "no broker reachable (tried \(candidates.map(\.description).joined(separator: ", ")))", cause: lastError)
    }

    /// A connection to an address, reusing a live one and respecting reconnect backoff.
    /// - Throws: ``KafkaClientError`` (`connection`, `closed`).
    public func connection(to address: BrokerAddress) async throws -> BrokerConnection {
        if closed { throw KafkaClientError(.closed, "the client is closed") }
        if let existing = connections[address], existing.isActive { return existing }
        if let pending = pendingConnects[address] { return try await pending.value }
        if let wait = backoff[address], wait.until > .now {
            try await Task.sleep(until: wait.until, clock: .continuous)
        }
        let config = self.config
        let group = self.group
        let task = Task { try await BrokerConnection.connect(to: address, config: config, group: group) }
        pendingConnects[address] = task
        defer { pendingConnects[address] = nil }
        do {
            let connection = try await task.value
            connections[address] = connection
            backoff[address] = nil
            return connection
        } catch {
            let previous = backoff[address]?.delay ?? .zero
            let delay = previous == .zero ? config.reconnectBackoff : min(previous * 2, config.reconnectBackoffMax)
            backoff[address] = (ContinuousClock.now + delay, delay)
            logger.debug("connect to \(address) failed: \(error); retry in \(delay)")
            throw error
        }
    }

    /// Marks the cached metadata stale so the next ``metadata(refresh:topics:)`` fetches it.
    public func invalidateMetadata() { stale = true }

    /// The cluster metadata, fetched if there is none, it is stale or too old, or
    /// `refresh` is set, or one of `topics` is unknown.
    ///
    /// - Parameters:
    ///   - refresh: fetch even if the cache looks fine.
    ///   - topics: topics that must be described (`nil`: all topics).
    /// - Throws: ``KafkaClientError`` if no broker answers.
    public func metadata(refresh: Bool = false, topics: [String]? = nil) async throws -> ClusterMetadata {
        if let cached, !refresh, !stale, let fetchedAt, ContinuousClock.now - fetchedAt < config.metadataMaxAge,
            topics?.allSatisfy({ cached.topics[$0] != nil }) ?? true
        {
            return cached
        }
        let request = MetadataRequest(
            topics: topics.map { $0.map { MetadataRequest.MetadataRequestTopic(name: $0) } }, allowAutoTopicCreation: false)
        var lastError: (any Error)?
        for _ in 0..<3 {
            do {
                let connection = try await anyConnection()
                let response = try await connection.send(request)
                let merged = ClusterMetadata(response, merging: topics == nil ? nil : cached)
                cached = merged
                fetchedAt = .now
                stale = false
                return merged
            } catch let error as KafkaClientError where error.isFatal {
                throw error
            } catch {
                lastError = error
                try await Task.sleep(for: config.retryBackoff)
            }
        }
        throw KafkaClientError(.metadata, "could not fetch metadata", cause: lastError)
    }

    /// The leader of a partition, refreshing metadata once if it is unknown.
    /// - Throws: ``KafkaError`` with the topic's or partition's error code, or
    ///   ``KafkaClientError`` (`metadata`) if the partition does not exist or has no leader.
    public func leader(topic: String, partition: Int32) async throws -> Int32 {
        for attempt in 0..<2 {
            let metadata = try await self.metadata(refresh: attempt > 0, topics: [topic])
            guard let topicMetadata = metadata.topics[topic] else { continue }
            if topicMetadata.error != .none {
                if attempt == 0 && topicMetadata.error.isRetriable { continue }
                throw KafkaError(topicMetadata.error, topic: topic)
            }
            guard let p = topicMetadata.partitions.first(where: { $0.id == partition }) else {
                throw KafkaClientError(.metadata, "\(topic) has no partition \(partition) (it has \(topicMetadata.partitions.count))")
            }
            if p.leader >= 0 { return p.leader }
        }
        throw KafkaClientError(.metadata, "no leader for \(topic)-\(partition)")
    }

    /// Closes every connection; further use fails with `closed`.
    public func close() async {
        closed = true
        for task in pendingConnects.values { task.cancel() }
        for connection in connections.values { await connection.close() }
        connections.removeAll()
    }
}
