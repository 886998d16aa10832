import KafkaProtocol

/// A failure of the client itself, as opposed to an error code a broker returned
/// (``KafkaError``): configuration, connection, timeout, closed client, protocol violation.
public struct KafkaClientError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// The code's name.
        public let name: String
        private init(_ name: String) { self.name = name }

        /// A configuration value is missing or invalid.
        public static let invalidConfig = Code("invalidConfig")
        /// A connection could not be made or was lost.
        public static let connection = Code("connection")
        /// A request got no response in time.
        public static let timeout = Code("timeout")
        /// A broker sent bytes that are not a valid response; the connection was closed.
        public static let protocolViolation = Code("protocolViolation")
        /// No version of an API is supported by both the broker and this client.
        public static let unsupportedVersion = Code("unsupportedVersion")
        /// The client (or producer, consumer) was closed.
        public static let closed = Code("closed")
        /// Metadata could not be found (unknown topic or partition, no leader).
        public static let metadata = Code("metadata")
        /// A record was not accepted (too large, buffer full past the timeout).
        public static let recordRejected = Code("recordRejected")
        /// SASL authentication or the TLS handshake failed (wrong credentials, a mechanism
        /// the broker does not enable, an untrusted certificate). Not retriable.
        public static let authentication = Code("authentication")
        /// Fetched records failed their CRC check or could not be decoded
        /// (``KafkaClientError/topicPartition`` and ``KafkaClientError/offset`` say where).
        public static let corruptRecord = Code("corruptRecord")
        /// An operation was called in a state that does not allow it (a transaction
        /// method out of order, a consumer method before `assign`/`subscribe`, ...).
        public static let illegalState = Code("illegalState")
        /// The group membership was lost or fenced (a rebalance completed without this
        /// member); offsets of the old assignment cannot be committed.
        public static let rebalance = Code("rebalance")

        /// The name.
        public var description: String { name }
    }

    /// The kind of failure.
    public var code: Code
    /// What went wrong and what to do.
    public var message: String
    /// The broker involved, if any.
    public var broker: String?
    /// The underlying error.
    public var cause: (any Error)?
    /// The partition involved, if any (`corruptRecord`).
    public var topicPartition: TopicPartition?
    /// The offset involved, if any (`corruptRecord`: the consumer's position when it reached
    /// the bad batch, where it stays until a seek).
    public var offset: Int64?

    /// Creates an error.
    public init(_ code: Code, _ message: String, broker: String? = nil, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.broker = broker
        self.cause = cause
    }

    /// `KafkaClientError.<code>: <message> (broker b) caused by: <cause>`.
    public var description: String {
        var text = "KafkaClientError.\(code): \(message)"
        if let topicPartition {
            text += " (\(topicPartition)\(offset.map { " at offset \($0)" } ?? ""))"
        }
        if let broker { text += " (broker \(broker))" }
        if let cause { text += " caused by: \(cause)" }
        return text
    }

    /// Whether retrying later may succeed (connection losses and timeouts).
    public var isRetriable: Bool { code == .connection || code == .timeout }

    /// Whether no retry can help (failed authentication, a bad configuration): thrown at
    /// once instead of being retried until a timeout.
    var isFatal: Bool { code == .authentication || code == .invalidConfig }
}
