import KafkaProtocol

extension BrokerCore {
    /// CreatePartitions: raises topics' partition counts.
    func handleCreatePartitions(_ request: CreatePartitionsRequest, _ context: RequestContext) -> CreatePartitionsResponse {
        CreatePartitionsResponse(
            results: request.topics.map { topic in
                let (code, message) = addPartitions(topic: topic.name, count: topic.count, validateOnly: request.validateOnly)
                return .init(name: topic.name, errorCode: code.code, errorMessage: message)
            })
    }
}
