import Foundation
import KafkaProtocol
import NIOCore

/// A broker-internal keyed log (consumer offsets, transaction state): records with a
/// string key and a JSON value (nil value = tombstone), stored in a ``PartitionLog`` and
/// replayed in order on start.
final class InternalLog {
    let log: PartitionLog

    /// Opens the log in `directory`, calling `replay` for every stored record in order.
    init(directory: String, replay: (String, Data?) -> Void) throws {
        var config = EffectiveTopicConfig(TopicConfig(), brokerDefaults: [:])
        config.segmentBytes = 64 << 20
        config.delete = false
        log = try PartitionLog(directory: directory, config: config) { _, _, _ in }
        var offset = log.logStartOffset
        while offset < log.logEndOffset {
            var bytes = try log.read(from: offset, maxBytes: 1 << 20, limit: .max, minOneBatch: true)
            guard bytes.readableBytes > 0 else { break }
            while bytes.readableBytes > 0, let batch = try? RecordBatch(decoding: &bytes, verifyChecksum: false) {
                for record in try batch.records() {
                    guard let key = record.key.map({ String(buffer: $0) }) else { continue }
                    replay(key, record.value.map { Data($0.readableBytesView) })
                }
                offset = batch.nextOffset
            }
        }
    }

    /// Appends records (key, JSON value or nil) as one batch and forces them to disk.
    func append(_ records: [(String, Data?)]) throws {
        guard !records.isEmpty else { return }
        var builder = RecordBatchBuilder(initialCapacity: 256)
        let now = nowMs()
        for (key, value) in records {
            builder.append(timestamp: now, key: ByteBuffer(string: key), value: value.map { ByteBuffer(bytes: $0) })
        }
        let bytes = try builder.finish()
        try log.append(bytes, header: BatchHeader(bytes, at: bytes.readerIndex)!)
        try log.flush()
    }
}
