import KafkaProtocol

extension KafkaConsumer {
    // MARK: - Committing

    /// The offsets ``commitSync(_:)`` commits by default: each assigned partition's
    /// position (the next record to consume), for partitions with a known position.
    public var consumedOffsets: [TopicPartition: OffsetAndMetadata] {
        var offsets: [TopicPartition: OffsetAndMetadata] = [:]
        for (partition, state) in partitions {
            if let position = state.position { offsets[partition] = OffsetAndMetadata(position, leaderEpoch: state.lastEpoch) }
        }
        return offsets
    }

    /// What a transactional producer needs to commit this consumer's offsets in a
    /// transaction (``KafkaProducer/sendOffsetsToTransaction(_:group:)``).
    /// - Throws: ``KafkaClientError`` `invalidConfig` without a `group.id`.
    public func groupMetadata() throws -> ConsumerGroupMetadata {
        guard let groupID = config.groupID else { throw KafkaClientError(.invalidConfig, "the consumer has no group.id") }
        return ConsumerGroupMetadata(
            groupID: groupID, generationID: generation, memberID: memberID, groupInstanceID: config.groupInstanceID)
    }

    /// Commits offsets to the group and waits for the result (OffsetCommit to the group
    /// coordinator, retried while the coordinator moves, up to `default.api.timeout.ms`).
    ///
    /// - Parameter offsets: the next offset to consume per partition; `nil` for
    ///   ``consumedOffsets``.
    /// - Throws: ``KafkaClientError`` `rebalance` when the group has moved to a new
    ///   generation without this member (the partitions may be someone else's now; Java's
    ///   `CommitFailedException`), `invalidConfig` without a `group.id`, `timeout`;
    ///   ``KafkaError`` for a partition error (OFFSET_METADATA_TOO_LARGE, ...).
    public func commitSync(_ offsets: [TopicPartition: OffsetAndMetadata]? = nil) async throws {
        try checkOpen()
        let offsets = offsets ?? consumedOffsets
        if offsets.isEmpty { return }
        try await commit(offsets, deadline: .now + config.defaultApiTimeout)
    }

    /// Commits offsets in the background; `completion` gets the outcome (on the consumer's
    /// actor). ``close()`` waits for commits in progress.
    /// - Parameters:
    ///   - offsets: as ``commitSync(_:)``.
    ///   - completion: called with `nil` on success or the error ``commitSync(_:)`` would throw.
    public func commitAsync(
        _ offsets: [TopicPartition: OffsetAndMetadata]? = nil,
        completion: (@Sendable ([TopicPartition: OffsetAndMetadata], (any Error)?) -> Void)? = nil
    ) {
        let offsets = offsets ?? consumedOffsets
        guard !offsets.isEmpty, !closed, config.groupID != nil else {
            completion?(offsets, closed ? KafkaClientError(.closed, "the consumer is closed") : nil)
            return
        }
        let id = nextCommitID
        nextCommitID &+= 1
        // One task per asynchronous commit: the caller does not wait, close() does.
        asyncCommits[id] = Task {
            var failure: (any Error)?
            do { try await self.commit(offsets, deadline: .now + self.config.defaultApiTimeout) } catch { failure = error }
            self.asyncCommitDone(id, offsets, failure, completion)
        }
    }

    private func asyncCommitDone(
        _ id: UInt64, _ offsets: [TopicPartition: OffsetAndMetadata], _ error: (any Error)?,
        _ completion: (@Sendable ([TopicPartition: OffsetAndMetadata], (any Error)?) -> Void)?
    ) {
        asyncCommits[id] = nil
        if let error { logger.warning("asynchronous commit failed: \(error)") }
        completion?(offsets, error)
    }

    /// Commits ``consumedOffsets`` in the background when auto-commit is on and due.
    func maybeAutoCommit() {
        guard config.enableAutoCommit, config.groupID != nil, ContinuousClock.now >= nextAutoCommit else { return }
        nextAutoCommit = .now + config.autoCommitInterval
        if isGroupSubscription && (generation < 0 || needsRejoin) { return }
        commitAsync()
    }

    /// Sends OffsetCommit and interprets the answer.
    func commit(_ offsets: [TopicPartition: OffsetAndMetadata], deadline: ContinuousClock.Instant) async throws {
        guard let coordinator, let groupID = config.groupID else {
            throw KafkaClientError(.invalidConfig, "committing offsets needs a group.id")
        }
        let group = isGroupSubscription
        let request = OffsetCommitRequest(
            groupId: groupID, generationIdOrMemberEpoch: group ? generation : -1, memberId: group ? memberID : "",
            groupInstanceId: group ? config.groupInstanceID : nil, retentionTimeMs: -1,
            topics: ConsumerProtocol.grouped(Array(offsets.keys)).map { topic, indices in
                OffsetCommitRequest.OffsetCommitRequestTopic(
                    name: topic,
                    partitions: indices.map { index in
                        let offset = offsets[TopicPartition(topic, index)]!
                        return OffsetCommitRequest.OffsetCommitRequestPartition(
                            partitionIndex: index, committedOffset: offset.offset, committedLeaderEpoch: offset.leaderEpoch,
                            committedMetadata: offset.metadata ?? "")
                    })
            })
        let response = try await coordinator.send(
            request, api: "OffsetCommit", deadline: deadline,
            coordinatorError: { response in
                for topic in response.topics {
                    for p in topic.partitions where CoordinatorLink.isCoordinatorError(KafkaErrorCode(code: p.errorCode)) {
                        return KafkaErrorCode(code: p.errorCode)
                    }
                }
                return .none
            })
        for topic in response.topics {
            for p in topic.partitions where p.errorCode != 0 {
                let code = KafkaErrorCode(code: p.errorCode)
                switch code {
                case .rebalanceInProgress:
                    needsRejoin = true
                    throw KafkaClientError(
                        .rebalance, "offsets cannot be committed while the group rebalances; poll to rejoin, then commit",
                        cause: KafkaError(code, api: "OffsetCommit", topic: topic.name, partition: p.partitionIndex))
                case .unknownMemberId, .illegalGeneration:
                    resetGeneration(lost: true, clearMemberID: code == .unknownMemberId)
                    throw KafkaClientError(
                        .rebalance,
                        "the commit failed: the group rebalanced without this member (\(code.name)), so its partitions may be another member's now",
                        cause: KafkaError(code, api: "OffsetCommit", topic: topic.name, partition: p.partitionIndex))
                case .fencedInstanceId:
                    let error = KafkaError(code, api: "OffsetCommit", topic: topic.name, partition: p.partitionIndex)
                    fatalError = error
                    throw error
                default:
                    throw KafkaError(code, api: "OffsetCommit", topic: topic.name, partition: p.partitionIndex)
                }
            }
        }
        statistics.commits += 1
    }

    /// The last committed offsets of partitions (OffsetFetch); partitions with no commit
    /// are left out.
    /// - Throws: ``KafkaClientError`` `invalidConfig` without a `group.id`, `timeout`;
    ///   ``KafkaError`` for an error code in the answer.
    public func committed(_ partitions: Set<TopicPartition>) async throws -> [TopicPartition: OffsetAndMetadata] {
        try checkOpen()
        guard let coordinator, let groupID = config.groupID else {
            throw KafkaClientError(.invalidConfig, "committed offsets need a group.id")
        }
        return try await GroupOffsets.fetch(
            coordinator: coordinator, group: groupID, partitions: partitions,
            requireStable: config.isolationLevel == .readCommitted, deadline: .now + config.defaultApiTimeout)
    }

    // MARK: - Starting positions

    /// Gives every partition without a position one: its committed offset (with a group id,
    /// for partitions with no pending reset), else the reset policy's offset (ListOffsets).
    func updatePositions(deadline: ContinuousClock.Instant) async throws {
        let missing = partitions.values.filter { $0.position == nil && $0.error == nil }
        if missing.isEmpty { return }
        var resets: [TopicPartition: OffsetSpec] = [:]
        let lookup = Set(missing.filter { $0.pendingReset == nil }.map(\.partition))
        var committed: [TopicPartition: OffsetAndMetadata] = [:]
        if !lookup.isEmpty, let coordinator, let groupID = config.groupID {
            committed = try await GroupOffsets.fetch(
                coordinator: coordinator, group: groupID, partitions: lookup,
                requireStable: config.isolationLevel == .readCommitted, deadline: deadline)
        }
        for state in missing {
            if let spec = state.pendingReset {
                resets[state.partition] = spec
            } else if let offset = committed[state.partition], offset.offset >= 0 {
                // Only if nothing moved the partition meanwhile.
                if partitions[state.partition] === state && state.position == nil {
                    state.position = offset.offset
                    state.lastEpoch = offset.leaderEpoch
                }
            } else {
                switch config.autoOffsetReset {
                case .earliest: resets[state.partition] = .earliest
                case .latest: resets[state.partition] = .latest
                case .none:
                    state.error = KafkaClientError(
                        .illegalState,
                        "\(state.partition) has no committed offset and auto.offset.reset is none: seek to an offset first")
                }
            }
        }
        if !resets.isEmpty {
            let found = try await admin.listOffsets(resets, isolation: config.isolationLevel)
            for (partition, listed) in found {
                guard let state = partitions[partition], state.position == nil else { continue }
                state.position = listed.offset
                state.pendingReset = nil
            }
        }
        wakeFetcher()
    }
}
