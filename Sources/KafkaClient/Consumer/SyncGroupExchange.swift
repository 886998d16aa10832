import KafkaProtocol
import NIOCore

/// SyncGroup as the consumer sends it: `KafkaProtocol.SyncGroupRequest`, with a response
/// decoder that reads a null assignment as empty bytes.
///
/// Kafka never sends a null assignment (the field is not nullable), but librdkafka's mock
/// cluster answers every SyncGroup error — REBALANCE_IN_PROGRESS included, which any
/// rebalance with several members produces — with a null one (length -1). The error code is
/// what matters in such an answer, so it is read rather than rejected as malformed; any
/// other malformation still fails the request.
struct SyncGroupExchange: KafkaRequest {
    typealias Response = SyncGroupAnswer

    static let apiKey: Int16 = SyncGroupRequest.apiKey
    static let versions: ClosedRange<Int16> = SyncGroupRequest.versions
    static func isFlexible(_ version: Int16) -> Bool { SyncGroupRequest.isFlexible(version) }

    var request: SyncGroupRequest

    init(_ request: SyncGroupRequest) { self.request = request }

    func encode(into buffer: inout ByteBuffer, version: Int16) throws {
        try request.encode(into: &buffer, version: version)
    }

    init(from buffer: inout ByteBuffer, version: Int16) throws {
        request = try SyncGroupRequest(from: &buffer, version: version)
    }
}

/// A SyncGroup response (v0-3, non-flexible): throttle time (v1+), error code, assignment.
struct SyncGroupAnswer: KafkaMessage {
    static let apiKey: Int16 = SyncGroupResponse.apiKey
    static let versions: ClosedRange<Int16> = SyncGroupResponse.versions
    static func isFlexible(_ version: Int16) -> Bool { SyncGroupResponse.isFlexible(version) }

    var errorCode: Int16
    var assignment: ByteBuffer

    init(errorCode: Int16, assignment: ByteBuffer) {
        self.errorCode = errorCode
        self.assignment = assignment
    }

    func encode(into buffer: inout ByteBuffer, version: Int16) throws {
        try SyncGroupResponse(errorCode: errorCode, assignment: assignment).encode(into: &buffer, version: version)
    }

    init(from buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.versions.contains(version), !Self.isFlexible(version) else {
            throw ProtocolError(.unsupportedVersion, "SyncGroupResponse v\(version) is not implemented")
        }
        if version >= 1 { _ = try buffer.readKafkaInt32() }
        errorCode = try buffer.readKafkaInt16()
        let length = try buffer.readKafkaInt32()
        if length < 0 {
            assignment = ByteBuffer()
        } else {
            guard let bytes = buffer.readSlice(length: Int(length)) else {
                throw ProtocolError(
                    .truncated, "SyncGroupResponse.Assignment needs \(length) bytes, \(buffer.readableBytes) left")
            }
            assignment = bytes
        }
    }
}
