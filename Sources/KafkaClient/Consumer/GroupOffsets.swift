import KafkaProtocol

/// Reading a group's committed offsets (OffsetFetch v0-8), shared by the consumer and the
/// admin client.
enum GroupOffsets {
    /// The committed offsets of `partitions` (`nil`: every partition the group has offsets
    /// for; needs OffsetFetch v2+). Partitions with no commit (offset -1) are left out.
    ///
    /// UNSTABLE_OFFSET_COMMIT (a transaction that commits offsets is still open, with
    /// `requireStable`) is retried until `deadline`.
    /// - Throws: ``KafkaError`` for a group or partition error code, ``KafkaClientError``.
    static func fetch(
        coordinator: CoordinatorLink, group: String, partitions: Set<TopicPartition>?, requireStable: Bool,
        deadline: ContinuousClock.Instant
    ) async throws -> [TopicPartition: OffsetAndMetadata] {
        let grouped = partitions.map { ConsumerProtocol.grouped(Array($0)) }
        var backoff = Duration.milliseconds(50)
        while true {
            let (response, version) = try await coordinator.send(
                api: "OffsetFetch", deadline: deadline,
                build: { version -> OffsetFetchRequest in
                    if version >= 8 {
                        return OffsetFetchRequest(
                            groups: [
                                .init(
                                    groupId: group,
                                    topics: grouped?.map { .init(name: $0.topic, partitionIndexes: $0.partitions) })
                            ], requireStable: requireStable)
                    }
                    if grouped == nil && version < 2 {
                        throw KafkaClientError(.unsupportedVersion, "listing all of a group's offsets needs OffsetFetch v2")
                    }
                    return OffsetFetchRequest(
                        groupId: group, topics: grouped?.map { .init(name: $0.topic, partitionIndexes: $0.partitions) },
                        requireStable: version >= 7 && requireStable)
                },
                coordinatorError: { response, version in
                    KafkaErrorCode(code: version >= 8 ? (response.groupIds.first?.errorCode ?? 0) : response.errorCode)
                })
            var result: [TopicPartition: OffsetAndMetadata] = [:]
            var unstable = false
            func take(_ topic: String, _ index: Int32, _ offset: Int64, _ epoch: Int32, _ metadata: String?, _ code: Int16) throws
            {
                let error = KafkaErrorCode(code: code)
                if error == .unstableOffsetCommit {
                    unstable = true
                    return
                }
                if error != .none { throw KafkaError(error, api: "OffsetFetch", topic: topic, partition: index) }
                if offset >= 0 {
                    result[TopicPartition(topic, index)] = OffsetAndMetadata(
                        offset, metadata: metadata?.isEmpty == true ? nil : metadata, leaderEpoch: epoch)
                }
            }
            if version >= 8 {
                guard let answer = response.groupIds.first else {
                    throw KafkaClientError(.protocolViolation, "OffsetFetch answered without the group \(group)")
                }
                if answer.errorCode != 0 { throw KafkaError(code: answer.errorCode, api: "OffsetFetch") }
                for topic in answer.topics {
                    for p in topic.partitions {
                        try take(topic.name, p.partitionIndex, p.committedOffset, p.committedLeaderEpoch, p.metadata, p.errorCode)
                    }
                }
            } else {
                if response.errorCode != 0 { throw KafkaError(code: response.errorCode, api: "OffsetFetch") }
                for topic in response.topics {
                    for p in topic.partitions {
                        try take(topic.name, p.partitionIndex, p.committedOffset, p.committedLeaderEpoch, p.metadata, p.errorCode)
                    }
                }
            }
            if !unstable { return result }
            if ContinuousClock.now + backoff > deadline {
                throw KafkaClientError(
                    .timeout, "the committed offsets of \(group) stayed unstable (an open transaction commits them)",
                    cause: KafkaError(.unstableOffsetCommit, api: "OffsetFetch"))
            }
            try await Task.sleep(for: backoff)
            backoff = min(backoff * 2, .seconds(1))
        }
    }
}
