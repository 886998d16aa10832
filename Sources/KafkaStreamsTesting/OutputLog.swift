import KafkaStreams
import NIOCore

/// The records written to one topic in the test driver, kept serialized in one buffer.
///
/// Appending costs no allocation beyond the buffer's amortized growth; records are
/// deserialized only when a test reads them. Once every record has been read, the buffer
/// is reused from the start.
final class OutputLog {
    struct Entry {
        var keyStart: Int
        var keyLength: Int  // -1: null
        var valueStart: Int
        var valueLength: Int  // -1: null
        var timestamp: Int64
        var headers: Headers
    }

    private(set) var data = ByteBuffer()
    private(set) var entries: [Entry] = []
    private(set) var readIndex = 0
    /// Offset of `entries[0]` in the topic, so offsets keep growing across reuse.
    private(set) var baseOffset: Int64 = 0

    var unread: Int { entries.count - readIndex }

    /// How many records were ever appended.
    var totalAppended: Int64 { baseOffset + Int64(entries.count) }

    /// Serializes a record onto the end of the log and returns its offset.
    func append<Key, Value>(
        _ record: Record<Key, Value>, keySerde: Serde<Key>, valueSerde: Serde<Value>
    ) throws -> Int64 {
        if readIndex == entries.count && !entries.isEmpty {
            baseOffset += Int64(entries.count)
            entries.removeAll(keepingCapacity: true)
            readIndex = 0
            data.clear()
        }
        let keyStart = data.writerIndex
        let keyLength = try keySerde.serialize(record.key, into: &data) ? data.writerIndex - keyStart : -1
        let valueStart = data.writerIndex
        let valueLength = try valueSerde.serialize(record.value, into: &data) ? data.writerIndex - valueStart : -1
        entries.append(
            Entry(
                keyStart: keyStart, keyLength: keyLength, valueStart: valueStart, valueLength: valueLength,
                timestamp: record.timestamp, headers: record.headers))
        return baseOffset + Int64(entries.count - 1)
    }

    /// Appends raw key and value bytes (a changelog record) and returns its offset.
    func appendBytes(key: [UInt8], value: ArraySlice<UInt8>?, timestamp: Int64) -> Int64 {
        if readIndex == entries.count && !entries.isEmpty {
            baseOffset += Int64(entries.count)
            entries.removeAll(keepingCapacity: true)
            readIndex = 0
            data.clear()
        }
        let keyStart = data.writerIndex
        data.writeBytes(key)
        let valueStart = data.writerIndex
        if let value { data.writeBytes(value) }
        entries.append(
            Entry(
                keyStart: keyStart, keyLength: key.count, valueStart: valueStart, valueLength: value?.count ?? -1,
                timestamp: timestamp, headers: Headers()))
        return baseOffset + Int64(entries.count - 1)
    }

    /// The key bytes of an entry (`nil` for null).
    func key(_ entry: Entry) -> ByteBuffer? {
        entry.keyLength < 0 ? nil : data.getSlice(at: entry.keyStart, length: entry.keyLength)
    }

    /// The value bytes of an entry (`nil` for null).
    func value(_ entry: Entry) -> ByteBuffer? {
        entry.valueLength < 0 ? nil : data.getSlice(at: entry.valueStart, length: entry.valueLength)
    }

    /// The entry at an absolute offset, if still held.
    func entry(atOffset offset: Int64) -> Entry? {
        let i = Int(offset - baseOffset)
        return entries.indices.contains(i) ? entries[i] : nil
    }

    /// The offset of an entry just taken with ``next()``.
    func offset(of entry: Entry) -> Int64 { baseOffset + Int64(readIndex - 1) }

    /// Takes the next unread entry.
    func next() -> Entry? {
        guard readIndex < entries.count else { return nil }
        defer { readIndex += 1 }
        return entries[readIndex]
    }
}
