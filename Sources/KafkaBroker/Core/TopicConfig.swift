import Foundation

/// A topic's configuration: Kafka's topic config names and string values, with typed
/// accessors for the ones this broker enforces.
///
/// Unknown names are refused (`INVALID_CONFIG`); known Kafka names that this broker does not
/// act on (replication, compression re-encoding, ...) are accepted and stored. See
/// `docs/broker.md` for which are enforced.
public struct TopicConfig: Sendable, Hashable {
    /// The explicitly set entries (name → value).
    public var overrides: [String: String]

    /// Creates a config with these explicit entries.
    public init(_ overrides: [String: String] = [:]) { self.overrides = overrides }

    /// Kafka's defaults for the topic configs this broker knows.
    public static let defaults: [String: String] = [
        "cleanup.policy": "delete",
        "retention.ms": "604800000",
        "retention.bytes": "-1",
        "segment.bytes": "1073741824",
        "segment.ms": "604800000",
        "max.message.bytes": "1048588",
        "message.timestamp.type": "CreateTime",
        "flush.messages": "9223372036854775807",
        "flush.ms": "9223372036854775807",
        "delete.retention.ms": "86400000",
        "min.compaction.lag.ms": "0",
        "max.compaction.lag.ms": "9223372036854775807",
        "min.cleanable.dirty.ratio": "0.5",
        "min.insync.replicas": "1",
        "compression.type": "producer",
        "index.interval.bytes": "4096",
        "segment.index.bytes": "10485760",
        "segment.jitter.ms": "0",
        "file.delete.delay.ms": "60000",
        "preallocate": "false",
        "unclean.leader.election.enable": "false",
        "message.downconversion.enable": "true",
        "message.timestamp.difference.max.ms": "9223372036854775807",
        "message.timestamp.before.max.ms": "9223372036854775807",
        "message.timestamp.after.max.ms": "9223372036854775807",
        "follower.replication.throttled.replicas": "",
        "leader.replication.throttled.replicas": "",
        "local.retention.ms": "-2",
        "local.retention.bytes": "-2",
        "remote.storage.enable": "false",
    ]

    /// Whether `name` is a topic config this broker accepts.
    public static func isKnown(_ name: String) -> Bool { defaults[name] != nil }

    /// The value of `name`: the override, else the broker default given, else Kafka's default.
    public func value(_ name: String, brokerDefaults: [String: String] = [:]) -> String? {
        overrides[name] ?? brokerDefaults[name] ?? Self.defaults[name]
    }

    /// Checks a name and value; returns a message when invalid.
    public static func validate(name: String, value: String?) -> String? {
        guard isKnown(name) else { return "Unknown topic config name: \(name)" }
        guard let value else { return nil }
        switch name {
        case "cleanup.policy":
            let parts = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.isEmpty || !parts.allSatisfy({ $0 == "delete" || $0 == "compact" }) {
                return "Invalid value \(value) for cleanup.policy: expected delete, compact or both"
            }
        case "message.timestamp.type":
            if value != "CreateTime" && value != "LogAppendTime" {
                return "Invalid value \(value) for message.timestamp.type"
            }
        case "retention.ms", "retention.bytes", "segment.bytes", "segment.ms", "max.message.bytes", "flush.messages",
            "flush.ms", "delete.retention.ms", "min.compaction.lag.ms", "max.compaction.lag.ms", "min.insync.replicas",
            "index.interval.bytes", "segment.index.bytes", "local.retention.ms", "local.retention.bytes":
            guard Int64(value) != nil else { return "Invalid value \(value) for \(name): not an integer" }
            if name == "segment.bytes", Int64(value)! < 14 { return "Invalid value \(value) for segment.bytes" }
        default:
            break
        }
        return nil
    }
}

/// A topic's effective settings, resolved from its ``TopicConfig`` and the broker defaults.
struct EffectiveTopicConfig {
    var compact: Bool
    var delete: Bool
    var retentionMs: Int64
    var retentionBytes: Int64
    var segmentBytes: Int
    var segmentMs: Int64
    var maxMessageBytes: Int
    var logAppendTime: Bool
    var flushMessages: Int64
    var flushMs: Int64
    var deleteRetentionMs: Int64
    var minCompactionLagMs: Int64
    var indexIntervalBytes: Int

    init(_ config: TopicConfig, brokerDefaults: [String: String]) {
        func int(_ name: String) -> Int64 { Int64(config.value(name, brokerDefaults: brokerDefaults) ?? "") ?? Int64(TopicConfig.defaults[name]!)! }
        let policy = config.value("cleanup.policy", brokerDefaults: brokerDefaults) ?? "delete"
        compact = policy.contains("compact")
        delete = policy.contains("delete")
        retentionMs = int("retention.ms")
        retentionBytes = int("retention.bytes")
        segmentBytes = Int(clamping: int("segment.bytes"))
        segmentMs = int("segment.ms")
        maxMessageBytes = Int(clamping: int("max.message.bytes"))
        logAppendTime = config.value("message.timestamp.type", brokerDefaults: brokerDefaults) == "LogAppendTime"
        flushMessages = int("flush.messages")
        flushMs = int("flush.ms")
        deleteRetentionMs = int("delete.retention.ms")
        minCompactionLagMs = int("min.compaction.lag.ms")
        indexIntervalBytes = Int(clamping: int("index.interval.bytes"))
    }
}
