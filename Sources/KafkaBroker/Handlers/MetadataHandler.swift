import KafkaProtocol

extension BrokerCore {
    /// Metadata: this broker as the only node and controller, and the requested topics (all
    /// when the list is null, or empty in v0). Unknown topics are created when both the
    /// broker (`autoCreateTopics`) and the request allow it.
    func handleMetadata(_ request: MetadataRequest, _ context: RequestContext) -> MetadataResponse {
        var names: [String]
        if let requested = request.topics, !(context.apiVersion == 0 && requested.isEmpty) {
            names = requested.map(\.name)
        } else {
            names = topics.keys.sorted()
        }
        var seen = Set<String>()
        names = names.filter { seen.insert($0).inserted }
        var result: [MetadataResponse.MetadataResponseTopic] = []
        for name in names {
            if topics[name] == nil, config.autoCreateTopics, request.allowAutoTopicCreation, request.topics != nil {
                _ = createTopic(name: name, partitions: -1, configs: [:])
            }
            guard let topic = topics[name] else {
                let code: KafkaErrorCode = Self.topicNameProblem(name) == nil ? .unknownTopicOrPartition : .invalidTopicException
                result.append(.init(errorCode: code.code, name: name, isInternal: false, partitions: []))
                continue
            }
            let partitions = topic.partitions.map { p in
                MetadataResponse.MetadataResponsePartition(
                    errorCode: 0, partitionIndex: p.index, leaderId: config.nodeId, leaderEpoch: 0,
                    replicaNodes: [config.nodeId], isrNodes: [config.nodeId], offlineReplicas: [])
            }
            result.append(.init(errorCode: 0, name: name, isInternal: topic.isInternal, partitions: partitions))
        }
        return MetadataResponse(
            brokers: [.init(nodeId: config.nodeId, host: advertisedHost, port: advertisedPort, rack: nil)],
            clusterId: clusterId, controllerId: config.nodeId, topics: result)
    }
}
