import NIOCore

/// A tagged field of a flexible-version message that the decoder did not recognize,
/// kept as raw bytes so that it can be written back unchanged.
public struct TaggedField: Sendable, Hashable {
    /// The tag number.
    public var tag: UInt32
    /// The field's bytes.
    public var data: ByteBuffer

    /// Creates a tagged field.
    public init(tag: UInt32, data: ByteBuffer) {
        self.tag = tag
        self.data = data
    }
}
