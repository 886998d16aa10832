import KafkaProtocol

extension BrokerCore {
    /// CreateTopics: creates each topic with its partition count (-1: the broker default)
    /// and configs; replication factor must be -1 or 1 and manual assignments name this node.
    func handleCreateTopics(_ request: CreateTopicsRequest, _ context: RequestContext) -> CreateTopicsResponse {
        var results: [CreateTopicsResponse.CreatableTopicResult] = []
        var seen: [String: Int] = [:]
        for topic in request.topics { seen[topic.name, default: 0] += 1 }
        for topic in request.topics {
            var code = KafkaErrorCode.none
            var message: String?
            if seen[topic.name]! > 1 {
                (code, message) = (.invalidRequest, "Duplicate topic name \(topic.name) in the request")
            } else if topic.replicationFactor != -1 && topic.replicationFactor != 1 && topic.assignments.isEmpty {
                (code, message) = (.invalidReplicationFactor, "Replication factor \(topic.replicationFactor) is larger than the 1 available broker")
            } else if !topic.assignments.isEmpty && (topic.numPartitions != -1 || topic.replicationFactor != -1) {
                (code, message) = (.invalidRequest, "Both replica assignments and partitions/replication factor were given")
            } else if topic.assignments.contains(where: { $0.brokerIds != [config.nodeId] }) {
                (code, message) = (.invalidReplicaAssignment, "Replica assignments must name only broker \(config.nodeId)")
            } else {
                var configs: [String: String] = [:]
                for entry in topic.configs { if let value = entry.value { configs[entry.name] = value } }
                let count = topic.assignments.isEmpty ? topic.numPartitions : Int32(topic.assignments.count)
                (code, message) = createTopic(name: topic.name, partitions: count, configs: configs, validateOnly: request.validateOnly)
            }
            results.append(.init(name: topic.name, errorCode: code.code, errorMessage: context.apiVersion >= 1 ? message : nil))
        }
        return CreateTopicsResponse(topics: results)
    }
}
