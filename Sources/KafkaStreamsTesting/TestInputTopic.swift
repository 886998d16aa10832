import KafkaStreams
import NIOCore

/// Pipes records into one topic of a ``TopologyTestDriver``.
///
/// Records piped without a timestamp get the topic's current time, which then advances by
/// the auto-advance duration. Every pipe processes the record to completion before it
/// returns, and throws what processing threw.
public final class TestInputTopic<Key, Value> {
    private let driver: TopologyTestDriver
    /// The topic name.
    public let topic: String
    private let keySerde: Serde<Key>
    private let valueSerde: Serde<Value>
    private var currentTime: Int64
    private let autoAdvance: Int64
    private var scratch = ByteBuffer()
    private var cursor: TopologyTestDriver.InputCursor?

    init(
        driver: TopologyTestDriver, topic: String, keySerde: Serde<Key>, valueSerde: Serde<Value>, startTimestamp: Int64,
        autoAdvance: Duration
    ) {
        self.driver = driver
        self.topic = topic
        self.keySerde = keySerde
        self.valueSerde = valueSerde
        self.currentTime = startTimestamp
        self.autoAdvance = autoAdvance.millis
    }

    /// Moves the topic's current time forward (or backward, with a negative duration).
    public func advanceTime(_ duration: Duration) { currentTime += duration.millis }

    /// Pipes a value with a null key.
    /// - Throws: ``StreamsError`` from serialization or processing.
    public func pipeInput(_ value: Value, timestamp: Int64? = nil) throws {
        try pipeInput(TestRecord<Key, Value>(key: nil, value: value, timestamp: timestamp))
    }

    /// Pipes a key and a value.
    /// - Throws: ``StreamsError`` from serialization or processing.
    public func pipeInput(_ key: Key, _ value: Value, timestamp: Int64? = nil, headers: Headers = Headers()) throws {
        try pipeInput(TestRecord(key: key, value: value, timestamp: timestamp, headers: headers))
    }

    /// Pipes a record; `nil` key or value go on the topic as null.
    /// - Throws: ``StreamsError`` from serialization or processing.
    public func pipeInput(_ record: TestRecord<Key, Value>) throws {
        let timestamp: Int64
        if let explicit = record.timestamp {
            timestamp = explicit
        } else {
            timestamp = currentTime
            currentTime += autoAdvance
        }
        scratch.clear()
        let keyLength: Int
        let valueLength: Int
        do {
            keyLength = try write(record.key, keySerde)
            valueLength = try write(record.value, valueSerde)
        } catch {
            throw StreamsError(
                .serialization, "could not serialize the piped record for \(topic): \(error)", context: .init(topic: topic),
                cause: error)
        }
        let key = keyLength < 0 ? nil : scratch.getSlice(at: 0, length: keyLength)
        let value = valueLength < 0 ? nil : scratch.getSlice(at: max(keyLength, 0), length: valueLength)
        if cursor == nil { cursor = try driver.cursor(for: topic) }
        guard let cursor else { return }
        try driver.pipe(cursor, key: key, value: value, timestamp: timestamp, headers: record.headers)
    }

    private func write<T>(_ item: T?, _ serde: Serde<T>) throws -> Int {
        guard let item else { return -1 }
        let start = scratch.writerIndex
        return try serde.serialize(item, into: &scratch) ? scratch.writerIndex - start : -1
    }

    /// Pipes values with null keys, in order.
    /// - Throws: what the first failing pipe throws; earlier records stay processed.
    public func pipeValueList(_ values: [Value]) throws {
        for value in values { try pipeInput(value) }
    }

    /// Pipes key-value pairs, in order.
    /// - Throws: what the first failing pipe throws; earlier records stay processed.
    public func pipeKeyValueList(_ pairs: [KeyValue<Key, Value>]) throws {
        for pair in pairs { try pipeInput(pair.key, pair.value) }
    }

    /// Pipes records, in order.
    /// - Throws: what the first failing pipe throws; earlier records stay processed.
    public func pipeRecordList(_ records: [TestRecord<Key, Value>]) throws {
        for record in records { try pipeInput(record) }
    }
}
