import KafkaStreams

/// The canonical word count: lines of text in, a running count per word out.
///
/// `lines` → split into lower-case words → group by word (repartitioning by word) →
/// count per word in the `counts-store` table → its updates to `counts`.
public enum WordCount {
    /// The input topic: one line of text per record, any key.
    public static let inputTopic = "streams-plaintext-input"
    /// The output topic: word → count, one record per update.
    public static let outputTopic = "streams-wordcount-output"
    /// The store holding the count per word.
    public static let storeName = "counts-store"

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
        builder.stream(inputTopic, key: .optional(.string), value: .string)
            .flatMapValues { line in words(line) }
            .groupBy { _, word in word }
            .count(.as(storeName))
            .toStream()
            .to(outputTopic, key: .string, value: .optional(.int64))
        return try builder.build()
    }
}
