import NIOCore

// Primitives the generated message codecs use on top of `ByteBuffer+Kafka.swift`: arrays read and
// written element by element through a closure (no intermediate storage), and string/bytes
// variants that name the field in their errors and check classic length limits.

extension ByteBuffer {
    // MARK: arrays

    /// Reads a non-null array (`int32` count, or compact), reading each element with `readElement`.
    ///
    /// - Throws: `ProtocolError` `.invalidValue` when the array is null or its count exceeds the bytes
    ///   left, and whatever `readElement` throws.
    @inlinable
    public mutating func readKafkaArray<Element>(
        compact: Bool,
        field: StaticString,
        _ readElement: (inout ByteBuffer) throws -> Element
    ) throws -> [Element] {
        guard let count = try readKafkaArrayCount(compact: compact) else {
            throw ProtocolError(.invalidValue, "\(field) is null but is not nullable")
        }
        var elements: [Element] = []
        elements.reserveCapacity(count)
        for _ in 0..<count {
            elements.append(try readElement(&self))
        }
        return elements
    }

    /// Reads a nullable array (`int32` count, or compact); `nil` for a null array.
    ///
    /// - Throws: `ProtocolError` `.invalidValue` when the count exceeds the bytes left, and whatever
    ///   `readElement` throws.
    @inlinable
    public mutating func readKafkaNullableArray<Element>(
        compact: Bool,
        _ readElement: (inout ByteBuffer) throws -> Element
    ) throws -> [Element]? {
        guard let count = try readKafkaArrayCount(compact: compact) else { return nil }
        var elements: [Element] = []
        elements.reserveCapacity(count)
        for _ in 0..<count {
            elements.append(try readElement(&self))
        }
        return elements
    }

    /// Writes an array: its count (`int32`, or compact) then each element with `writeElement`.
    @inlinable
    public mutating func writeKafkaArray<Element>(
        _ elements: [Element],
        compact: Bool,
        _ writeElement: (inout ByteBuffer, Element) throws -> Void
    ) rethrows {
        writeKafkaArrayCount(elements.count, compact: compact)
        for element in elements {
            try writeElement(&self, element)
        }
    }

    /// Writes a nullable array; `nil` is written as count -1 (classic) or 0 (compact).
    @inlinable
    public mutating func writeKafkaNullableArray<Element>(
        _ elements: [Element]?,
        compact: Bool,
        _ writeElement: (inout ByteBuffer, Element) throws -> Void
    ) rethrows {
        guard let elements else {
            writeKafkaArrayCount(nil, compact: compact)
            return
        }
        try writeKafkaArray(elements, compact: compact, writeElement)
    }

    // MARK: strings and bytes naming their field

    /// Reads a non-null string; the error for a null names `field`.
    ///
    /// - Throws: `ProtocolError` `.invalidValue` for a null, `.truncated`, `.invalidUTF8`.
    @inlinable
    public mutating func readKafkaString(compact: Bool, field: StaticString) throws -> String {
        guard let text = try readKafkaNullableString(compact: compact) else {
            throw ProtocolError(.invalidValue, "\(field) is null but is not nullable")
        }
        return text
    }

    /// Reads non-null bytes; the error for a null names `field`.
    ///
    /// - Throws: `ProtocolError` `.invalidValue` for a null, `.truncated`.
    @inlinable
    public mutating func readKafkaBytes(compact: Bool, field: StaticString) throws -> ByteBuffer {
        guard let bytes = try readKafkaNullableBytes(compact: compact) else {
            throw ProtocolError(.invalidValue, "\(field) is null but is not nullable")
        }
        return bytes
    }

    /// Writes a non-null string, checking that a classic (`int16`-length) string fits.
    ///
    /// - Throws: `ProtocolError` `.invalidValue` when `value` is longer than 32767 UTF-8 bytes and
    ///   `compact` is false.
    @inlinable
    public mutating func writeKafkaString(_ value: String, compact: Bool, field: StaticString) throws {
        try Self.checkStringLength(value, compact: compact, field: field)
        writeKafkaString(value, compact: compact)
    }

    /// Writes a nullable string, checking that a classic (`int16`-length) string fits.
    ///
    /// - Throws: `ProtocolError` `.invalidValue` when `value` is longer than 32767 UTF-8 bytes and
    ///   `compact` is false.
    @inlinable
    public mutating func writeKafkaNullableString(_ value: String?, compact: Bool, field: StaticString) throws {
        if let value {
            try Self.checkStringLength(value, compact: compact, field: field)
        }
        writeKafkaNullableString(value, compact: compact)
    }

    @inlinable
    static func checkStringLength(_ value: String, compact: Bool, field: StaticString) throws {
        // A compact length is an unsigned varint (up to 2^32 - 2); a classic one an int16.
        let limit = compact ? Int(UInt32.max) - 1 : Int(Int16.max)
        let length = value.utf8.count
        if length > limit {
            throw ProtocolError(.invalidValue, "\(field) is \(length) bytes long; the limit is \(limit)")
        }
    }
}
