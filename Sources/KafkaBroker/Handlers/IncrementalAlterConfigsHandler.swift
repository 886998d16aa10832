import KafkaProtocol

extension BrokerCore {
    /// IncrementalAlterConfigs: SET (0), DELETE (1), APPEND (2) and SUBTRACT (3) on topic
    /// configs; the new values take effect at once (retention, segment size, flush policy...).
    func handleIncrementalAlterConfigs(_ request: IncrementalAlterConfigsRequest, _ context: RequestContext) -> IncrementalAlterConfigsResponse {
        var out: [IncrementalAlterConfigsResponse.AlterConfigsResourceResponse] = []
        for resource in request.resources {
            var response = IncrementalAlterConfigsResponse.AlterConfigsResourceResponse(
                errorCode: 0, errorMessage: nil, resourceType: resource.resourceType, resourceName: resource.resourceName)
            func fail(_ code: KafkaErrorCode, _ message: String) {
                response.errorCode = code.code
                response.errorMessage = message
            }
            guard resource.resourceType == 2 else {
                fail(.invalidRequest, "Only topic configs (resource type 2) can be altered")
                out.append(response)
                continue
            }
            guard let topic = topics[resource.resourceName] else {
                fail(.unknownTopicOrPartition, "Topic \(resource.resourceName) does not exist")
                out.append(response)
                continue
            }
            var updated = topic.config
            for change in resource.configs {
                if let problem = TopicConfig.validate(name: change.name, value: change.value) {
                    fail(.invalidConfig, problem)
                    break
                }
                let current = updated.value(change.name, brokerDefaults: config.topicDefaults) ?? ""
                var list = current.split(separator: ",").map(String.init).filter { !$0.isEmpty }
                switch change.configOperation {
                case 0: updated.overrides[change.name] = change.value
                case 1: updated.overrides[change.name] = nil
                case 2:
                    for item in (change.value ?? "").split(separator: ",").map(String.init) where !list.contains(item) { list.append(item) }
                    updated.overrides[change.name] = list.joined(separator: ",")
                case 3:
                    let remove = Set((change.value ?? "").split(separator: ",").map(String.init))
                    list.removeAll { remove.contains($0) }
                    updated.overrides[change.name] = list.joined(separator: ",")
                default:
                    fail(.invalidRequest, "Unknown config operation \(change.configOperation)")
                }
                if response.errorCode != 0 { break }
                if let value = updated.overrides[change.name], let problem = TopicConfig.validate(name: change.name, value: value) {
                    fail(.invalidConfig, problem)
                    break
                }
            }
            if response.errorCode == 0 && !request.validateOnly {
                do { try updateTopicConfig(topic.name, updated) } catch { fail(.kafkaStorageError, "\(error)") }
            }
            out.append(response)
        }
        return IncrementalAlterConfigsResponse(resources: out)
    }
}
