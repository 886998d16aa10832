import Foundation
import KafkaProtocol

/// One transactional id's coordinator state, as persisted in the transaction log.
struct TransactionMetadata: Codable {
    enum Phase: String, Codable {
        case empty = "Empty"
        case ongoing = "Ongoing"
        case completeCommit = "CompleteCommit"
        case completeAbort = "CompleteAbort"
    }

    var transactionalId: String
    var producerId: Int64
    var producerEpoch: Int16
    var timeoutMs: Int32
    var phase: Phase
    var partitions: [TopicPartitionKey]
    var groups: [String]
    var startedMs: Int64
}

/// The transaction coordinator's state: transactional ids and the producer id allocator,
/// rebuilt from the transaction log on start.
struct TransactionState {
    var transactions: [String: TransactionMetadata] = [:]
    /// Producer id → transactional id, for checking transactional produce.
    var byProducerId: [Int64: String] = [:]
    /// The next producer id to hand out.
    var nextProducerId: Int64 = 1000
    /// The end of the block of ids reserved in the log; ids up to it may have been used.
    var reservedUntil: Int64 = 1000

    static let blockSize: Int64 = 1000

    mutating func replay(key: String, value: Data?) {
        if key == "producer-id-block" {
            if let value, let text = String(data: value, encoding: .utf8), let end = Int64(text) {
                reservedUntil = max(reservedUntil, end)
                nextProducerId = reservedUntil
            }
            return
        }
        guard key.hasPrefix("txn\u{0}") else { return }
        let id = String(key.dropFirst(4))
        if let old = transactions[id] { byProducerId[old.producerId] = nil }
        if let value, let meta = try? JSONDecoder().decode(TransactionMetadata.self, from: value) {
            transactions[id] = meta
            byProducerId[meta.producerId] = id
        } else {
            transactions[id] = nil
        }
    }
}
