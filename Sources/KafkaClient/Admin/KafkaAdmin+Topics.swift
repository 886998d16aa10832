import KafkaProtocol

extension KafkaAdmin {
    /// Creates topics, with one CreateTopics request to the controller (v0-3).
    ///
    /// NOT_CONTROLLER (the controller moved) and lost connections are retried after a
    /// metadata refresh; a cluster that reports no controller is retried until the timeout.
    ///
    /// - Parameters:
    ///   - topics: the topics, with partitions, replication factor, configs.
    ///   - validateOnly: only check that they could be created (CreateTopics v1+).
    ///   - ifNotExists: report a topic that exists already as ``TopicCreation/alreadyExists``
    ///     instead of throwing TOPIC_ALREADY_EXISTS.
    /// - Returns: what happened to each topic, by name.
    /// - Throws: ``KafkaError`` naming the topic for a per-topic error (TOPIC_ALREADY_EXISTS,
    ///   INVALID_PARTITIONS, INVALID_REPLICATION_FACTOR, INVALID_CONFIG, POLICY_VIOLATION,
    ///   ...) or a topic listed twice (INVALID_REQUEST); ``KafkaClientError`` `timeout` when
    ///   no controller accepted it within ``AdminConfig/defaultApiTimeout``,
    ///   `unsupportedVersion` when the broker has no CreateTopics.
    @discardableResult
    public func createTopics(_ topics: [NewTopic], validateOnly: Bool = false, ifNotExists: Bool = false) async throws -> [String:
        TopicCreation]
    {
        var byName: [String: NewTopic] = [:]
        for topic in topics {
            guard byName.updateValue(topic, forKey: topic.name) == nil else {
                throw KafkaError(.invalidRequest, message: "the topic is listed twice", api: "CreateTopics", topic: topic.name)
            }
        }
        let requested = byName
        return try await execute(
            "CreateTopics", Array(byName.keys), metadataTopics: [],
            route: { metadata, _, _ in metadata.controllerRouting },
            send: { connection, names, deadline in
                let request = CreateTopicsRequest(
                    topics: names.compactMap { requested[$0] }.map(\.creatable),
                    timeoutMs: Self.remainingMilliseconds(deadline), validateOnly: validateOnly)
                let response = try await connection.send(request)
                let broker = connection.address.description
                var outcomes: [String: AdminOutcome<TopicCreation>] = [:]
                for result in response.topics {
                    let code = KafkaErrorCode(code: result.errorCode)
                    let error = KafkaError(
                        code, message: result.errorMessage, broker: broker, api: "CreateTopics", topic: result.name)
                    switch code {
                    case .none: outcomes[result.name] = .done(validateOnly ? .validated : .created)
                    case .topicAlreadyExists where ifNotExists: outcomes[result.name] = .done(.alreadyExists)
                    case .notController: outcomes[result.name] = .retry(error)
                    default: outcomes[result.name] = .fail(error)
                    }
                }
                return outcomes
            })
    }

    /// Creates one topic; see ``createTopics(_:validateOnly:ifNotExists:)``.
    @discardableResult
    public func createTopic(_ topic: NewTopic, validateOnly: Bool = false, ifNotExists: Bool = false) async throws
        -> TopicCreation
    {
        let results = try await createTopics([topic], validateOnly: validateOnly, ifNotExists: ifNotExists)
        return results[topic.name] ?? .created
    }

    /// Deletes topics and their records, with one DeleteTopics request to the controller
    /// (v1-6; by name).
    ///
    /// - Parameters:
    ///   - names: the topics.
    ///   - ifExists: ignore topics that do not exist instead of throwing
    ///     UNKNOWN_TOPIC_OR_PARTITION.
    /// - Throws: ``KafkaError`` naming the topic (UNKNOWN_TOPIC_OR_PARTITION,
    ///   TOPIC_DELETION_DISABLED, TOPIC_AUTHORIZATION_FAILED, ...); ``KafkaClientError``
    ///   `timeout` when no controller accepted it in time.
    public func deleteTopics(_ names: [String], ifExists: Bool = false) async throws {
        let _: [String: Bool] = try await execute(
            "DeleteTopics", Array(Set(names)), metadataTopics: [],
            route: { metadata, _, _ in metadata.controllerRouting },
            send: { connection, names, deadline in
                let version = try connection.version(for: DeleteTopicsRequest.self)
                let timeout = Self.remainingMilliseconds(deadline)
                let request =
                    version >= 6
                    ? DeleteTopicsRequest(
                        topics: names.map { DeleteTopicsRequest.DeleteTopicState(name: $0) }, timeoutMs: timeout)
                    : DeleteTopicsRequest(topicNames: names, timeoutMs: timeout)
                let response = try await connection.send(request, version: version)
                let broker = connection.address.description
                var outcomes: [String: AdminOutcome<Bool>] = [:]
                for result in response.responses {
                    guard let name = result.name else { continue }
                    let code = KafkaErrorCode(code: result.errorCode)
                    let error = KafkaError(code, message: result.errorMessage, broker: broker, api: "DeleteTopics", topic: name)
                    switch code {
                    case .none: outcomes[name] = .done(true)
                    case .unknownTopicOrPartition where ifExists: outcomes[name] = .done(false)
                    case .notController: outcomes[name] = .retry(error)
                    default: outcomes[name] = .fail(error)
                    }
                }
                return outcomes
            })
    }

    /// Deletes one topic; see ``deleteTopics(_:ifExists:)``.
    public func deleteTopic(_ name: String, ifExists: Bool = false) async throws {
        try await deleteTopics([name], ifExists: ifExists)
    }

    /// Raises topics' partition counts, with one CreatePartitions request to the controller
    /// (v0-1). Keyed records then map to other partitions: see Kafka's documentation.
    ///
    /// - Parameters:
    ///   - totalCounts: the new total number of partitions, by topic.
    ///   - validateOnly: only check that it could be done.
    /// - Throws: ``KafkaError`` naming the topic (INVALID_PARTITIONS when the count is not
    ///   larger, UNKNOWN_TOPIC_OR_PARTITION, ...); ``KafkaClientError`` `unsupportedVersion`
    ///   when the broker has no CreatePartitions (tansu 0.6), `timeout`.
    public func createPartitions(_ totalCounts: [String: Int32], validateOnly: Bool = false) async throws {
        let _: [String: Bool] = try await execute(
            "CreatePartitions", Array(totalCounts.keys), metadataTopics: [],
            route: { metadata, _, _ in metadata.controllerRouting },
            send: { connection, names, deadline in
                let request = CreatePartitionsRequest(
                    topics: names.map {
                        CreatePartitionsRequest.CreatePartitionsTopic(name: $0, count: totalCounts[$0] ?? 0, assignments: nil)
                    },
                    timeoutMs: Self.remainingMilliseconds(deadline), validateOnly: validateOnly)
                let response = try await connection.send(request)
                let broker = connection.address.description
                var outcomes: [String: AdminOutcome<Bool>] = [:]
                for result in response.results {
                    let code = KafkaErrorCode(code: result.errorCode)
                    let error = KafkaError(
                        code, message: result.errorMessage, broker: broker, api: "CreatePartitions", topic: result.name)
                    switch code {
                    case .none: outcomes[result.name] = .done(true)
                    case .notController: outcomes[result.name] = .retry(error)
                    default: outcomes[result.name] = .fail(error)
                    }
                }
                return outcomes
            })
    }

    /// Raises one topic's partition count; see ``createPartitions(_:validateOnly:)``.
    public func createPartitions(topic: String, totalCount: Int32, validateOnly: Bool = false) async throws {
        try await createPartitions([topic: totalCount], validateOnly: validateOnly)
    }

    /// Describes topics (Metadata v0-9): partitions with leader, replicas and in-sync replicas.
    ///
    /// A topic-level LEADER_NOT_AVAILABLE (a topic being created) is retried.
    /// - Returns: the descriptions, by topic name.
    /// - Throws: ``KafkaError`` naming the topic (UNKNOWN_TOPIC_OR_PARTITION for a topic that
    ///   does not exist, TOPIC_AUTHORIZATION_FAILED, ...); ``KafkaClientError`` `timeout`.
    public func describeTopics(_ names: [String]) async throws -> [String: TopicDescription] {
        try await execute(
            "Metadata", Array(Set(names)), metadataTopics: nil,
            route: { _, _, _ in .send(.anyBroker) },
            send: { connection, names, _ in
                let request = MetadataRequest(
                    topics: names.map { MetadataRequest.MetadataRequestTopic(name: $0) }, allowAutoTopicCreation: false)
                let response = try await connection.send(request)
                let broker = connection.address.description
                var outcomes: [String: AdminOutcome<TopicDescription>] = [:]
                for topic in response.topics {
                    let code = KafkaErrorCode(code: topic.errorCode)
                    let error = KafkaError(code, broker: broker, api: "Metadata", topic: topic.name)
                    switch code {
                    case .none: outcomes[topic.name] = .done(TopicDescription(topic))
                    case .unknownTopicOrPartition: outcomes[topic.name] = .fail(error)
                    default: outcomes[topic.name] = code.isRetriable ? .retry(error) : .fail(error)
                    }
                }
                return outcomes
            })
    }

    /// Describes one topic; see ``describeTopics(_:)``.
    public func describeTopic(_ name: String) async throws -> TopicDescription {
        let results = try await describeTopics([name])
        guard let description = results[name] else { throw KafkaError(.unknownTopicOrPartition, api: "Metadata", topic: name) }
        return description
    }

    /// The names of the cluster's topics, sorted (Metadata v0-9 for all topics).
    /// - Parameter includeInternal: also list internal topics (`__consumer_offsets`, ...).
    /// - Throws: ``KafkaClientError`` `timeout` when no broker answers in time.
    public func listTopics(includeInternal: Bool = false) async throws -> [String] {
        try await executeOnce("Metadata") { connection, _ in
            let version = try connection.version(for: MetadataRequest.self)
            // v0 has no null for "all topics"; its empty list means all.
            let request = MetadataRequest(topics: version == 0 ? [] : nil, allowAutoTopicCreation: false)
            let response = try await connection.send(request, version: version)
            return .done(response.topics.filter { includeInternal || !$0.isInternal }.map(\.name).sorted())
        }
    }
}

extension NewTopic {
    /// As a CreateTopics request entry: an explicit assignment replaces the counts (-1).
    var creatable: CreateTopicsRequest.CreatableTopic {
        CreateTopicsRequest.CreatableTopic(
            name: name,
            numPartitions: replicaAssignment.isEmpty ? partitions : -1,
            replicationFactor: replicaAssignment.isEmpty ? replicationFactor : -1,
            assignments: replicaAssignment.keys.sorted().map {
                CreateTopicsRequest.CreatableReplicaAssignment(partitionIndex: $0, brokerIds: replicaAssignment[$0] ?? [])
            },
            configs: configs.keys.sorted().map { CreateTopicsRequest.CreateableTopicConfig(name: $0, value: configs[$0]) })
    }
}

extension TopicDescription {
    init(_ topic: MetadataResponse.MetadataResponseTopic) {
        self.init(
            name: topic.name, isInternal: topic.isInternal,
            partitions: topic.partitions.map {
                PartitionDescription(
                    partition: $0.partitionIndex, leader: $0.leaderId >= 0 ? $0.leaderId : nil,
                    leaderEpoch: $0.leaderEpoch >= 0 ? $0.leaderEpoch : nil, replicas: $0.replicaNodes, isr: $0.isrNodes)
            }.sorted { $0.partition < $1.partition })
    }
}
