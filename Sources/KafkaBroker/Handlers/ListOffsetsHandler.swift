import KafkaProtocol

extension BrokerCore {
    /// ListOffsets: latest (-1: high watermark, or last stable offset for read_committed),
    /// earliest (-2, -4: log start offset), max timestamp (-3), or the first offset whose
    /// batch timestamp is at or after the given time (-1 when none).
    func handleListOffsets(_ request: ListOffsetsRequest, _ context: RequestContext) -> ListOffsetsResponse {
        let v0 = context.apiVersion == 0
        return ListOffsetsResponse(
            topics: request.topics.map { topic in
                .init(
                    name: topic.name,
                    partitions: topic.partitions.map { p in
                        var out = ListOffsetsResponse.ListOffsetsPartitionResponse(partitionIndex: p.partitionIndex, errorCode: 0)
                        guard let partition = partition(topic.name, p.partitionIndex) else {
                            out.errorCode = KafkaErrorCode.unknownTopicOrPartition.code
                            return out
                        }
                        var offset: Int64 = -1
                        var timestamp: Int64 = -1
                        switch p.timestamp {
                        case -1: offset = request.isolationLevel == 1 ? partition.lastStableOffset : partition.highWatermark
                        case -2, -4: offset = partition.logStartOffset
                        case -3:
                            if let found = try? partition.log.maxTimestampAndOffset() { (offset, timestamp) = (found.offset, found.timestamp) }
                        default:
                            if p.timestamp < 0 {
                                out.errorCode = KafkaErrorCode.unsupportedVersion.code
                            } else if let found = try? partition.log.offset(forTimestamp: p.timestamp) {
                                (offset, timestamp) = (found.offset, found.timestamp)
                            }
                        }
                        if v0 {
                            out.oldStyleOffsets = offset >= 0 && p.maxNumOffsets > 0 ? [offset] : []
                        } else {
                            out.offset = offset
                            out.timestamp = timestamp
                            if context.apiVersion >= 4 { out.leaderEpoch = 0 }
                        }
                        return out
                    })
            })
    }
}
