import NIOCore

/// Appends decompressed bytes to a `ByteBuffer`, never more than a limit.
///
/// Decoders ask for room with ``write(upTo:_:)``; the room offered never goes past
/// `limit + 1` bytes in total, so a decoder that still produces output once `limit` bytes
/// are written proves the data is larger than allowed (``checkLimit()`` then throws
/// `ProtocolError(.oversized)`).
struct DecompressionOutput {
    var buffer: ByteBuffer
    let start: Int
    let limit: Int
    let codec: String

    init(buffer: ByteBuffer, limit: Int, codec: String) {
        self.buffer = buffer
        self.start = buffer.writerIndex
        self.limit = max(0, limit)
        self.codec = codec
    }

    /// Bytes written so far.
    var written: Int { buffer.writerIndex - start }

    /// Room still allowed, counting the one probe byte past the limit.
    var remainingAllowance: Int { limit + 1 - written }

    /// Throws when more than `limit` bytes were written.
    func checkLimit() throws {
        if written > limit { throw Self.oversized(codec, limit) }
    }

    static func oversized(_ codec: String, _ limit: Int) -> ProtocolError {
        ProtocolError(.oversized, "\(codec) data decompresses to more than the limit of \(limit) bytes")
    }

    /// Throws `oversized` if `size` more bytes would pass the limit.
    func ensureAllowed(_ size: Int) throws {
        if size > limit - written { throw Self.oversized(codec, limit) }
    }

    /// Reserves room for up to `wanted` bytes (capped by the allowance) and lets `body`
    /// write into it; `body` returns how many bytes it wrote. Returns the room offered.
    @discardableResult
    mutating func write(upTo wanted: Int, _ body: (UnsafeMutableRawBufferPointer) throws -> Int) throws -> Int {
        let room = min(max(wanted, 1), remainingAllowance)
        if room <= 0 { throw Self.oversized(codec, limit) }
        try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: room) { raw in
            try body(UnsafeMutableRawBufferPointer(rebasing: raw[..<room]))
        }
        try checkLimit()
        return room
    }

    /// Appends raw bytes, checking the limit first.
    mutating func append(_ bytes: UnsafeRawBufferPointer) throws {
        try ensureAllowed(bytes.count)
        buffer.writeBytes(bytes)
    }
}
