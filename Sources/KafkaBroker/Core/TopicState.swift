import KafkaProtocol

/// A topic's metadata as persisted in `topics.json`: name, id, partition count and configs.
struct TopicRecord: Codable {
    var name: String
    var id: String
    var partitions: Int32
    var configs: [String: String]
}

/// A topic on this broker: its id, config and partitions.
final class TopicState {
    let name: String
    let id: KafkaUUID
    var config: TopicConfig
    var partitions: [Partition]
    let isInternal: Bool

    init(name: String, id: KafkaUUID, config: TopicConfig, partitions: [Partition], isInternal: Bool = false) {
        self.name = name
        self.id = id
        self.config = config
        self.partitions = partitions
        self.isInternal = isInternal
    }
}
