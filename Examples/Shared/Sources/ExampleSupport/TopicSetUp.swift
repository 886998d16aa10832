import KafkaClient

/// Creates an example's topics where they are missing (on the embedded broker or a
/// cluster); existing topics are left as they are.
public enum TopicSetUp {
    /// Creates `topics` (name and partition count) that do not exist yet.
    /// - Throws: the admin client's error if the cluster cannot be reached or refuses.
    public static func ensure(_ topics: [(String, Int32)], bootstrap: String) async throws {
        let admin = KafkaAdmin(cluster: KafkaCluster(config: try ClientConfig(bootstrapServers: bootstrap)))
        defer { Task { await admin.close() } }
        _ = try await admin.createTopics(
            topics.map { NewTopic($0.0, partitions: $0.1, replicationFactor: -1) }, ifNotExists: true)
    }
}
