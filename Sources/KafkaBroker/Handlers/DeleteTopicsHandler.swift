import KafkaProtocol

extension BrokerCore {
    /// DeleteTopics: removes topics (by name, or by id in v6) and their files.
    func handleDeleteTopics(_ request: DeleteTopicsRequest, _ context: RequestContext) -> DeleteTopicsResponse {
        var results: [DeleteTopicsResponse.DeletableTopicResult] = []
        if context.apiVersion >= 6 {
            for entry in request.topics {
                var name = entry.name
                if name == nil, entry.topicId != .zero { name = topics.values.first { $0.id == entry.topicId }?.name }
                guard let name else {
                    results.append(.init(name: nil, topicId: entry.topicId, errorCode: KafkaErrorCode.unknownTopicId.code, errorMessage: nil))
                    continue
                }
                let id = topics[name]?.id ?? entry.topicId
                results.append(.init(name: name, topicId: id, errorCode: deleteTopic(name: name).code, errorMessage: nil))
            }
        } else {
            for name in request.topicNames {
                results.append(.init(name: name, errorCode: deleteTopic(name: name).code, errorMessage: nil))
            }
        }
        return DeleteTopicsResponse(responses: results)
    }
}
