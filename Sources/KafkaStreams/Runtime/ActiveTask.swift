import KafkaClient
import KafkaProtocol

/// A task as a stream thread runs it: the ``StreamTask`` with its state manager, the
/// queues of fetched records of its input partitions, and the offsets to commit.
///
/// Records are taken across the task's partitions in timestamp order (the smallest head
/// first, Kafka's `PartitionGroup`). When a partition has nothing buffered, the task
/// waits up to `max.task.idle.ms` for it before processing the others, so that a join
/// sees both sides in time order.
final class ActiveTask {
    let task: StreamTask
    let stateManager: ProcessorStateManager
    /// The input partitions of the task.
    let partitions: Set<TopicPartition>
    private var queues: [RecordQueue] = []
    private var queueByPartition: [TopicPartition: RecordQueue] = [:]
    /// The next offset to commit per input partition (last processed + 1).
    private(set) var consumedOffsets: [TopicPartition: Int64] = [:]
    /// Offsets processed since the last commit.
    private(set) var hasUncommitted = false
    /// When the task began waiting for an empty partition (max.task.idle.ms).
    private var idleSince: ContinuousClock.Instant?
    private let maxTaskIdle: Duration

    /// The task id.
    var id: TaskId { task.id }

    init(task: StreamTask, stateManager: ProcessorStateManager, partitions: Set<TopicPartition>, maxTaskIdle: Duration) throws {
        self.task = task
        self.stateManager = stateManager
        self.partitions = partitions
        self.maxTaskIdle = maxTaskIdle
        for tp in partitions.sorted(by: { ($0.topic, $0.partition) < ($1.topic, $1.partition) }) {
            guard let input = task.input(topic: tp.topic, partition: tp.partition) else {
                throw StreamsError(
                    .illegalState, "task \(task.id) was given partition \(tp), which none of its sources reads",
                    context: .init(topic: tp.topic, partition: tp.partition, taskId: task.id))
            }
            let queue = RecordQueue(input: input)
            queues.append(queue)
            queueByPartition[tp] = queue
        }
    }

    /// Buffers a fetched record.
    func add(_ record: ConsumerRecord) {
        queueByPartition[record.topicPartition]?.append(record)
    }

    /// Records buffered and not processed.
    var buffered: Int { queues.reduce(0) { $0 + $1.count } }

    /// Processes buffered records in timestamp order until none can go.
    /// - Returns: the number processed.
    /// - Throws: ``StreamsError`` from the topology (with the record's context).
    func process() throws -> Int {
        var processed = 0
        while let queue = nextQueue() {
            guard let record = queue.next() else { break }
            try task.process(
                queue.input, offset: record.offset, timestamp: record.timestamp, key: record.key, value: record.value,
                headers: Self.headers(record.headers))
            consumedOffsets[record.topicPartition] = record.offset + 1
            hasUncommitted = true
            processed += 1
            try task.punctuateStreamTime()
        }
        return processed
    }

    /// The queue whose head has the smallest timestamp, or `nil` if the task should wait:
    /// nothing buffered, or a partition empty while `max.task.idle.ms` has not passed.
    private func nextQueue() -> RecordQueue? {
        var best: RecordQueue?
        var anyEmpty = false
        for queue in queues {
            if queue.isEmpty {
                anyEmpty = true
            } else if best == nil || queue.headTimestamp < best!.headTimestamp {
                best = queue
            }
        }
        guard let best else { return nil }
        if anyEmpty && queues.count > 1 && maxTaskIdle > .zero {
            let now = ContinuousClock.now
            if let since = idleSince {
                if now - since < maxTaskIdle { return nil }
            } else {
                idleSince = now
                return nil
            }
        } else {
            idleSince = nil
        }
        return best
    }

    /// Marks the consumed offsets as committed.
    func committed() { hasUncommitted = false }

    /// Drops buffered records (before a close or after offsets were reset).
    func clearBuffers() { for queue in queues { queue.clear() } }

    /// The consumer's headers as the stream's (no allocation when there are none).
    static func headers(_ headers: RecordHeaders) -> Headers {
        guard !headers.isEmpty else { return Headers() }
        return Headers(headers.map { Header(key: $0.key, value: $0.value.map { Array($0.readableBytesView) }) })
    }
}
