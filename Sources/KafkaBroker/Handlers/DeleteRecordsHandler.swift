import KafkaProtocol

extension BrokerCore {
    /// DeleteRecords: moves each partition's log start offset up to the given offset (-1:
    /// the high watermark) and deletes whole segments below it.
    func handleDeleteRecords(_ request: DeleteRecordsRequest, _ context: RequestContext) -> DeleteRecordsResponse {
        DeleteRecordsResponse(
            topics: request.topics.map { topic in
                .init(
                    name: topic.name,
                    partitions: topic.partitions.map { p in
                        guard let partition = partition(topic.name, p.partitionIndex) else {
                            return .init(partitionIndex: p.partitionIndex, lowWatermark: -1, errorCode: KafkaErrorCode.unknownTopicOrPartition.code)
                        }
                        let target = p.offset == -1 ? partition.highWatermark : p.offset
                        guard target >= 0, target <= partition.highWatermark else {
                            return .init(partitionIndex: p.partitionIndex, lowWatermark: -1, errorCode: KafkaErrorCode.offsetOutOfRange.code)
                        }
                        do {
                            try partition.log.deleteRecords(before: target)
                            partition.pruneAbortedTransactions()
                        } catch {
                            return .init(partitionIndex: p.partitionIndex, lowWatermark: -1, errorCode: KafkaErrorCode.kafkaStorageError.code)
                        }
                        return .init(partitionIndex: p.partitionIndex, lowWatermark: partition.logStartOffset, errorCode: 0)
                    })
            })
    }
}
