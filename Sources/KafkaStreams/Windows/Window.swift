import NIOCore

/// A time interval that groups records: `[start, end)` for time windows, `[start, end]`
/// for session windows, in milliseconds since the epoch.
public struct Window: Sendable, Hashable, CustomStringConvertible {
    /// The first timestamp in the window.
    public var start: Int64
    /// The window's end: exclusive for time and sliding windows, inclusive for sessions.
    public var end: Int64

    /// Creates a window.
    public init(start: Int64, end: Int64) {
        self.start = start
        self.end = end
    }

    /// `[start,end)`.
    public var description: String { "[\(start),\(end))" }
}

/// A key with the window its aggregate belongs to: the key type of windowed tables.
public struct Windowed<Key> {
    /// The record key.
    public var key: Key
    /// The window.
    public var window: Window

    /// Creates a windowed key.
    public init(key: Key, window: Window) {
        self.key = key
        self.window = window
    }
}

extension Windowed: Sendable where Key: Sendable {}
extension Windowed: Equatable where Key: Equatable {}
extension Windowed: Hashable where Key: Hashable {}

extension Windowed: CustomStringConvertible {
    /// `[key@start/end]`, as Kafka Streams prints it.
    public var description: String { "[\(key)@\(window.start)/\(window.end)]" }
}

extension Serde {
    /// Kafka Streams' time-windowed key format: the key's bytes followed by the window
    /// start as an 8-byte big-endian integer. Reading sets `end = start + size` (or
    /// `Int64.max` without a size, as Java's deserializer does).
    public static func windowed<Key>(_ key: Serde<Key>, size: Duration? = nil) -> Serde<Windowed<Key>> where Value == Windowed<Key> {
        let sizeMs = size.map(\.milliseconds)
        return Serde<Windowed<Key>>(
            name: "Windowed<\(key.name)>",
            serialize: { windowed, buffer in
                guard try key.serialize(windowed.key, into: &buffer) else {
                    throw SerdeError("Windowed: \(key.name) serialized the key to null")
                }
                buffer.writeInteger(windowed.window.start, endianness: .big)
            },
            deserialize: { buffer in
                guard buffer.readableBytes >= 8,
                    let start = buffer.getInteger(at: buffer.writerIndex - 8, endianness: .big, as: Int64.self),
                    let keyBytes = buffer.getSlice(at: buffer.readerIndex, length: buffer.readableBytes - 8)
                else { throw SerdeError("Windowed key needs at least 8 bytes, got \(buffer.readableBytes)") }
                let end = sizeMs.map { start &+ $0 } ?? Int64.max
                return Windowed(key: try key.deserialize(keyBytes), window: Window(start: start, end: max(start, end)))
            })
    }

    /// Kafka Streams' session-windowed key format: the key's bytes, then the session end
    /// and start as 8-byte big-endian integers.
    public static func sessionWindowed<Key>(_ key: Serde<Key>) -> Serde<Windowed<Key>> where Value == Windowed<Key> {
        Serde<Windowed<Key>>(
            name: "SessionWindowed<\(key.name)>",
            serialize: { windowed, buffer in
                guard try key.serialize(windowed.key, into: &buffer) else {
                    throw SerdeError("SessionWindowed: \(key.name) serialized the key to null")
                }
                buffer.writeInteger(windowed.window.end, endianness: .big)
                buffer.writeInteger(windowed.window.start, endianness: .big)
            },
            deserialize: { buffer in
                let n = buffer.readableBytes
                guard n >= 16,
                    let end = buffer.getInteger(at: buffer.writerIndex - 16, endianness: .big, as: Int64.self),
                    let start = buffer.getInteger(at: buffer.writerIndex - 8, endianness: .big, as: Int64.self),
                    let keyBytes = buffer.getSlice(at: buffer.readerIndex, length: n - 16)
                else { throw SerdeError("SessionWindowed key needs at least 16 bytes, got \(n)") }
                return Windowed(key: try key.deserialize(keyBytes), window: Window(start: start, end: end))
            })
    }
}
