import KafkaProtocol

extension BrokerCore {
    /// ApiVersions: the APIs and versions of ``BrokerApiVersions/table``.
    func handleApiVersions(_ request: ApiVersionsRequest, _ context: RequestContext) -> ApiVersionsResponse {
        ApiVersionsResponse(errorCode: 0, apiKeys: BrokerApiVersions.table.apiVersionsResponseKeys)
    }
}
