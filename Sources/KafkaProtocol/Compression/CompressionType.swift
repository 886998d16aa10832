/// The compression codec of a record batch: the low three bits of its attributes.
///
/// An open set, like Kafka's: a value this library does not know is kept as its raw id
/// and fails only when the batch's records are read.
///
/// ```swift
/// let type = CompressionType(rawValue: 4)   // .zstd
/// type.name                                 // "zstd"
/// ```
public struct CompressionType: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    /// Kafka's id of the codec (0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd).
    public var rawValue: Int8

    /// Creates a compression type from its id.
    @inlinable public init(rawValue: Int8) { self.rawValue = rawValue }

    /// No compression.
    public static let none = CompressionType(rawValue: 0)
    /// gzip (RFC 1952).
    public static let gzip = CompressionType(rawValue: 1)
    /// Snappy, in the xerial framing Kafka's Java client writes (raw snappy is also read).
    public static let snappy = CompressionType(rawValue: 2)
    /// The LZ4 frame format.
    public static let lz4 = CompressionType(rawValue: 3)
    /// Zstandard (record batches, magic 2, only).
    public static let zstd = CompressionType(rawValue: 4)

    /// Kafka's name for the codec (`compression.type`): `none`, `gzip`, `snappy`, `lz4`, `zstd`,
    /// or `unknown(<id>)`.
    public var name: String {
        switch rawValue {
        case 0: "none"
        case 1: "gzip"
        case 2: "snappy"
        case 3: "lz4"
        case 4: "zstd"
        default: "unknown(\(rawValue))"
        }
    }

    /// The codec with Kafka's name (`compression.type`), or `nil` for an unknown name.
    public init?(name: String) {
        switch name.lowercased() {
        case "none", "uncompressed": self = .none
        case "gzip": self = .gzip
        case "snappy": self = .snappy
        case "lz4": self = .lz4
        case "zstd": self = .zstd
        default: return nil
        }
    }

    /// The same as ``name``.
    public var description: String { name }
}
