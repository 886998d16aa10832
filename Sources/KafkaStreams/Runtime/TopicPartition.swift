import KafkaClient

/// A partition of a topic: the client's type, named here so that users of `KafkaStreams`
/// (checkpoints, restore listeners, metadata) need not import `KafkaClient`.
public typealias TopicPartition = KafkaClient.TopicPartition
