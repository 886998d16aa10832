import NIOCore

/// Turns values of one type into Kafka bytes and back.
///
/// A serde writes into a `ByteBuffer` so that sinks, stores and producers can encode without
/// an intermediate allocation. Null is part of the contract: ``serialize(_:into:)`` returns
/// `false` to produce a null (no bytes), and ``deserialize(_:)`` receives `nil` for null
/// bytes. The built-in serdes for non-optional types throw a ``SerdeError`` on null; wrap
/// them with ``optional(_:)`` to map null to `nil`.
///
/// ```swift
/// let bytes = try Serde<Int64>.int64.serialize(1)   // [0, 0, 0, 0, 0, 0, 0, 1]
/// let back = try Serde<Int64>.int64.deserialize(bytes)  // 1
/// ```
public struct Serde<Value>: Sendable {
    /// A short name used in errors and descriptions (`"String"`, `"Int64"`, `"JSON<Payment>"`).
    public let name: String
    @usableFromInline let write: @Sendable (Value, inout ByteBuffer) throws -> Bool
    @usableFromInline let read: @Sendable (ByteBuffer?) throws -> Value

    /// Creates a serde whose values are never null.
    ///
    /// - Parameters:
    ///   - name: a name for errors and descriptions.
    ///   - serialize: appends the value's bytes to the buffer.
    ///   - deserialize: reads a value from a buffer holding exactly the record's bytes; it
    ///     is never called for null bytes (those throw a ``SerdeError``).
    public init(
        name: String,
        serialize: @escaping @Sendable (Value, inout ByteBuffer) throws -> Void,
        deserialize: @escaping @Sendable (inout ByteBuffer) throws -> Value
    ) {
        self.name = name
        self.write = { value, buffer in
            try serialize(value, &buffer)
            return true
        }
        self.read = { bytes in
            guard var bytes else { throw SerdeError.unexpectedNull(name) }
            return try deserialize(&bytes)
        }
    }

    /// Creates a serde that handles null itself.
    ///
    /// - Parameters:
    ///   - name: a name for errors and descriptions.
    ///   - serializeNullable: appends the value's bytes and returns `true`, or returns
    ///     `false` to produce null.
    ///   - deserializeNullable: reads a value from the bytes, `nil` meaning null.
    public init(
        name: String,
        serializeNullable: @escaping @Sendable (Value, inout ByteBuffer) throws -> Bool,
        deserializeNullable: @escaping @Sendable (ByteBuffer?) throws -> Value
    ) {
        self.name = name
        self.write = serializeNullable
        self.read = deserializeNullable
    }

    /// Appends the value's bytes to `buffer`.
    ///
    /// - Returns: `false` if the value serializes to null (nothing was written).
    /// - Throws: ``SerdeError`` if the value cannot be serialized.
    @inlinable
    public func serialize(_ value: Value, into buffer: inout ByteBuffer) throws -> Bool {
        try write(value, &buffer)
    }

    /// The value's bytes, or `nil` for null.
    /// - Throws: ``SerdeError`` if the value cannot be serialized.
    public func serialize(_ value: Value) throws -> [UInt8]? {
        var buffer = ByteBuffer()
        guard try write(value, &buffer) else { return nil }
        return Array(buffer.readableBytesView)
    }

    /// Reads a value from bytes that are exactly one key or value (`nil` for null).
    /// - Throws: ``SerdeError`` if the bytes are not a valid encoding.
    @inlinable
    public func deserialize(_ bytes: ByteBuffer?) throws -> Value {
        try read(bytes)
    }

    /// Reads a value from a byte array (`nil` for null).
    /// - Throws: ``SerdeError`` if the bytes are not a valid encoding.
    public func deserialize(_ bytes: [UInt8]?) throws -> Value {
        guard let bytes else { return try read(nil) }
        return try read(ByteBuffer(bytes: bytes))
    }

    /// A serde for another type, converting through this one.
    ///
    /// - Parameters:
    ///   - name: the new serde's name.
    ///   - to: converts a new value into this serde's type before writing.
    ///   - from: converts a value read by this serde into the new type; may throw.
    public func map<T>(
        name: String, to: @escaping @Sendable (T) throws -> Value,
        from: @escaping @Sendable (Value) throws -> T
    ) -> Serde<T> {
        let base = self
        return Serde<T>(
            name: name,
            serializeNullable: { value, buffer in try base.write(to(value), &buffer) },
            deserializeNullable: { bytes in try from(base.read(bytes)) })
    }
}

extension Serde {
    /// A serde for an optional value: null bytes read as `nil` and `nil` writes null;
    /// anything else goes through `wrapped`.
    ///
    /// ```swift
    /// builder.stream("lines", key: .optional(.string), value: .string)
    /// ```
    public static func optional<Wrapped>(_ wrapped: Serde<Wrapped>) -> Serde<Wrapped?>
    where Value == Wrapped? {
        Serde<Wrapped?>(
            name: "Optional<\(wrapped.name)>",
            serializeNullable: { value, buffer in
                guard let value else { return false }
                return try wrapped.write(value, &buffer)
            },
            deserializeNullable: { bytes in
                guard let bytes else { return nil }
                return try wrapped.read(bytes)
            })
    }
}
