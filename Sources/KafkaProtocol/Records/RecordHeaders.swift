import NIOCore

/// The headers of a decoded record: a lazy view over their encoded bytes in the batch.
///
/// Decoding a record checks its headers once; iterating them then cannot fail and
/// allocates nothing (each ``RecordHeader`` holds slices of the batch). Order and
/// duplicate keys are kept as on the wire.
///
/// ```swift
/// let traceID = record.headers.last("trace-id")?.value
/// let all = Array(record.headers)
/// ```
public struct RecordHeaders: Sendable, Sequence, Hashable {
    /// The encoded headers; `nil` when there are none, so that records without headers
    /// hold no reference (the decoder's hot path).
    private let storage: ByteBuffer?
    /// The number of headers.
    public let count: Int

    /// The headers' bytes as encoded in a record, without the leading count: for each
    /// header, varint key length, key, varint value length (-1 null), value.
    public var encodedBytes: ByteBuffer { storage ?? ByteBuffer() }

    /// No headers.
    @inlinable public static var empty: RecordHeaders { RecordHeaders() }

    /// No headers.
    public init() {
        storage = nil
        count = 0
    }

    /// Whether there are no headers.
    public var isEmpty: Bool { count == 0 }

    init(uncheckedBytes: ByteBuffer, count: Int) {
        self.storage = count == 0 ? nil : uncheckedBytes
        self.count = count
    }

    /// Creates headers from their encoded form, checking it.
    ///
    /// - Throws: `ProtocolError` if the bytes do not hold exactly `count` headers.
    public init(encodedBytes: ByteBuffer, count: Int) throws {
        guard count >= 0 else { throw ProtocolError(.invalidValue, "header count \(count) is negative") }
        try encodedBytes.withUnsafeReadableBytes { raw in
            var reader = RawReader(raw)
            try Self.skipHeaders(&reader, count: count)
            if reader.remaining != 0 {
                throw ProtocolError(.corrupt, "\(reader.remaining) bytes follow the \(count) record headers")
            }
        }
        self.init(uncheckedBytes: encodedBytes, count: count)
    }

    /// Creates encoded headers from key/value pairs.
    public init(_ headers: [(key: String, value: ByteBuffer?)]) {
        var bytes = ByteBuffer()
        for header in headers { Self.write(key: header.key, value: header.value, into: &bytes) }
        self.init(uncheckedBytes: bytes, count: headers.count)
    }

    /// Reads past `count` headers, checking every length.
    static func skipHeaders(_ reader: inout RawReader, count: Int) throws {
        for _ in 0..<count {
            let keyLength = try reader.varInt("header key length")
            guard keyLength >= 0 else { throw ProtocolError(.invalidValue, "header key length \(keyLength) is negative") }
            try reader.skip(Int(keyLength), "header key")
            let valueLength = try reader.varInt("header value length")
            guard valueLength >= -1 else { throw ProtocolError(.invalidValue, "header value length \(valueLength) is invalid") }
            if valueLength > 0 { try reader.skip(Int(valueLength), "header value") }
        }
    }

    static func write(key: String, value: ByteBuffer?, into buffer: inout ByteBuffer) {
        buffer.writeVarInt(Int32(key.utf8.count))
        buffer.writeString(key)
        if let value {
            buffer.writeVarInt(Int32(value.readableBytes))
            buffer.writeImmutableBuffer(value)
        } else {
            buffer.writeVarInt(-1)
        }
    }

    /// The last header with this key (Kafka's `lastHeader`), or `nil`.
    public func last(_ key: String) -> RecordHeader? {
        var found: RecordHeader?
        for header in self where header.hasKey(key) { found = header }
        return found
    }

    /// Iterates the headers in wire order.
    public func makeIterator() -> Iterator { Iterator(bytes: encodedBytes, remaining: count) }

    /// Equal when they hold the same headers in the same order.
    public static func == (lhs: RecordHeaders, rhs: RecordHeaders) -> Bool {
        lhs.count == rhs.count && lhs.encodedBytes == rhs.encodedBytes
    }

    /// Hashes the encoded headers.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        hasher.combine(encodedBytes)
    }

    /// Iterates headers; never fails, the bytes were checked when the record was read.
    public struct Iterator: IteratorProtocol, Sendable {
        var bytes: ByteBuffer
        var remaining: Int

        /// The next header, or `nil` after the last.
        public mutating func next() -> RecordHeader? {
            guard remaining > 0 else { return nil }
            remaining -= 1
            guard let keyLength = try? bytes.readVarInt(), let key = bytes.readSlice(length: Int(keyLength)),
                let valueLength = try? bytes.readVarInt()
            else {
                remaining = 0
                return nil
            }
            if valueLength < 0 { return RecordHeader(keyBytes: key, value: nil) }
            guard let value = bytes.readSlice(length: Int(valueLength)) else {
                remaining = 0
                return nil
            }
            return RecordHeader(keyBytes: key, value: value)
        }
    }
}
