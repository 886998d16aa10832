import KafkaProtocol

extension KafkaAdmin {
    /// Reads configurations with DescribeConfigs (v0-3): a topic's from any broker, a
    /// broker's from that broker.
    ///
    /// Brokers differ in what they list: Apache Kafka lists every entry with its source;
    /// tansu 0.6 lists only entries set explicitly on the topic.
    ///
    /// - Parameters:
    ///   - resources: topics and brokers.
    ///   - keys: only these entries (`nil`: all).
    /// - Returns: the entries of each resource, by name.
    /// - Throws: ``KafkaError`` naming the topic (UNKNOWN_TOPIC_OR_PARTITION, ...);
    ///   ``KafkaClientError`` `timeout`.
    public func describeConfigs(_ resources: [ConfigResource], keys: [String]? = nil) async throws -> [ConfigResource: [String:
        ConfigEntry]]
    {
        try await execute(
            "DescribeConfigs", Array(Set(resources)), metadataTopics: ConfigResource.metadataTopics(resources),
            route: { metadata, fresh, resource in resource.routing(metadata, fresh: fresh) },
            send: { connection, resources, _ in
                let version = try connection.version(for: DescribeConfigsRequest.self)
                let request = DescribeConfigsRequest(
                    resources: resources.map {
                        DescribeConfigsRequest.DescribeConfigsResource(
                            resourceType: $0.resourceType, resourceName: $0.resourceName, configurationKeys: keys)
                    })
                let response = try await connection.send(request, version: version)
                let broker = connection.address.description
                var outcomes: [ConfigResource: AdminOutcome<[String: ConfigEntry]>] = [:]
                for result in response.results {
                    guard
                        let resource = resources.first(where: {
                            $0.resourceType == result.resourceType && $0.resourceName == result.resourceName
                        })
                    else { continue }
                    let code = KafkaErrorCode(code: result.errorCode)
                    guard code == .none else {
                        let error = KafkaError(
                            code, message: result.errorMessage, broker: broker, api: "DescribeConfigs", topic: resource.topic)
                        outcomes[resource] = code == .notController ? .retry(error) : .fail(error)
                        continue
                    }
                    var entries: [String: ConfigEntry] = [:]
                    for config in result.configs {
                        entries[config.name] = ConfigEntry(config, version: version)
                    }
                    outcomes[resource] = .done(entries)
                }
                return outcomes
            })
    }

    /// Reads one resource's configuration; see ``describeConfigs(_:keys:)``.
    public func describeConfigs(_ resource: ConfigResource, keys: [String]? = nil) async throws -> [String: ConfigEntry] {
        try await describeConfigs([resource], keys: keys)[resource] ?? [:]
    }

    /// Changes configurations entry by entry with IncrementalAlterConfigs (v0): a topic's
    /// through any broker, a broker's at that broker. Entries not named keep their values.
    ///
    /// - Parameters:
    ///   - changes: the operations, by resource.
    ///   - validateOnly: only check that the changes are valid.
    /// - Throws: ``KafkaError`` naming the topic (INVALID_CONFIG for an unknown entry or bad
    ///   value, UNKNOWN_TOPIC_OR_PARTITION, ...); ``KafkaClientError`` `timeout`,
    ///   `unsupportedVersion` (brokers before Kafka 2.3).
    public func incrementalAlterConfigs(_ changes: [ConfigResource: [AlterConfigOp]], validateOnly: Bool = false) async throws {
        let _: [ConfigResource: Bool] = try await execute(
            "IncrementalAlterConfigs", Array(changes.keys), metadataTopics: ConfigResource.metadataTopics(changes.keys),
            route: { metadata, fresh, resource in resource.routing(metadata, fresh: fresh) },
            send: { connection, resources, _ in
                let request = IncrementalAlterConfigsRequest(
                    resources: resources.map { resource in
                        IncrementalAlterConfigsRequest.AlterConfigsResource(
                            resourceType: resource.resourceType, resourceName: resource.resourceName,
                            configs: (changes[resource] ?? []).map {
                                IncrementalAlterConfigsRequest.AlterableConfig(
                                    name: $0.name, configOperation: $0.operation, value: $0.value)
                            })
                    },
                    validateOnly: validateOnly)
                let response = try await connection.send(request)
                let broker = connection.address.description
                var outcomes: [ConfigResource: AdminOutcome<Bool>] = [:]
                for result in response.resources {
                    guard
                        let resource = resources.first(where: {
                            $0.resourceType == result.resourceType && $0.resourceName == result.resourceName
                        })
                    else { continue }
                    let code = KafkaErrorCode(code: result.errorCode)
                    let error = KafkaError(
                        code, message: result.errorMessage, broker: broker, api: "IncrementalAlterConfigs", topic: resource.topic)
                    switch code {
                    case .none: outcomes[resource] = .done(true)
                    case .notController: outcomes[resource] = .retry(error)
                    default: outcomes[resource] = .fail(error)
                    }
                }
                return outcomes
            })
    }

    /// Changes one resource's configuration; see ``incrementalAlterConfigs(_:validateOnly:)``.
    public func incrementalAlterConfigs(_ resource: ConfigResource, _ operations: [AlterConfigOp], validateOnly: Bool = false)
        async throws
    {
        try await incrementalAlterConfigs([resource: operations], validateOnly: validateOnly)
    }
}

extension ConfigEntry {
    init(_ config: DescribeConfigsResponse.DescribeConfigsResourceResult, version: Int16) {
        // v0 has an is-default flag and no source; v1+ has the source and no flag.
        let source: ConfigSource =
            version == 0 ? (config.isDefault ? .defaultConfig : .unknown) : ConfigSource(code: max(config.configSource, 0))
        self.init(
            name: config.name, value: config.value, source: source, isReadOnly: config.readOnly, isSensitive: config.isSensitive,
            isDefault: version == 0 ? config.isDefault : source == .defaultConfig)
    }
}
