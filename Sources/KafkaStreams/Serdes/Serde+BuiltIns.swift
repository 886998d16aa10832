import NIOCore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

// Built-in serdes, byte-compatible with Kafka's Java serdes (`Serdes.String()`,
// `Serdes.Long()`, ...) so that topics interoperate with Java applications.

extension Serde where Value == String {
    /// UTF-8 text, as Kafka's `StringSerde`. Invalid UTF-8 is rejected.
    public static var string: Serde<String> {
        Serde(
            name: "String",
            serialize: { value, buffer in buffer.writeString(value) },
            deserialize: { buffer in
                // ASCII needs no validation beyond the high bit; anything else is validated.
                let isASCII = buffer.withUnsafeReadableBytes { bytes in
                    var combined: UInt8 = 0
                    for byte in bytes { combined |= byte }
                    return combined < 0x80
                }
                if isASCII { return String(decoding: buffer.readableBytesView, as: UTF8.self) }
                guard let text = String(validating: buffer.readableBytesView, as: UTF8.self) else {
                    throw SerdeError("String received \(buffer.readableBytes) bytes that are not valid UTF-8")
                }
                return text
            })
    }
}

extension Serde where Value == [UInt8] {
    /// Raw bytes, unchanged, as Kafka's `ByteArraySerde`.
    public static var bytes: Serde<[UInt8]> {
        Serde(
            name: "Bytes",
            serialize: { value, buffer in buffer.writeBytes(value) },
            deserialize: { buffer in buffer.readBytes(length: buffer.readableBytes) ?? [] })
    }
}

extension Serde where Value == Int32 {
    /// A 4-byte big-endian two's-complement integer, as Kafka's `IntegerSerde`.
    public static var int32: Serde<Int32> {
        Serde(
            name: "Int32",
            serialize: { value, buffer in buffer.writeInteger(value, endianness: .big) },
            deserialize: { buffer in
                guard buffer.readableBytes == 4, let v = buffer.readInteger(endianness: .big, as: Int32.self)
                else { throw SerdeError.wrongSize("Int32", expected: 4, actual: buffer.readableBytes) }
                return v
            })
    }
}

extension Serde where Value == Int64 {
    /// An 8-byte big-endian two's-complement integer, as Kafka's `LongSerde`.
    public static var int64: Serde<Int64> {
        Serde(
            name: "Int64",
            serialize: { value, buffer in buffer.writeInteger(value, endianness: .big) },
            deserialize: { buffer in
                guard buffer.readableBytes == 8, let v = buffer.readInteger(endianness: .big, as: Int64.self)
                else { throw SerdeError.wrongSize("Int64", expected: 8, actual: buffer.readableBytes) }
                return v
            })
    }
}

extension Serde where Value == Double {
    /// An 8-byte IEEE 754 big-endian double, as Kafka's `DoubleSerde`.
    public static var double: Serde<Double> {
        Serde(
            name: "Double",
            serialize: { value, buffer in buffer.writeInteger(value.bitPattern, endianness: .big) },
            deserialize: { buffer in
                guard buffer.readableBytes == 8, let bits = buffer.readInteger(endianness: .big, as: UInt64.self)
                else { throw SerdeError.wrongSize("Double", expected: 8, actual: buffer.readableBytes) }
                return Double(bitPattern: bits)
            })
    }
}

extension Serde where Value == Float {
    /// A 4-byte IEEE 754 big-endian float, as Kafka's `FloatSerde`.
    public static var float: Serde<Float> {
        Serde(
            name: "Float",
            serialize: { value, buffer in buffer.writeInteger(value.bitPattern, endianness: .big) },
            deserialize: { buffer in
                guard buffer.readableBytes == 4, let bits = buffer.readInteger(endianness: .big, as: UInt32.self)
                else { throw SerdeError.wrongSize("Float", expected: 4, actual: buffer.readableBytes) }
                return Float(bitPattern: bits)
            })
    }
}

extension Serde where Value == Bool {
    /// One byte, `0x01` for true and `0x00` for false, as Kafka's `BooleanSerde`.
    public static var bool: Serde<Bool> {
        Serde(
            name: "Bool",
            serialize: { value, buffer in buffer.writeInteger(value ? 1 : 0, as: UInt8.self) },
            deserialize: { buffer in
                guard buffer.readableBytes == 1, let byte = buffer.readInteger(as: UInt8.self) else {
                    throw SerdeError.wrongSize("Bool", expected: 1, actual: buffer.readableBytes)
                }
                switch byte {
                case 0: return false
                case 1: return true
                default: throw SerdeError("Bool received byte \(byte); expected 0x00 or 0x01")
                }
            })
    }
}

extension Serde where Value == UUID {
    /// A UUID in its 36-character string form, as Kafka's `UUIDSerde`.
    public static var uuid: Serde<UUID> {
        Serde(
            name: "UUID",
            serialize: { value, buffer in buffer.writeString(value.uuidString.lowercased()) },
            deserialize: { buffer in
                let text = buffer.readString(length: buffer.readableBytes) ?? ""
                guard let uuid = UUID(uuidString: text) else {
                    throw SerdeError("UUID received \"\(text.prefix(64))\", which is not a UUID")
                }
                return uuid
            })
    }
}

extension Serde where Value == Void {
    /// Always null, as Kafka's `VoidSerde`: writes null and rejects any non-null data, even
    /// empty.
    public static var void: Serde<Void> {
        Serde(
            name: "Void",
            serializeNullable: { _, _ in false },
            deserializeNullable: { bytes in
                if let bytes {
                    throw SerdeError("Void received \(bytes.readableBytes) bytes of non-null data; expected null")
                }
            })
    }
}

extension Serde where Value: Codable {
    /// JSON for any `Codable` type, UTF-8 encoded.
    ///
    /// ```swift
    /// struct Payment: Codable { var card: String; var amount: Double }
    /// builder.stream("payments", key: .string, value: .json(Payment.self))
    /// ```
    public static func json(_ type: Value.Type = Value.self) -> Serde<Value> {
        let name = "JSON<\(Value.self)>"
        return Serde(
            name: name,
            serialize: { value, buffer in
                do {
                    buffer.writeBytes(try JSONEncoder().encode(value))
                } catch {
                    throw SerdeError("\(name) could not encode the value: \(error)")
                }
            },
            deserialize: { buffer in
                let data = Data(buffer.readableBytesView)
                do {
                    return try JSONDecoder().decode(Value.self, from: data)
                } catch {
                    throw SerdeError("\(name) could not decode \(data.count) bytes: \(error)")
                }
            })
    }
}
