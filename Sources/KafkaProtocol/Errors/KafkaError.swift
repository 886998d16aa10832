/// An error a Kafka broker returned, with where it came from.
///
/// Carries the protocol ``KafkaErrorCode`` plus the context a user needs to act on it:
/// which broker answered, to which request, about which topic-partition, and the
/// broker's own error message when the response had one.
///
/// ```swift
/// throw KafkaError(.notLeaderOrFollower, broker: "localhost:9092", api: "Produce",
///                  topic: "payments", partition: 3)
/// // NOT_LEADER_OR_FOLLOWER (6) in Produce from broker localhost:9092 for payments-3: For requests ...
/// catch let error as KafkaError where error.isRetriable { ... }
/// ```
public struct KafkaError: Error, Sendable, CustomStringConvertible {
    /// The protocol error code.
    public var code: KafkaErrorCode
    /// The broker's error message if the response carried one, else an explanation from
    /// this library; `nil` to use the code's own description.
    public var message: String?
    /// The broker that answered, such as `host:port` or `node 1`.
    public var broker: String?
    /// The request, by Kafka's API name (`Produce`, `Fetch`, `JoinGroup`, ...).
    public var api: String?
    /// The topic the error is about.
    public var topic: String?
    /// The partition the error is about.
    public var partition: Int32?
    /// The error that led to this one, if any.
    public var cause: (any Error)?
    /// The source file that raised the error.
    public var file: String
    /// The source line that raised the error.
    public var line: Int

    /// Creates an error.
    public init(
        _ code: KafkaErrorCode,
        message: String? = nil,
        broker: String? = nil,
        api: String? = nil,
        topic: String? = nil,
        partition: Int32? = nil,
        cause: (any Error)? = nil,
        file: String = #fileID,
        line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.broker = broker
        self.api = api
        self.topic = topic
        self.partition = partition
        self.cause = cause
        self.file = file
        self.line = line
    }

    /// Creates an error from a code on the wire.
    public init(
        code: Int16,
        message: String? = nil,
        broker: String? = nil,
        api: String? = nil,
        topic: String? = nil,
        partition: Int32? = nil,
        file: String = #fileID,
        line: Int = #line
    ) {
        self.init(
            KafkaErrorCode(code: code), message: message, broker: broker, api: api, topic: topic,
            partition: partition, file: file, line: line)
    }

    /// Whether retrying (usually after refreshing metadata) may succeed.
    public var isRetriable: Bool { code.isRetriable }

    /// `NAME (code) in <api> from broker <broker> for <topic>-<partition>: <message> (<file>:<line>)`,
    /// leaving out what is unknown.
    public var description: String {
        var text = code.description
        if let api { text += " in \(api)" }
        if let broker { text += " from broker \(broker)" }
        if let topic {
            text += " for \(topic)"
            if let partition { text += "-\(partition)" }
        } else if let partition {
            text += " for partition \(partition)"
        }
        let detail = message ?? code.message
        if !detail.isEmpty { text += ": \(detail)" }
        if let cause { text += " (caused by \(cause))" }
        text += " [\(file):\(line)]"
        return text
    }
}
