import KafkaProtocol
import NIOCore

/// A Fetch request being sent to one broker.
struct FetchPlan: Sendable {
    let node: Int32
    let request: FetchRequest
    /// The partitions in the request with their offsets and seek epochs when sent.
    let partitions: [TopicPartition: (offset: Int64, epoch: Int)]
}

extension KafkaConsumer {
    /// The fetcher: keeps one Fetch in flight per leader for partitions that need records.
    func fetcherLoop() async {
        await withDiscardingTaskGroup { group in
            while !closed {
                let (plans, refresh, wake) = planFetches()
                if refresh {
                    group.addTask { await self.refreshMetadata() }
                }
                for plan in plans {
                    group.addTask { await self.runFetch(plan) }
                }
                if let wake, fetcherTimer.map({ wake < $0 }) ?? true {
                    // One timer at a time: a later wake-up is covered by the earlier one.
                    fetcherTimer = wake
                    group.addTask {
                        try? await Task.sleep(until: wake, clock: .continuous)
                        await self.fetcherTimerFired(wake)
                    }
                }
                await waitForFetcherWork()
            }
            group.cancelAll()
        }
    }

    func wakeFetcher() {
        if let wakeup = fetcherWakeup {
            fetcherWakeup = nil
            wakeup.resume()
        } else {
            fetcherWakePending = true
        }
    }

    private func fetcherTimerFired(_ instant: ContinuousClock.Instant) {
        if fetcherTimer == instant { fetcherTimer = nil }
        wakeFetcher()
    }

    private func waitForFetcherWork() async {
        if fetcherWakePending {
            fetcherWakePending = false
            return
        }
        await withCheckedContinuation { fetcherWakeup = $0 }
        fetcherWakePending = false
    }

    /// Builds the Fetch requests that can go now (on the actor, so the partition states
    /// are consistent).
    private func planFetches() -> (plans: [FetchPlan], refresh: Bool, wake: ContinuousClock.Instant?) {
        let now = ContinuousClock.now
        var wake: ContinuousClock.Instant?
        func wakeAt(_ instant: ContinuousClock.Instant) { if wake.map({ instant < $0 }) ?? true { wake = instant } }
        var byNode: [Int32: [PartitionState]] = [:]
        var refresh = false
        for partition in order {
            guard let state = partitions[partition], !state.paused, !state.fetching, state.completed == nil,
                state.error == nil, state.position != nil
            else { continue }
            if let until = state.backoffUntil, now < until {
                wakeAt(until)
                continue
            }
            guard let leader = metadata?.partition(partition.topic, partition.partition)?.leader, leader >= 0 else {
                metadataWanted = true
                continue
            }
            byNode[leader, default: []].append(state)
        }
        if metadataWanted && !refreshingMetadata && !partitions.isEmpty {
            refreshingMetadata = true
            metadataWanted = false
            refresh = true
        }
        var plans: [FetchPlan] = []
        for (node, states) in byNode where !fetchingNodes.contains(node) {
            if let until = nodeBackoffUntil[node], now < until {
                wakeAt(until)
                continue
            }
            fetchingNodes.insert(node)
            var topics: [FetchRequest.FetchableTopic] = []
            var index: [String: Int] = [:]
            var sent: [TopicPartition: (offset: Int64, epoch: Int)] = [:]
            for state in states {
                guard let position = state.position else { continue }
                state.fetching = true
                sent[state.partition] = (position, state.epoch)
                let entry = FetchRequest.FetchPartition(
                    partitionIndex: state.partition.partition, currentLeaderEpoch: -1, fetchOffset: position,
                    logStartOffset: -1, maxBytes: Int32(clamping: config.maxPartitionFetchBytes))
                if let at = index[state.partition.topic] {
                    topics[at].fetchPartitions.append(entry)
                } else {
                    index[state.partition.topic] = topics.count
                    topics.append(FetchRequest.FetchableTopic(name: state.partition.topic, fetchPartitions: [entry]))
                }
            }
            let request = FetchRequest(
                replicaId: -1, maxWait: Int32(clamping: config.fetchMaxWait.milliseconds),
                minBytes: Int32(clamping: config.fetchMinBytes), maxBytes: Int32(clamping: config.fetchMaxBytes),
                isolationLevel: config.isolationLevel.rawValue, sessionId: 0, epoch: -1, topics: topics, forgotten: [])
            plans.append(FetchPlan(node: node, request: request, partitions: sent))
        }
        return (plans, refresh, wake)
    }

    private nonisolated func refreshMetadata() async {
        do {
            let topics = await fetchedTopics()
            let fresh = try await cluster.metadata(refresh: true, topics: topics)
            await metadataRefreshed(fresh)
        } catch {
            await metadataFailed(error)
        }
    }

    private func fetchedTopics() -> [String] { Array(Set(partitions.keys.map(\.topic))).sorted() }

    private func metadataRefreshed(_ fresh: ClusterMetadata) {
        metadata = fresh
        refreshingMetadata = false
        wakeFetcher()
    }

    private func metadataFailed(_ error: any Error) {
        logger.debug("metadata refresh failed: \(error)")
        refreshingMetadata = false
        metadataWanted = true
        for state in partitions.values where state.backoffUntil == nil {
            state.backoffUntil = .now + config.client.retryBackoff
        }
        wakeFetcher()
    }

    /// Sends one Fetch and hands the outcome to the actor.
    private nonisolated func runFetch(_ plan: FetchPlan) async {
        do {
            let connection = try await cluster.connection(toNode: plan.node)
            let version = try connection.version(for: FetchRequest.self)
            let response = try await connection.send(plan.request, version: version)
            await fetched(plan, response: response, broker: connection.address.description)
        } catch {
            await fetchFailed(plan, error)
        }
    }

    private func fetchFailed(_ plan: FetchPlan, _ error: any Error) {
        fetchingNodes.remove(plan.node)
        logger.debug("Fetch to node \(plan.node) failed: \(error)")
        let now = ContinuousClock.now
        for (partition, _) in plan.partitions { partitions[partition]?.fetching = false }
        if let clientError = error as? KafkaClientError, clientError.code == .unsupportedVersion {
            for (partition, _) in plan.partitions { partitions[partition]?.error = error }
            wakePoll()
        } else {
            nodeBackoffUntil[plan.node] = now + config.client.retryBackoff
            metadataWanted = true
        }
        wakeFetcher()
    }

    /// Applies a Fetch response: buffers records, handles partition errors.
    private func fetched(_ plan: FetchPlan, response: FetchResponse, broker: String) {
        fetchingNodes.remove(plan.node)
        nodeBackoffUntil[plan.node] = nil
        statistics.fetchRequests += 1
        defer { wakeFetcher() }
        for (partition, _) in plan.partitions { partitions[partition]?.fetching = false }
        let top = KafkaErrorCode(code: response.errorCode)
        if top != .none {
            logger.debug("Fetch from \(broker): \(top)")
            nodeBackoffUntil[plan.node] = .now + config.client.retryBackoff
            metadataWanted = true
            return
        }
        var gotData = false
        for topic in response.responses {
            for answer in topic.partitionResponses {
                let tp = TopicPartition(topic.topic, answer.partition)
                guard let sent = plan.partitions[tp], let state = partitions[tp], state.epoch == sent.epoch,
                    state.position == sent.offset
                else { continue }
                let code = KafkaErrorCode(code: answer.errorCode)
                switch code {
                case .none:
                    state.highWatermark = answer.highWatermark
                    state.lastStableOffset = answer.lastStableOffset
                    state.logStartOffset = answer.logStartOffset
                    state.backoffUntil = nil
                    if let records = answer.recordSet, records.readableBytes > 0 {
                        statistics.fetchedBytes += records.readableBytes
                        state.completed = CompletedFetch(
                            partition: tp, fetchOffset: sent.offset, records: records, verifyChecksums: config.checkCRCs,
                            readCommitted: config.isolationLevel == .readCommitted, aborted: answer.abortedTransactions)
                        gotData = true
                    }
                case .offsetOutOfRange:
                    logger.info(
                        "fetch position \(sent.offset) of \(tp) is out of range (auto.offset.reset=\(config.autoOffsetReset))")
                    if config.autoOffsetReset == .none {
                        state.error = KafkaError(
                            .offsetOutOfRange,
                            message:
                                "offset \(sent.offset) is out of range and auto.offset.reset is none; seek to a valid offset",
                            broker: broker, api: "Fetch", topic: tp.topic, partition: tp.partition)
                        gotData = true
                    } else {
                        state.position = nil
                        state.pendingReset = config.autoOffsetReset == .earliest ? .earliest : .latest
                        gotData = true
                    }
                case .notLeaderOrFollower, .unknownTopicOrPartition, .leaderNotAvailable, .fencedLeaderEpoch,
                    .unknownLeaderEpoch, .kafkaStorageError, .replicaNotAvailable, .offsetNotAvailable, .unknownTopicId,
                    .inconsistentTopicId:
                    metadataWanted = true
                    state.backoffUntil = .now + config.client.retryBackoff
                default:
                    if code.isRetriable {
                        state.backoffUntil = .now + config.client.retryBackoff
                    } else {
                        state.error = KafkaError(code, broker: broker, api: "Fetch", topic: tp.topic, partition: tp.partition)
                        gotData = true
                    }
                }
            }
        }
        if gotData { wakePoll() }
    }
}
