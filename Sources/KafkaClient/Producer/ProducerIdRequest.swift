import KafkaProtocol
import NIOCore

/// InitProducerId for the idempotent producer, in versions 0-4.
///
/// `KafkaProtocol.InitProducerIdRequest` implements v0-2 (the response definition in
/// `shared/kafka-protocol` stops at v2). Versions 3 and 4 only add `ProducerId` and
/// `ProducerEpoch` (both -1 for a first request) to the request; the response is the
/// same as v2's (Kafka's `InitProducerIdResponse.json`: "Version 3 is the same as version
/// 2. Version 4 adds the support for new error code PRODUCER_FENCED"). Brokers that
/// expect the v3 fields (tansu 0.6 fails a v2 request of a non-transactional producer
/// with UNKNOWN_SERVER_ERROR) get them, and negotiation still picks the highest version
/// both sides speak.
///
/// Internal to the producer until `KafkaProtocol` carries v3+ itself.
struct ProducerIdRequest: KafkaRequest {
    typealias Response = ProducerIdResponse

    static let apiKey: Int16 = InitProducerIdRequest.apiKey
    static let versions: ClosedRange<Int16> = 0...4
    static func isFlexible(_ version: Int16) -> Bool { version >= 2 }

    /// `nil` for an idempotent (non-transactional) producer.
    var transactionalId: String?
    var transactionTimeoutMs: Int32
    var producerId: Int64 = -1
    var producerEpoch: Int16 = -1

    init(transactionalId: String?, transactionTimeoutMs: Int32) {
        self.transactionalId = transactionalId
        self.transactionTimeoutMs = transactionTimeoutMs
    }

    func encode(into buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.versions.contains(version) else {
            throw ProtocolError(
                .unsupportedVersion,
                "InitProducerIdRequest v\(version) is not implemented (v\(Self.versions.lowerBound)-\(Self.versions.upperBound))")
        }
        if version <= 2 {
            try InitProducerIdRequest(transactionalId: transactionalId, transactionTimeoutMs: transactionTimeoutMs)
                .encode(into: &buffer, version: version)
            return
        }
        try buffer.writeKafkaNullableString(transactionalId, compact: true, field: "InitProducerIdRequest.TransactionalId")
        buffer.writeKafkaInt32(transactionTimeoutMs)
        buffer.writeKafkaInt64(producerId)
        buffer.writeKafkaInt16(producerEpoch)
        buffer.writeTaggedFields([])
    }

    init(from buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.versions.contains(version) else {
            throw ProtocolError(
                .unsupportedVersion,
                "InitProducerIdRequest v\(version) is not implemented (v\(Self.versions.lowerBound)-\(Self.versions.upperBound))")
        }
        if version <= 2 {
            let v2 = try InitProducerIdRequest(from: &buffer, version: version)
            self.init(transactionalId: v2.transactionalId, transactionTimeoutMs: v2.transactionTimeoutMs)
            return
        }
        self.init(
            transactionalId: try buffer.readKafkaNullableString(compact: true), transactionTimeoutMs: try buffer.readKafkaInt32())
        producerId = try buffer.readKafkaInt64()
        producerEpoch = try buffer.readKafkaInt16()
        _ = try buffer.readTaggedFields()
    }
}

/// The InitProducerId response in versions 0-4 (v3 and v4 have v2's layout).
struct ProducerIdResponse: KafkaMessage {
    static let apiKey: Int16 = InitProducerIdResponse.apiKey
    static let versions: ClosedRange<Int16> = 0...4
    static func isFlexible(_ version: Int16) -> Bool { version >= 2 }

    var response: InitProducerIdResponse

    init(_ response: InitProducerIdResponse) { self.response = response }

    func encode(into buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.versions.contains(version) else {
            throw ProtocolError(
                .unsupportedVersion,
                "InitProducerIdResponse v\(version) is not implemented (v\(Self.versions.lowerBound)-\(Self.versions.upperBound))"
            )
        }
        try response.encode(into: &buffer, version: min(version, 2))
    }

    init(from buffer: inout ByteBuffer, version: Int16) throws {
        guard Self.versions.contains(version) else {
            throw ProtocolError(
                .unsupportedVersion,
                "InitProducerIdResponse v\(version) is not implemented (v\(Self.versions.lowerBound)-\(Self.versions.upperBound))"
            )
        }
        response = try InitProducerIdResponse(from: &buffer, version: min(version, 2))
    }
}
