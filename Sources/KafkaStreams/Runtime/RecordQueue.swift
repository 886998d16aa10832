import KafkaClient

/// The records fetched for one input partition of a task and not yet processed, oldest
/// first (Kafka Streams' `RecordQueue`).
final class RecordQueue {
    /// The task's input for this partition.
    let input: PartitionInput
    private var records: [ConsumerRecord] = []
    private var head = 0

    init(input: PartitionInput) { self.input = input }

    /// Whether no record is waiting.
    var isEmpty: Bool { head == records.count }

    /// How many records are waiting.
    var count: Int { records.count - head }

    /// The timestamp of the next record (Int64.max when empty).
    var headTimestamp: Int64 { isEmpty ? .max : records[head].timestamp }

    /// Appends fetched records (in offset order).
    func append(_ record: ConsumerRecord) {
        if head == records.count && head > 0 {
            records.removeAll(keepingCapacity: true)
            head = 0
        }
        records.append(record)
    }

    /// Takes the next record.
    func next() -> ConsumerRecord? {
        guard head < records.count else { return nil }
        defer { head += 1 }
        return records[head]
    }

    /// Drops every waiting record (the task is closing or its offsets are reset).
    func clear() {
        records.removeAll()
        head = 0
    }
}
