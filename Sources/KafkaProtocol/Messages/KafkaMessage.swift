import NIOCore

// The protocols every generated message conforms to. The messages themselves are generated
// from Sources/KafkaProtocol/Definitions by scripts/generate-protocol; this file is written by hand.

/// A value with Kafka's versioned wire format: a request or response body, a header, or a
/// data structure such as `ConsumerProtocolSubscription`.
///
/// The same value can be written in any version of `versions`. Fields that a version lacks are
/// not written (and get their defaults when read); writing a field that a version lacks while it
/// holds a non-default value throws, unless Kafka marks the field ignorable.
public protocol KafkaVersioned: Sendable, Hashable {
    /// The versions this code reads and writes.
    static var versions: ClosedRange<Int16> { get }

    /// Whether `version` uses the flexible encoding (compact lengths and tagged fields).
    static func isFlexible(_ version: Int16) -> Bool

    /// Writes the value in `version` after `buffer`'s writer index.
    ///
    /// - Throws: `ProtocolError` `.unsupportedVersion` for a version outside `versions` or a
    ///   non-ignorable field that `version` cannot carry; `.invalidValue` for a null in a
    ///   non-nullable field. On error `buffer` is left as it was.
    func encode(into buffer: inout ByteBuffer, version: Int16) throws

    /// Reads a value of `version`, consuming its bytes from `buffer`.
    ///
    /// - Throws: `ProtocolError` `.unsupportedVersion`, `.truncated`, `.invalidValue`, `.invalidUTF8`.
    init(from buffer: inout ByteBuffer, version: Int16) throws
}

/// A Kafka API message: a request or response body, identified by its API key.
public protocol KafkaMessage: KafkaVersioned {
    /// Kafka's API key, shared by the request and its response.
    static var apiKey: Int16 { get }
}

/// A Kafka request body, tied to the type of its response.
public protocol KafkaRequest: KafkaMessage {
    /// The response body type; it has the same API key and versions.
    associatedtype Response: KafkaMessage
}

extension KafkaRequest {
    /// The request header version that goes with `apiVersion` of this request: 2 for flexible
    /// versions, 1 otherwise.
    ///
    /// Header v0 (no client id) is only used by ControlledShutdown v0, which this code does not implement.
    @inlinable
    public static func requestHeaderVersion(apiVersion: Int16) -> Int16 {
        isFlexible(apiVersion) ? 2 : 1
    }

    /// The response header version that goes with `apiVersion` of this request: 1 for flexible
    /// versions, 0 otherwise, and always 0 for ApiVersions (a client must be able to read the
    /// response of a broker that does not know the version it asked for).
    @inlinable
    public static func responseHeaderVersion(apiVersion: Int16) -> Int16 {
        if apiKey == ApiKey.apiVersions.rawValue { return 0 }
        return Response.isFlexible(apiVersion) ? 1 : 0
    }
}
