import KafkaProtocol

extension BrokerCore {
    /// Produce: validates each partition's batches (CRC, magic 2, sizes, record counts,
    /// idempotent sequences, transaction membership) and appends them with offsets assigned,
    /// compressed batches as sent. With one replica, acks=1 and acks=all are the same: the
    /// response is sent after the append (and after fsync when the flush policy asks).
    func handleProduce(_ request: ProduceRequest, _ context: RequestContext) -> ProduceResponse {
        let acksValid = request.acks == 0 || request.acks == 1 || request.acks == -1
        var topicsOut: [ProduceResponse.TopicProduceResponse] = []
        for topic in request.topics {
            var partitionsOut: [ProduceResponse.PartitionProduceResponse] = []
            for data in topic.partitions {
                var out = ProduceResponse.PartitionProduceResponse(partitionIndex: data.partitionIndex, errorCode: 0, baseOffset: -1)
                if !acksValid {
                    out.errorCode = KafkaErrorCode.invalidRequiredAcks.code
                } else if isStopping {
                    out.errorCode = KafkaErrorCode.notLeaderOrFollower.code
                } else if let partition = partition(topic.name, data.partitionIndex) {
                    let result = partition.appendFromProducer(data.records) { producerId, epoch in
                        self.transactionCheck(topic: topic.name, partition: data.partitionIndex, producerId: producerId, epoch: epoch)
                    }
                    out.errorCode = result.error.code
                    out.baseOffset = result.baseOffset
                    out.logAppendTimeMs = result.logAppendTime
                    out.logStartOffset = partition.logStartOffset
                    if result.error != .none {
                        out.errorMessage = result.message
                        logger.debug("produce rejected", metadata: ["topic": "\(topic.name)", "partition": "\(data.partitionIndex)", "error": "\(result.error.name)", "message": "\(result.message ?? "")"])
                    }
                } else {
                    out.errorCode = KafkaErrorCode.unknownTopicOrPartition.code
                }
                partitionsOut.append(out)
            }
            topicsOut.append(.init(name: topic.name, partitions: partitionsOut))
        }
        return ProduceResponse(responses: topicsOut)
    }
}
