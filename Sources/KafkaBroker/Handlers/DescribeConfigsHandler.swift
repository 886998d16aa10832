import KafkaProtocol

extension BrokerCore {
    /// DescribeConfigs: every known config of a topic (resource type 2) with its value and
    /// source (topic override, broker default, or Kafka default), or the broker's (type 4)
    /// topic defaults.
    func handleDescribeConfigs(_ request: DescribeConfigsRequest, _ context: RequestContext) -> DescribeConfigsResponse {
        let v = context.apiVersion
        var results: [DescribeConfigsResponse.DescribeConfigsResult] = []
        for resource in request.resources {
            var result = DescribeConfigsResponse.DescribeConfigsResult(
                errorCode: 0, errorMessage: nil, resourceType: resource.resourceType, resourceName: resource.resourceName)
            let wanted = resource.configurationKeys.map(Set.init)
            func entry(_ name: String, _ value: String?, source: Int8) -> DescribeConfigsResponse.DescribeConfigsResourceResult {
                var e = DescribeConfigsResponse.DescribeConfigsResourceResult(name: name, value: value, readOnly: false)
                if v == 0 { e.isDefault = source == 5 } else { e.configSource = source }
                if v >= 3 { e.configType = configType(name) }
                return e
            }
            switch resource.resourceType {
            case 2:
                guard let topic = topics[resource.resourceName] else {
                    result.errorCode = KafkaErrorCode.unknownTopicOrPartition.code
                    result.errorMessage = "Topic \(resource.resourceName) does not exist"
                    results.append(result)
                    continue
                }
                for name in TopicConfig.defaults.keys.sorted() where wanted?.contains(name) ?? true {
                    if let value = topic.config.overrides[name] {
                        result.configs.append(entry(name, value, source: 1))
                    } else if let value = config.topicDefaults[name] {
                        result.configs.append(entry(name, value, source: 4))
                    } else {
                        result.configs.append(entry(name, TopicConfig.defaults[name], source: 5))
                    }
                }
            case 4:
                var brokerConfigs: [String: String] = [
                    "broker.id": "\(config.nodeId)", "auto.create.topics.enable": "\(config.autoCreateTopics)",
                    "num.partitions": "\(config.defaultPartitions)", "socket.request.max.bytes": "\(config.maxRequestSize)",
                    "group.min.session.timeout.ms": "\(config.groupMinSessionTimeoutMs)",
                    "group.max.session.timeout.ms": "\(config.groupMaxSessionTimeoutMs)",
                    "group.initial.rebalance.delay.ms": "\(config.groupInitialRebalanceDelayMs)",
                    "transaction.max.timeout.ms": "\(config.transactionMaxTimeoutMs)",
                    "log.retention.check.interval.ms": "\(config.logCleanupIntervalMs)",
                ]
                for (key, value) in config.topicDefaults { brokerConfigs["log." + key] = value }
                for name in brokerConfigs.keys.sorted() where wanted?.contains(name) ?? true {
                    var e = entry(name, brokerConfigs[name], source: 6)
                    e.readOnly = true
                    result.configs.append(e)
                }
            default:
                result.errorCode = KafkaErrorCode.invalidRequest.code
                result.errorMessage = "Resource type \(resource.resourceType) is not supported"
            }
            results.append(result)
        }
        return DescribeConfigsResponse(results: results)
    }

    /// Kafka's ConfigType codes: 1 boolean, 2 string, 3 int, 4 short, 5 long, 6 double, 7 list.
    private func configType(_ name: String) -> Int8 {
        switch name {
        case "cleanup.policy", "follower.replication.throttled.replicas", "leader.replication.throttled.replicas": return 7
        case "compression.type", "message.timestamp.type": return 2
        case "preallocate", "unclean.leader.election.enable", "message.downconversion.enable", "remote.storage.enable": return 1
        case "min.cleanable.dirty.ratio": return 6
        case "segment.bytes", "max.message.bytes", "index.interval.bytes", "segment.index.bytes", "min.insync.replicas": return 3
        default: return 5
        }
    }
}
