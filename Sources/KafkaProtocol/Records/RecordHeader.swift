import NIOCore

/// One header of a record: a key and an optional value.
///
/// The key is kept as the bytes on the wire (a slice of the batch, no copy); ``key`` reads
/// it as a `String`, replacing invalid UTF-8 exactly as Kafka's Java client does.
///
/// ```swift
/// for header in record.headers where header.hasKey("trace-id") {
///     print(header.value.map { String(buffer: $0) } ?? "null")
/// }
/// ```
public struct RecordHeader: Sendable, Hashable {
    /// The key's UTF-8 bytes.
    public var keyBytes: ByteBuffer
    /// The value; `nil` for a null value.
    public var value: ByteBuffer?

    /// Creates a header from its key bytes.
    @inlinable public init(keyBytes: ByteBuffer, value: ByteBuffer?) {
        self.keyBytes = keyBytes
        self.value = value
    }

    /// Creates a header from a string key.
    public init(key: String, value: ByteBuffer?) {
        self.keyBytes = ByteBuffer(string: key)
        self.value = value
    }

    /// The key as a string (invalid UTF-8 sequences become U+FFFD). Allocates a string;
    /// ``hasKey(_:)`` compares without allocating.
    public var key: String { String(buffer: keyBytes) }

    /// Whether the key is `key`, compared byte for byte without allocating.
    public func hasKey(_ key: String) -> Bool {
        keyBytes.readableBytes == key.utf8.count && keyBytes.readableBytesView.elementsEqual(key.utf8)
    }
}
