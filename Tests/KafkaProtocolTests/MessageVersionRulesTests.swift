import KafkaProtocol
import NIOCore
import Testing

// Kafka's rules for writing a value in a version that cannot carry all of it, for nulls, and for
// tagged fields, as the generated codecs apply them.

private func expectError<M: KafkaVersioned>(
    _ value: M,
    version: Int16,
    code: ProtocolError.Code,
    mentioning parts: [String],
    sourceLocation: SourceLocation = #_sourceLocation
) {
    var buffer = ByteBuffer(bytes: [0xEE])
    do {
        try value.encode(into: &buffer, version: version)
        Issue.record("\(M.self) v\(version) encoded; expected ProtocolError.\(code.rawValue)", sourceLocation: sourceLocation)
    } catch let error as ProtocolError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        for part in parts {
            #expect(error.message.contains(part), "\(error) does not mention \(part)", sourceLocation: sourceLocation)
        }
    } catch {
        Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
    }
    #expect(
        buffer == ByteBuffer(bytes: [0xEE]), "a failed encode must leave the buffer as it was", sourceLocation: sourceLocation)
}

private func roundTrip<M: KafkaVersioned>(_ value: M, version: Int16) throws -> M {
    var buffer = ByteBuffer()
    try value.encode(into: &buffer, version: version)
    let decoded = try M(from: &buffer, version: version)
    #expect(buffer.readableBytes == 0)
    return decoded
}

@Suite("Version rules")
struct MessageVersionRulesTests {
    @Test("a non-ignorable field with a non-default value cannot be written to a version that lacks it")
    func nonIgnorableFieldThrows() throws {
        expectError(
            MetadataRequest(allowAutoTopicCreation: false),
            version: 3,
            code: .unsupportedVersion,
            mentioning: ["MetadataRequest.AllowAutoTopicCreation", "version 3"]
        )
        #expect(try roundTrip(MetadataRequest(allowAutoTopicCreation: false), version: 4).allowAutoTopicCreation == false)

        expectError(
            CreateTopicsRequest(validateOnly: true),
            version: 0,
            code: .unsupportedVersion,
            mentioning: ["CreateTopicsRequest.validateOnly", "version 0"]
        )
        // A nested field: the error names the path through the structs.
        let fetch = FetchRequest(topics: [.init(name: "t", fetchPartitions: [.init(logStartOffset: 7)])])
        expectError(
            fetch,
            version: 4,
            code: .unsupportedVersion,
            mentioning: ["FetchRequest.Topics.FetchPartitions.LogStartOffset", "version 4"]
        )
        #expect(try roundTrip(fetch, version: 5) == fetch)
        // A field removed in later versions.
        expectError(
            LeaveGroupRequest(groupId: "g", memberId: "m"),
            version: 3,
            code: .unsupportedVersion,
            mentioning: ["LeaveGroupRequest.MemberId", "version 3"]
        )
        // The v3 field implemented from released Kafka (see the definition's DEVIATION note).
        expectError(
            DescribeConfigsRequest(includeDocumentation: true),
            version: 2,
            code: .unsupportedVersion,
            mentioning: ["DescribeConfigsRequest.IncludeDocumentation"]
        )
    }

    @Test("the default value of a missing field is fine, and reading fills in the default")
    func defaultValueOfMissingField() throws {
        let request = MetadataRequest(topics: [.init(name: "a")], allowAutoTopicCreation: true)
        let decoded = try roundTrip(request, version: 3)
        #expect(decoded == request)
        let bytes: [UInt8] =
            [0, 0, 0, 1, 0, 1, 0x74]  // one topic, "t"
            + [0, 0, 0, 1, 0, 0, 0, 0]  // one partition, index 0
            + [0, 0]  // error code
            + [0, 0, 0, 0, 0, 0, 0, 9]  // base offset 9
            + [0, 0, 0, 0]  // throttle time (v1+)
        var buffer = ByteBuffer(bytes: bytes)
        let produced = try ProduceResponse(from: &buffer, version: 1)
        #expect(buffer.readableBytes == 0)
        // v1 lacks LogAppendTimeMs and LogStartOffset: they read as Kafka's default -1.
        #expect(produced.responses.first?.partitions.first?.logAppendTimeMs == -1)
        #expect(produced.responses.first?.partitions.first?.logStartOffset == -1)
        #expect(produced.responses.first?.partitions.first?.baseOffset == 9)
    }

    @Test("ignorable fields are dropped silently")
    func ignorableFieldsDropped() throws {
        let request = ApiVersionsRequest(clientSoftwareName: "swift-kafka", clientSoftwareVersion: "1.0")
        #expect(try roundTrip(request, version: 2) == ApiVersionsRequest())

        var partition = ProduceResponse.PartitionProduceResponse(partitionIndex: 1, baseOffset: 5)
        partition.logAppendTimeMs = 123
        partition.logStartOffset = 4
        partition.recordErrors = [.init(batchIndex: 0, batchIndexErrorMessage: "bad")]
        partition.errorMessage = "why"
        let response = ProduceResponse(responses: [.init(name: "t", partitions: [partition])], throttleTimeMs: 10)
        let v0 = try roundTrip(response, version: 0)
        #expect(v0.throttleTimeMs == 0)
        #expect(v0.responses[0].partitions[0] == ProduceResponse.PartitionProduceResponse(partitionIndex: 1, baseOffset: 5))
        #expect(try roundTrip(response, version: 8) == response)
    }

    @Test("a null in a version that does not allow it is .invalidValue, writing and reading")
    func nullability() throws {
        expectError(
            MetadataRequest(topics: nil), version: 0, code: .invalidValue, mentioning: ["MetadataRequest.Topics", "version 0"])
        var nullTopics = ByteBuffer(bytes: [0xFF, 0xFF, 0xFF, 0xFF])
        #expect {
            _ = try MetadataRequest(from: &nullTopics, version: 0)
        } throws: { ($0 as? ProtocolError)?.code == .invalidValue }

        // JoinGroupResponse.ProtocolName becomes nullable in v7.
        let join = JoinGroupResponse(protocolName: nil)
        expectError(join, version: 6, code: .invalidValue, mentioning: ["JoinGroupResponse.ProtocolName"])
        #expect(try roundTrip(join, version: 7).protocolName == nil)

        // A field that is never nullable is not an Optional at all: MetadataRequestTopic.name is a String.
        let name: String = MetadataRequest.MetadataRequestTopic().name
        #expect(name == "")
    }

    @Test("classic strings longer than 32767 bytes are refused; compact ones are written")
    func longStrings() throws {
        let long = String(repeating: "n", count: 40_000)
        expectError(
            MetadataRequest(topics: [.init(name: long)]),
            version: 8,
            code: .invalidValue,
            mentioning: ["MetadataRequest.Topics.Name"]
        )
        #expect(try roundTrip(MetadataRequest(topics: [.init(name: long)]), version: 9).topics?.first?.name == long)
    }

    @Test("RequestHeader.ClientId stays a classic string in flexible header v2")
    func clientIdIsNeverCompact() throws {
        var buffer = ByteBuffer()
        try RequestHeader(requestApiKey: 18, requestApiVersion: 3, correlationId: 0, clientId: "c").encode(
            into: &buffer, version: 2)
        #expect(Array(buffer.readableBytesView) == [0, 18, 0, 3, 0, 0, 0, 0, 0x00, 0x01, 0x63, 0x00])
    }

    @Test("tagged fields: default values are not written; unknown tags survive at every level")
    func taggedFields() throws {
        // Defaults: only the empty tag buffer.
        var buffer = ByteBuffer()
        try ApiVersionsResponse().encode(into: &buffer, version: 3)
        #expect(Array(buffer.readableBytesView) == [0, 0, 0x01, 0, 0, 0, 0, 0x00])

        // Known tagged fields at non-default values round trip.
        let response = ApiVersionsResponse(
            supportedFeatures: [.init(name: "f", minVersion: 1, maxVersion: 2)],
            finalizedFeaturesEpoch: 3,
            finalizedFeatures: [.init(name: "g", maxVersionLevel: 4, minVersionLevel: 1)],
            zkMigrationReady: true
        )
        #expect(try roundTrip(response, version: 4) == response)
        // ... and may not be written to a non-flexible version, but they are ignorable: dropped.
        #expect(try roundTrip(response, version: 2) == ApiVersionsResponse())

        // Unknown tags in a nested struct.
        let topic = MetadataResponse.MetadataResponseTopic(
            name: "t",
            unknownTaggedFields: [TaggedField(tag: 42, data: ByteBuffer(bytes: [1, 2, 3]))]
        )
        let metadata = MetadataResponse(topics: [topic])
        #expect(try roundTrip(metadata, version: 9) == metadata)
    }

    @Test("a known tagged field with bytes left over is rejected")
    func taggedFieldWithExtraBytes() {
        // ApiVersionsResponse v3 with tag 1 (FinalizedFeaturesEpoch, int64) carrying 9 bytes.
        var buffer = ByteBuffer(bytes: [0, 0, 0x01, 0, 0, 0, 0, 0x01, 0x01, 0x09, 0, 0, 0, 0, 0, 0, 0, 5, 0xFF])
        #expect {
            _ = try ApiVersionsResponse(from: &buffer, version: 3)
        } throws: { ($0 as? ProtocolError)?.code == .invalidValue }
    }

    @Test("request and response header versions follow the flexible versions")
    func headerVersions() {
        #expect(MetadataRequest.requestHeaderVersion(apiVersion: 8) == 1)
        #expect(MetadataRequest.requestHeaderVersion(apiVersion: 9) == 2)
        #expect(MetadataRequest.responseHeaderVersion(apiVersion: 8) == 0)
        #expect(MetadataRequest.responseHeaderVersion(apiVersion: 9) == 1)
        #expect(ProduceRequest.requestHeaderVersion(apiVersion: 8) == 1)
        #expect(ProduceRequest.responseHeaderVersion(apiVersion: 8) == 0)
        // ApiVersions: the request header follows the rule, the response header is always v0.
        #expect(ApiVersionsRequest.requestHeaderVersion(apiVersion: 3) == 2)
        #expect(ApiVersionsRequest.responseHeaderVersion(apiVersion: 3) == 0)
        #expect(ApiVersionsRequest.responseHeaderVersion(apiVersion: 0) == 0)
        #expect(DescribeClusterRequest.requestHeaderVersion(apiVersion: 0) == 2)
        #expect(DescribeClusterRequest.responseHeaderVersion(apiVersion: 0) == 1)
    }
}
