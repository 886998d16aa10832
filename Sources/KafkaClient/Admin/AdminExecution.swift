import KafkaProtocol

/// Where one request of an admin operation goes.
enum AdminRoute: Hashable, Sendable {
    /// The broker with this node id (a leader, the controller, a broker whose configs are asked).
    case node(Int32)
    /// Any live broker.
    case anyBroker
}

/// What to do with one key of an operation, decided from the metadata.
enum AdminRouting: Sendable {
    /// Send it there.
    case send(AdminRoute)
    /// Not now (no leader, no controller, metadata not there yet); retry after a refresh.
    case retry(any Error)
    /// Give up: the error is final.
    case fail(any Error)
}

/// The result for one key in one response.
enum AdminOutcome<Value: Sendable>: Sendable {
    /// Done, with this value.
    case done(Value)
    /// A retriable error: refresh metadata and send it again.
    case retry(any Error)
    /// A final error.
    case fail(any Error)
}

/// Thrown inside an operation when ``AdminConfig/defaultApiTimeout`` has passed.
struct AdminDeadlineExceeded: Error {}

extension KafkaAdmin {
    /// Runs an admin operation over `keys` (topics, partitions, resources): routes each key
    /// from the metadata, sends one request per destination in parallel, and retries the keys
    /// whose outcome or request failed retriably, after refreshing metadata and a backoff,
    /// until every key is done, one failed finally (thrown, first in key order), or the
    /// deadline passed (``KafkaClientError`` `timeout`, caused by the last retriable error).
    ///
    /// - Parameters:
    ///   - api: the API name, for errors and logs.
    ///   - metadataTopics: topics whose metadata the routing needs (`[]`: brokers and
    ///     controller only); `nil` when routing needs no metadata.
    ///   - route: where a key goes; `fresh` is true when the metadata was just fetched.
    ///   - send: sends the keys for one destination and reads the outcome of each.
    func execute<Key: Hashable & Comparable & Sendable & CustomStringConvertible, Value: Sendable>(
        _ api: String,
        _ keys: [Key],
        metadataTopics: [String]?,
        route: @escaping @Sendable (_ metadata: ClusterMetadata, _ fresh: Bool, _ key: Key) -> AdminRouting,
        send:
            @escaping @Sendable (_ connection: BrokerConnection, _ keys: [Key], _ deadline: ContinuousClock.Instant) async throws
            -> [Key: AdminOutcome<Value>]
    ) async throws -> [Key: Value] {
        let deadline = ContinuousClock.now + config.defaultApiTimeout
        var pending = Set(keys)
        var done: [Key: Value] = [:]
        var lastError: (any Error)?
        var round = 0
        let cluster = self.cluster
        while !pending.isEmpty {
            if round > 0 {
                await cluster.invalidateMetadata()
                let delay = backoff(afterRound: round)
                guard ContinuousClock.now + delay < deadline else {
                    throw timeoutError(api, pending: pending, lastError: lastError)
                }
                cluster.logger.debug(
                    "\(api): retrying \(pending.count) item(s) in \(delay) after \(lastError.map { "\($0)" } ?? "no error")")
                try await Task.sleep(for: delay)
            }
            round += 1

            // Route every pending key.
            var metadata = ClusterMetadata()
            var fresh = false
            if let metadataTopics {
                let refresh = round > 1
                do {
                    metadata = try await withDeadline(deadline) {
                        try await cluster.metadata(refresh: refresh, topics: metadataTopics)
                    }
                    fresh = refresh
                } catch is AdminDeadlineExceeded {
                    throw timeoutError(api, pending: pending, lastError: lastError)
                } catch  where Self.isRetriable(error) {
                    lastError = error
                    continue
                }
            } else if let current = await cluster.currentMetadata {
                metadata = current
            }
            var batches: [AdminRoute: [Key]] = [:]
            var failures: [Key: any Error] = [:]
            for key in pending.sorted() {
                switch route(metadata, fresh, key) {
                case .send(let destination): batches[destination, default: []].append(key)
                case .retry(let error): lastError = error
                case .fail(let error): failures[key] = error
                }
            }
            if let first = failures.keys.min(), let error = failures[first] { throw error }

            // One request per destination, in parallel.
            let results = await withTaskGroup(
                of: (keys: [Key], result: Result<[Key: AdminOutcome<Value>], any Error>).self
            ) { group in
                for (destination, batch) in batches {
                    group.addTask {
                        do {
                            let outcomes = try await Self.withDeadline(deadline) {
                                let connection: BrokerConnection
                                switch destination {
                                case .node(let id): connection = try await cluster.connection(toNode: id)
                                case .anyBroker: connection = try await cluster.anyConnection()
                                }
                                return try await send(connection, batch, deadline)
                            }
                            return (batch, .success(outcomes))
                        } catch {
                            return (batch, .failure(error))
                        }
                    }
                }
                var all: [(keys: [Key], result: Result<[Key: AdminOutcome<Value>], any Error>)] = []
                for await result in group { all.append(result) }
                return all
            }
            var deadlinePassed = false
            for (batch, result) in results {
                switch result {
                case .failure(let error):
                    if error is AdminDeadlineExceeded {
                        deadlinePassed = true
                    } else if Self.isRetriable(error) {
                        lastError = error
                    } else {
                        throw error
                    }
                case .success(let outcomes):
                    for key in batch {
                        switch outcomes[key] {
                        case .done(let value)?:
                            done[key] = value
                            pending.remove(key)
                        case .retry(let error)?: lastError = error
                        case .fail(let error)?: failures[key] = error
                        case nil:
                            lastError = KafkaClientError(.protocolViolation, "the \(api) response has no result for \(key)")
                        }
                    }
                }
            }
            if let first = failures.keys.min(), let error = failures[first] { throw error }
            if deadlinePassed && !pending.isEmpty { throw timeoutError(api, pending: pending, lastError: lastError) }
        }
        return done
    }

    /// Runs one request to any broker, with the same retries (for operations that are not
    /// per topic or partition).
    func executeOnce<Value: Sendable>(
        _ api: String,
        send:
            @escaping @Sendable (_ connection: BrokerConnection, _ deadline: ContinuousClock.Instant) async throws ->
            AdminOutcome<Value>
    ) async throws -> Value {
        let results: [Int: Value] = try await execute(
            api, [0], metadataTopics: nil, route: { _, _, _ in .send(.anyBroker) },
            send: { connection, _, deadline in [0: try await send(connection, deadline)] })
        guard let value = results[0] else { throw KafkaClientError(.protocolViolation, "\(api) returned nothing") }
        return value
    }

    /// The wait before retry `round`: `retry.backoff.ms` doubling up to `retry.backoff.max.ms`.
    func backoff(afterRound round: Int) -> Duration {
        var delay = config.client.retryBackoff
        for _ in 1..<max(round, 1) {
            if delay >= config.retryBackoffMax { break }
            delay = delay * 2
        }
        return min(delay, max(config.retryBackoffMax, config.client.retryBackoff))
    }

    func timeoutError<Key: Comparable & CustomStringConvertible>(_ api: String, pending: Set<Key>, lastError: (any Error)?)
        -> KafkaClientError
    {
        let keys = pending.sorted()
        var list = keys.prefix(5).map(\.description).joined(separator: ", ")
        if keys.count > 5 { list += " and \(keys.count - 5) more" }
        let what = Key.self == Int.self ? "" : " for \(list)"
        return KafkaClientError(
            .timeout,
            "\(api) did not complete\(what) within \(config.defaultApiTimeout.milliseconds) ms (default.api.timeout.ms)"
                + (lastError == nil ? "" : "; the last attempt failed with the cause below"),
            cause: lastError)
    }

    /// Whether an error thrown by a request is worth retrying: lost connections, request
    /// timeouts, metadata not (yet) available, and retriable broker error codes; not a
    /// closed client, an unsupported version or a malformed response.
    static func isRetriable(_ error: any Error) -> Bool {
        var current: (any Error)? = error
        while let e = current {
            if let client = e as? KafkaClientError {
                if client.code == .closed { return false }
                current = client.cause
            } else {
                current = nil
            }
        }
        if let client = error as? KafkaClientError {
            return client.code == .connection || client.code == .timeout || client.code == .metadata
        }
        if let kafka = error as? KafkaError { return kafka.isRetriable }
        return false
    }

    /// Runs `operation`, but returns (throwing ``AdminDeadlineExceeded``) at `deadline` even
    /// if it has not finished: a request in flight keeps its connection until its own
    /// `request.timeout.ms`, but the caller does not wait for it.
    static func withDeadline<T: Sendable>(
        _ deadline: ContinuousClock.Instant, _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        if deadline <= .now { throw AdminDeadlineExceeded() }
        let (stream, continuation) = AsyncThrowingStream<T, any Error>.makeStream(bufferingPolicy: .bufferingOldest(1))
        // Two racing tasks; the stream keeps whichever finishes first and drops the other.
        let work = Task {
            do {
                continuation.yield(try await operation())
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        let timer = Task {
            if (try? await Task.sleep(until: deadline, clock: .continuous)) != nil {
                continuation.finish(throwing: AdminDeadlineExceeded())
            }
        }
        defer {
            work.cancel()
            timer.cancel()
        }
        for try await value in stream { return value }
        throw CancellationError()
    }

    func withDeadline<T: Sendable>(_ deadline: ContinuousClock.Instant, _ operation: @escaping @Sendable () async throws -> T)
        async throws -> T
    {
        try await Self.withDeadline(deadline, operation)
    }

    /// Milliseconds left until `deadline`, for a request's own `timeoutMs` field.
    static func remainingMilliseconds(_ deadline: ContinuousClock.Instant) -> Int32 {
        Int32(clamping: max((deadline - .now).milliseconds, 1))
    }
}

extension ClusterMetadata {
    /// Where a partition's leader-only request goes, or why it cannot go yet.
    func leaderRouting(_ tp: TopicPartition, fresh: Bool) -> AdminRouting {
        guard let topic = topics[tp.topic] else {
            return .retry(
                KafkaError(.unknownTopicOrPartition, message: "not in the metadata yet", topic: tp.topic, partition: tp.partition)
            )
        }
        if topic.error != .none {
            if topic.error == .unknownTopicOrPartition {
                // Cached metadata may predate the topic; fresh metadata is the answer.
                let error = KafkaError(
                    .unknownTopicOrPartition, message: "the topic does not exist", api: "Metadata", topic: tp.topic,
                    partition: tp.partition)
                return fresh ? .fail(error) : .retry(error)
            }
            let error = KafkaError(topic.error, api: "Metadata", topic: tp.topic, partition: tp.partition)
            return topic.error.isRetriable ? .retry(error) : .fail(error)
        }
        guard let partition = topic.partitions.first(where: { $0.id == tp.partition }) else {
            let error = KafkaError(
                .unknownTopicOrPartition, message: "the topic has \(topic.partitions.count) partition(s)", topic: tp.topic,
                partition: tp.partition)
            return fresh ? .fail(error) : .retry(error)
        }
        guard partition.leader >= 0 else {
            return .retry(KafkaError(.leaderNotAvailable, api: "Metadata", topic: tp.topic, partition: tp.partition))
        }
        return .send(.node(partition.leader))
    }

    /// Where a controller request goes, or why it cannot go yet.
    var controllerRouting: AdminRouting {
        if controllerID >= 0, brokers[controllerID] != nil { return .send(.node(controllerID)) }
        let known = brokers.keys.sorted().map(String.init).joined(separator: ", ")
        return .retry(
            KafkaClientError(
                .metadata,
                "no controller: the metadata reports controller id \(controllerID), which is not one of the brokers (\(known))"))
    }
}
