import KafkaStreams

/// The canonical word count: lines of text in, a running count per word out.
///
/// `lines` → split into lower-case words → re-key by word → repartition by word →
/// count per word in a key-value store → `counts` (word, count as Int64).
///
/// The counting step is a small ``Processor`` over a key-value store, which shows the
/// Processor API inside the DSL.
public enum WordCount {
    /// The input topic: one line of text per record, any key.
    public static let inputTopic = "streams-plaintext-input"
    /// The output topic: word → count, one record per update.
    public static let outputTopic = "streams-wordcount-output"
    /// The store holding the count per word.
    public static let storeName = "counts"

    /// Splits a line into lower-case words (letters, digits and apostrophes).
    public static func words(_ line: String) -> [String] {
        line.lowercased()
            .split { !($0.isLetter || $0.isNumber || $0 == "'") }
            .map(String.init)
    }

    /// The word-count topology.
    /// - Throws: ``StreamsError`` if the topology is invalid (it is not).
    public static func topology() throws -> Topology {
        let builder = StreamsBuilder()
        builder.addStateStore(
            Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(storeName), key: .string, value: .int64))
        builder.stream(inputTopic, key: .optional(.string), value: .string)
            .flatMapValues { line in words(line) }
            .selectKey { _, word in word }
            .repartition(Repartitioned(named: "words", key: .string, value: .string))
            .process(named: "count", stores: [storeName]) { Counter() }
            .to(outputTopic, key: .string, value: .int64)
        return try builder.build()
    }

    /// Adds one to the word's count and forwards the new count.
    final class Counter: Processor {
        var context: ProcessorContext<String, Int64>!
        var counts: (any KeyValueStore<String, Int64>)!

        func initialize(context: ProcessorContext<String, Int64>) throws {
            self.context = context
            counts = try context.getStateStore(WordCount.storeName)
        }

        func process(_ record: Record<String, String>) throws {
            let count = (try counts.get(record.key) ?? 0) + 1
            try counts.put(record.key, count)
            try context.forward(record.withValue(count))
        }
    }
}
