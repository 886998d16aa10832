import KafkaStreams
import NIOCore

/// Reads, in order, the records a ``TopologyTestDriver``'s topology wrote to one topic.
///
/// Every read consumes: a record is returned once. Null keys and values read as `nil`
/// without reaching the serdes.
public final class TestOutputTopic<Key, Value> {
    private let driver: TopologyTestDriver
    /// The topic name.
    public let topic: String
    private let keySerde: Serde<Key>
    private let valueSerde: Serde<Value>

    init(driver: TopologyTestDriver, topic: String, keySerde: Serde<Key>, valueSerde: Serde<Value>) {
        self.driver = driver
        self.topic = topic
        self.keySerde = keySerde
        self.valueSerde = valueSerde
    }

    private var log: OutputLog { driver.collector.log(topic) }

    /// The number of records not read yet.
    public var queueSize: Int { log.unread }

    /// Whether every record has been read.
    public var isEmpty: Bool { log.unread == 0 }

    /// The next record.
    /// - Throws: ``StreamsError`` (`illegalState`) if there is none, (`deserialization`) if
    ///   its bytes do not match the serdes.
    public func readRecord() throws -> TestRecord<Key, Value> {
        let log = self.log
        guard let entry = log.next() else {
            throw StreamsError(.illegalState, "no more records in output topic \(topic)", context: .init(topic: topic))
        }
        do {
            let key = try log.key(entry).map { try keySerde.deserialize($0) }
            let value = try log.value(entry).map { try valueSerde.deserialize($0) }
            return TestRecord(key: key, value: value, timestamp: entry.timestamp, headers: entry.headers)
        } catch {
            throw StreamsError(
                .deserialization, "could not read a record of output topic \(topic): \(error)", context: .init(topic: topic),
                cause: error)
        }
    }

    /// The next value.
    /// - Throws: as ``readRecord()``.
    public func readValue() throws -> Value? { try readRecord().value }

    /// The next key and value.
    /// - Throws: as ``readRecord()``.
    public func readKeyValue() throws -> KeyValue<Key?, Value?> {
        let record = try readRecord()
        return KeyValue(record.key, record.value)
    }

    /// Every unread record, in order.
    /// - Throws: ``StreamsError`` if a record cannot be deserialized.
    public func readRecordsToList() throws -> [TestRecord<Key, Value>] {
        var result: [TestRecord<Key, Value>] = []
        while !isEmpty { result.append(try readRecord()) }
        return result
    }

    /// Every unread value, in order.
    /// - Throws: ``StreamsError`` if a record cannot be deserialized.
    public func readValuesToList() throws -> [Value?] { try readRecordsToList().map(\.value) }

    /// Every unread key and value, in order.
    /// - Throws: ``StreamsError`` if a record cannot be deserialized.
    public func readKeyValuesToList() throws -> [KeyValue<Key?, Value?>] {
        try readRecordsToList().map { KeyValue($0.key, $0.value) }
    }
}

extension TestOutputTopic where Key: Hashable {
    /// The latest value per key of every unread record, as a table: a null value removes
    /// the key.
    /// - Throws: ``StreamsError`` if a record has a null key or cannot be deserialized.
    public func readKeyValuesToMap() throws -> [Key: Value] {
        var table: [Key: Value] = [:]
        for record in try readRecordsToList() {
            guard let key = record.key else {
                throw StreamsError(
                    .illegalState, "output topic \(topic) has a record with a null key; use readKeyValuesToList",
                    context: .init(topic: topic))
            }
            table[key] = record.value
        }
        return table
    }
}
