import KafkaProtocol
import NIOCore

extension BrokerCore {
    /// Fetch: whole batches from each partition's fetch offset, as stored, within the
    /// request's byte limits (the first batch whole even when larger, KIP-74). Waits up to
    /// `maxWait` for `minBytes`. read_committed stops at the last stable offset and lists the
    /// aborted transactions of the returned range. Fetch sessions are declined (session id 0):
    /// every fetch is a full fetch.
    func handleFetch(_ request: FetchRequest, _ context: RequestContext) async -> FetchResponse {
        let deadline = ContinuousClock.now + .milliseconds(max(0, Int(request.maxWait)))
        let readCommitted = request.isolationLevel == 1
        while true {
            if isStopping || Task.isCancelled || ContinuousClock.now >= deadline { break }
            if request.minBytes <= 1 {
                if hasFetchableData(request, readCommitted: readCommitted) { break }
            } else {
                let (_, bytes) = buildFetch(request, readCommitted: readCommitted)
                if bytes >= Int(request.minBytes) { break }
            }
            let left = deadline - ContinuousClock.now
            try? await Task.sleep(for: min(left, .milliseconds(10)))
        }
        return buildFetch(request, readCommitted: readCommitted).0
    }

    private func hasFetchableData(_ request: FetchRequest, readCommitted: Bool) -> Bool {
        for topic in request.topics {
            for p in topic.fetchPartitions {
                guard let partition = partition(topic.name, p.partitionIndex) else { return true }
                let limit = readCommitted ? partition.lastStableOffset : partition.highWatermark
                if p.fetchOffset < limit || p.fetchOffset > partition.highWatermark || p.fetchOffset < partition.logStartOffset { return true }
            }
        }
        return false
    }

    private func buildFetch(_ request: FetchRequest, readCommitted: Bool) -> (FetchResponse, Int) {
        var remaining = request.maxBytes > 0 ? Int(request.maxBytes) : Int(Int32.max)
        var total = 0
        var topicsOut: [FetchResponse.FetchableTopicResponse] = []
        for topic in request.topics {
            var partitionsOut: [FetchResponse.FetchablePartitionResponse] = []
            for p in topic.fetchPartitions {
                guard let partition = partition(topic.name, p.partitionIndex) else {
                    partitionsOut.append(.init(partition: p.partitionIndex, errorCode: KafkaErrorCode.unknownTopicOrPartition.code, highWatermark: -1, recordSet: ByteBuffer()))
                    continue
                }
                var out = FetchResponse.FetchablePartitionResponse(
                    partition: p.partitionIndex, errorCode: 0, highWatermark: partition.highWatermark,
                    lastStableOffset: partition.lastStableOffset, logStartOffset: partition.logStartOffset,
                    abortedTransactions: readCommitted ? [] : nil, recordSet: ByteBuffer())
                if p.fetchOffset < partition.logStartOffset || p.fetchOffset > partition.highWatermark {
                    out.errorCode = KafkaErrorCode.offsetOutOfRange.code
                    partitionsOut.append(out)
                    continue
                }
                let limit = readCommitted ? partition.lastStableOffset : partition.highWatermark
                let maxBytes = min(Int(max(0, p.maxBytes)), remaining)
                do {
                    let bytes = try partition.log.read(from: p.fetchOffset, maxBytes: maxBytes, limit: limit, minOneBatch: total == 0)
                    if bytes.readableBytes > 0 {
                        total += bytes.readableBytes
                        remaining = max(0, remaining - bytes.readableBytes)
                        if readCommitted {
                            var end = p.fetchOffset
                            var index = bytes.readerIndex
                            while let header = BatchHeader(bytes, at: index) {
                                end = header.nextOffset
                                index += header.size
                            }
                            out.abortedTransactions = partition.abortedTransactions(from: p.fetchOffset, to: end).map {
                                .init(producerId: $0.producerId, firstOffset: $0.firstOffset)
                            }
                        }
                    }
                    out.recordSet = bytes
                } catch {
                    out.errorCode = KafkaErrorCode.kafkaStorageError.code
                    logger.error("fetch read failed", metadata: ["topic": "\(topic.name)", "partition": "\(p.partitionIndex)", "error": "\(error)"])
                }
                partitionsOut.append(out)
            }
            topicsOut.append(.init(topic: topic.name, partitionResponses: partitionsOut))
        }
        return (FetchResponse(errorCode: 0, sessionId: 0, responses: topicsOut), total)
    }
}
