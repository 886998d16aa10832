import KafkaProtocol

extension KafkaAdmin {
    /// Looks up offsets with ListOffsets (v0-8), one request per leader broker, in parallel.
    ///
    /// NOT_LEADER_OR_FOLLOWER, LEADER_NOT_AVAILABLE and Kafka's other retriable codes (a
    /// leader that moved, an election) are retried after a metadata refresh.
    ///
    /// - Parameters:
    ///   - specs: what to look up, by partition.
    ///   - isolation: with ``IsolationLevel/readCommitted``, `latest` is the last stable offset.
    /// - Returns: the offsets, by partition.
    /// - Throws: ``KafkaError`` naming the topic and partition (UNKNOWN_TOPIC_OR_PARTITION for
    ///   a topic or partition that does not exist, ...); ``KafkaClientError``
    ///   `unsupportedVersion` for ``OffsetSpec/maxTimestamp`` on a broker without
    ///   ListOffsets v7, `timeout`.
    public func listOffsets(_ specs: [TopicPartition: OffsetSpec], isolation: IsolationLevel = .readUncommitted) async throws
        -> [TopicPartition: ListedOffset]
    {
        try await execute(
            "ListOffsets", Array(specs.keys), metadataTopics: Array(Set(specs.keys.map(\.topic))).sorted(),
            route: { metadata, fresh, tp in metadata.leaderRouting(tp, fresh: fresh) },
            send: { connection, partitions, _ in
                let version = try connection.version(for: ListOffsetsRequest.self)
                if version < 7, partitions.contains(where: { specs[$0] == .maxTimestamp }) {
                    throw KafkaClientError(
                        .unsupportedVersion, "OffsetSpec.maxTimestamp needs ListOffsets v7; the broker speaks v\(version)",
                        broker: connection.address.description)
                }
                let request = ListOffsetsRequest(
                    replicaId: -1, isolationLevel: isolation.rawValue,
                    topics: Self.grouped(partitions).map { topic, indices in
                        ListOffsetsRequest.ListOffsetsTopic(
                            name: topic,
                            partitions: indices.map {
                                ListOffsetsRequest.ListOffsetsPartition(
                                    partitionIndex: $0, timestamp: specs[TopicPartition(topic, $0)]?.wireTimestamp ?? -1)
                            })
                    })
                let response = try await connection.send(request, version: version)
                let broker = connection.address.description
                var outcomes: [TopicPartition: AdminOutcome<ListedOffset>] = [:]
                for topic in response.topics {
                    for p in topic.partitions {
                        let tp = TopicPartition(topic.name, p.partitionIndex)
                        let code = KafkaErrorCode(code: p.errorCode)
                        guard code == .none else {
                            let error = KafkaError(
                                code, broker: broker, api: "ListOffsets", topic: tp.topic, partition: tp.partition)
                            outcomes[tp] = code.isRetriable ? .retry(error) : .fail(error)
                            continue
                        }
                        let offset = version == 0 ? (p.oldStyleOffsets.first ?? -1) : p.offset
                        outcomes[tp] = .done(
                            ListedOffset(
                                offset: offset, timestamp: p.timestamp >= 0 ? p.timestamp : nil,
                                leaderEpoch: p.leaderEpoch >= 0 ? p.leaderEpoch : nil))
                    }
                }
                return outcomes
            })
    }

    /// Deletes the records before the given offsets with DeleteRecords (v0-1), one request
    /// per leader broker: the log start offset (low watermark) moves up to them. An offset of
    /// -1 deletes up to the high watermark (every record now in the partition).
    ///
    /// - Parameter beforeOffsets: the first offset to keep, by partition.
    /// - Returns: the new low watermark of each partition.
    /// - Throws: ``KafkaError`` naming the topic and partition (OFFSET_OUT_OF_RANGE for an
    ///   offset past the high watermark, POLICY_VIOLATION for a compacted topic, ...);
    ///   ``KafkaClientError`` `timeout`, `unsupportedVersion`.
    public func deleteRecords(_ beforeOffsets: [TopicPartition: Int64]) async throws -> [TopicPartition: Int64] {
        try await execute(
            "DeleteRecords", Array(beforeOffsets.keys), metadataTopics: Array(Set(beforeOffsets.keys.map(\.topic))).sorted(),
            route: { metadata, fresh, tp in metadata.leaderRouting(tp, fresh: fresh) },
            send: { connection, partitions, deadline in
                let request = DeleteRecordsRequest(
                    topics: Self.grouped(partitions).map { topic, indices in
                        DeleteRecordsRequest.DeleteRecordsTopic(
                            name: topic,
                            partitions: indices.map {
                                DeleteRecordsRequest.DeleteRecordsPartition(
                                    partitionIndex: $0, offset: beforeOffsets[TopicPartition(topic, $0)] ?? -1)
                            })
                    },
                    timeoutMs: Self.remainingMilliseconds(deadline))
                let response = try await connection.send(request)
                let broker = connection.address.description
                var outcomes: [TopicPartition: AdminOutcome<Int64>] = [:]
                for topic in response.topics {
                    for p in topic.partitions {
                        let tp = TopicPartition(topic.name, p.partitionIndex)
                        let code = KafkaErrorCode(code: p.errorCode)
                        if code == .none {
                            outcomes[tp] = .done(p.lowWatermark)
                        } else {
                            let error = KafkaError(
                                code, broker: broker, api: "DeleteRecords", topic: tp.topic, partition: tp.partition)
                            outcomes[tp] = code.isRetriable ? .retry(error) : .fail(error)
                        }
                    }
                }
                return outcomes
            })
    }

    /// Partitions grouped by topic, both sorted.
    static func grouped(_ partitions: [TopicPartition]) -> [(topic: String, partitions: [Int32])] {
        Dictionary(grouping: partitions, by: \.topic)
            .map { (topic: $0.key, partitions: $0.value.map(\.partition).sorted()) }
            .sorted { $0.topic < $1.topic }
    }
}
