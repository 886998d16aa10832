import NIOCore

/// An update of a table row, as table processors pass it downstream: the new value and,
/// where a downstream operator asked for it, the old one. `nil` new value is a delete.
struct Change<Value> {
    var newValue: Value?
    var oldValue: Value?

    init(_ newValue: Value?, _ oldValue: Value?) {
        self.newValue = newValue
        self.oldValue = oldValue
    }
}

extension Serde {
    /// The format of table changes on repartition topics (internal to one application):
    /// one flags byte (bit 0: new present, bit 1: old present), then the new value as an
    /// `int32` length and bytes, then the old value's bytes.
    static func change<Wrapped>(_ value: Serde<Wrapped>) -> Serde<Change<Wrapped>> where Value == Change<Wrapped> {
        Serde<Change<Wrapped>>(
            name: "Change<\(value.name)>",
            serialize: { change, buffer in
                let flagsAt = buffer.writerIndex
                buffer.writeInteger(UInt8(0))
                var flags: UInt8 = 0
                if let new = change.newValue {
                    let lengthAt = buffer.writerIndex
                    buffer.writeInteger(Int32(0))
                    if try value.serialize(new, into: &buffer) {
                        flags |= 1
                        buffer.setInteger(Int32(buffer.writerIndex - lengthAt - 4), at: lengthAt)
                    } else {
                        buffer.moveWriterIndex(to: lengthAt)
                    }
                }
                if let old = change.oldValue {
                    let start = buffer.writerIndex
                    if try value.serialize(old, into: &buffer) { flags |= 2 } else { buffer.moveWriterIndex(to: start) }
                }
                buffer.setInteger(flags, at: flagsAt)
            },
            deserialize: { buffer in
                guard let flags = buffer.readInteger(as: UInt8.self), flags <= 3 else {
                    throw SerdeError("Change: missing or invalid flags byte")
                }
                var change = Change<Wrapped>(nil, nil)
                if flags & 1 != 0 {
                    guard let length = buffer.readInteger(as: Int32.self), length >= 0,
                        let slice = buffer.readSlice(length: Int(length))
                    else { throw SerdeError("Change: truncated new value") }
                    change.newValue = try value.deserialize(slice)
                }
                if flags & 2 != 0 { change.oldValue = try value.deserialize(buffer) }
                return change
            })
    }
}
