import KafkaProtocol

extension BrokerCore {
    /// OffsetFetch: committed offsets of one group (v0-7) or several (v8), for the given
    /// partitions or all of them; -1 where none is committed. With `requireStable`,
    /// partitions with offsets pending in an open transaction get UNSTABLE_OFFSET_COMMIT.
    func handleOffsetFetch(_ request: OffsetFetchRequest, _ context: RequestContext) -> OffsetFetchResponse {
        func lookup(_ groupId: String, _ requested: [(String, [Int32])]?) -> [(String, [(Int32, CommittedOffset?, KafkaErrorCode)])] {
            let group = groups.groups[groupId]
            let pending = Set(group?.pendingTransactionalOffsets.values.flatMap(\.keys) ?? [])
            let wanted: [(String, [Int32])]
            if let requested {
                wanted = requested
            } else {
                var byTopic: [String: [Int32]] = [:]
                for tp in (group?.offsets.keys).map(Array.init) ?? [] { byTopic[tp.topic, default: []].append(tp.partition) }
                wanted = byTopic.keys.sorted().map { ($0, byTopic[$0]!.sorted()) }
            }
            return wanted.map { topic, partitions in
                (
                    topic,
                    partitions.map { p in
                        let tp = TopicPartitionKey(topic: topic, partition: p)
                        let code: KafkaErrorCode = request.requireStable && pending.contains(tp) ? .unstableOffsetCommit : .none
                        return (p, code == .none ? group?.offsets[tp] : nil, code)
                    }
                )
            }
        }
        if context.apiVersion >= 8 {
            return OffsetFetchResponse(
                errorCode: 0,
                groupIds: request.groups.map { g in
                    .init(
                        groupId: g.groupId,
                        topics: lookup(g.groupId, g.topics?.map { ($0.name, $0.partitionIndexes) }).map { topic, parts in
                            .init(
                                name: topic,
                                partitions: parts.map { p, committed, code in
                                    .init(
                                        partitionIndex: p, committedOffset: committed?.offset ?? -1,
                                        committedLeaderEpoch: committed?.leaderEpoch ?? -1, metadata: committed?.metadata ?? "", errorCode: code.code)
                                })
                        }, errorCode: 0)
                })
        }
        return OffsetFetchResponse(
            topics: lookup(request.groupId, request.topics?.map { ($0.name, $0.partitionIndexes) }).map { topic, parts in
                .init(
                    name: topic,
                    partitions: parts.map { p, committed, code in
                        .init(
                            partitionIndex: p, committedOffset: committed?.offset ?? -1,
                            committedLeaderEpoch: context.apiVersion >= 5 ? committed?.leaderEpoch ?? -1 : -1,
                            metadata: committed?.metadata ?? "", errorCode: code.code)
                    })
            }, errorCode: 0)
    }
}
