import NIOCore

/// A compression codec with its level: compresses and decompresses whole buffers.
///
/// Record batches compress their records section with the codec named in their
/// attributes. Decompression always takes a size limit, so that a small malicious batch
/// cannot make the reader allocate gigabytes (a "decompression bomb").
///
/// ```swift
/// let codec = CompressionCodec.zstd                 // Kafka's default level (3)
/// let packed = try codec.compress(bytes)
/// let unpacked = try codec.decompress(packed, maxSize: 1 << 20)
/// let gzip9 = CompressionCodec(.gzip, level: 9)
/// ```
///
/// Levels follow Kafka's `compression.<codec>.level` settings: gzip 1...9 (default 6),
/// lz4 1...17 (default 9, which like Kafka's Java client uses LZ4's fast compressor; other
/// levels use LZ4 HC), zstd -131072...22 (default 3). Snappy has no levels.
public struct CompressionCodec: Sendable, Hashable, CustomStringConvertible {
    /// The codec.
    public var type: CompressionType
    /// The compression level; `nil` for the codec's default. Ignored when decompressing.
    public var level: Int?

    /// Creates a codec.
    public init(_ type: CompressionType, level: Int? = nil) {
        self.type = type
        self.level = level
    }

    /// No compression.
    public static let none = CompressionCodec(.none)
    /// gzip at the default level.
    public static let gzip = CompressionCodec(.gzip)
    /// Snappy (xerial framing, as Kafka's Java client writes it).
    public static let snappy = CompressionCodec(.snappy)
    /// LZ4 frames with Kafka's default settings.
    public static let lz4 = CompressionCodec(.lz4)
    /// Zstandard at the default level.
    public static let zstd = CompressionCodec(.zstd)

    /// The largest decompressed batch readers accept unless told otherwise: 128 MiB.
    public static let defaultMaxDecompressedSize = 128 * 1024 * 1024

    /// `"zstd"`, `"gzip(level: 9)"`, ...
    public var description: String {
        if let level { return "\(type.name)(level: \(level))" }
        return type.name
    }

    /// Compresses a buffer's readable bytes into a new buffer.
    ///
    /// - Throws: `ProtocolError(.invalidValue)` for an unknown codec or a level out of
    ///   range; `ProtocolError(.oversized)` for input the codec cannot take (over 2 GiB).
    public func compress(_ input: ByteBuffer, allocator: ByteBufferAllocator = ByteBufferAllocator()) throws -> ByteBuffer {
        var output = allocator.buffer(capacity: 0)
        try compress(input, appendingTo: &output)
        return output
    }

    /// Compresses a buffer's readable bytes, appending the result to `output`.
    ///
    /// - Throws: as ``compress(_:allocator:)``.
    public func compress(_ input: ByteBuffer, appendingTo output: inout ByteBuffer) throws {
        try input.withUnsafeReadableBytes { try compress($0, appendingTo: &output) }
    }

    /// Compresses raw bytes, appending the result to `output`.
    ///
    /// - Throws: as ``compress(_:allocator:)``.
    public func compress(_ input: UnsafeRawBufferPointer, appendingTo output: inout ByteBuffer) throws {
        if input.count > Int(Int32.max) {
            throw ProtocolError(.oversized, "cannot compress \(input.count) bytes with \(type.name): over 2 GiB")
        }
        switch type {
        case .none: output.writeBytes(input)
        case .gzip: try Gzip.compress(input, level: level, into: &output)
        case .snappy: try Snappy.compress(input, into: &output)
        case .lz4: try LZ4.compress(input, level: level, into: &output)
        case .zstd: try Zstd.compress(input, level: level, into: &output)
        default: throw ProtocolError(.invalidValue, "unknown compression type \(type.rawValue)")
        }
    }

    /// Decompresses a buffer's readable bytes into a new buffer.
    ///
    /// - Parameters:
    ///   - input: compressed bytes in the codec's format. Snappy input may be xerial-framed
    ///     or raw; gzip input may hold several members.
    ///   - maxSize: the most decompressed bytes accepted.
    ///   - lenientLZ4HeaderChecksum: also accept the wrong LZ4 frame-header checksum that
    ///     Kafka wrote in legacy (magic 0) message sets. Set for legacy data only.
    /// - Throws: `ProtocolError(.oversized)` when the data decompresses to more than
    ///   `maxSize` bytes; `ProtocolError(.corrupt)` for data that is not valid in the codec's
    ///   format or fails a checksum; `ProtocolError(.invalidValue)` for an unknown codec.
    public func decompress(
        _ input: ByteBuffer,
        maxSize: Int,
        lenientLZ4HeaderChecksum: Bool = false,
        allocator: ByteBufferAllocator = ByteBufferAllocator()
    ) throws -> ByteBuffer {
        var output = allocator.buffer(capacity: 0)
        try decompress(input, maxSize: maxSize, appendingTo: &output, lenientLZ4HeaderChecksum: lenientLZ4HeaderChecksum)
        return output
    }

    /// Decompresses a buffer's readable bytes, appending at most `maxSize` bytes to `output`.
    ///
    /// - Throws: as ``decompress(_:maxSize:lenientLZ4HeaderChecksum:allocator:)``; on a
    ///   throw, `output` may hold part of the data.
    public func decompress(
        _ input: ByteBuffer,
        maxSize: Int,
        appendingTo output: inout ByteBuffer,
        lenientLZ4HeaderChecksum: Bool = false
    ) throws {
        var sink = DecompressionOutput(buffer: output, limit: maxSize, codec: type.name)
        output = ByteBuffer()  // keep the storage uniquely referenced while decoding
        defer { output = sink.buffer }
        try input.withUnsafeReadableBytes { raw in
            switch type {
            case .none: try sink.append(raw)
            case .gzip: try Gzip.decompress(raw, into: &sink)
            case .snappy: try Snappy.decompress(raw, into: &sink)
            case .lz4: try LZ4.decompress(raw, into: &sink, lenientHeaderChecksum: lenientLZ4HeaderChecksum)
            case .zstd: try Zstd.decompress(raw, into: &sink)
            default: throw ProtocolError(.invalidValue, "unknown compression type \(type.rawValue)")
            }
        }
    }
}
