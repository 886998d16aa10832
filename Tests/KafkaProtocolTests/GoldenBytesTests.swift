import KafkaProtocol
import NIOCore
import Testing

// Exact wire bytes worked out by hand from Kafka's protocol guide, checked in both directions:
// the value encodes to the bytes, and the bytes decode to the value with nothing left over.

private func encode<M: KafkaVersioned>(_ value: M, version: Int16) throws -> [UInt8] {
    var buffer = ByteBuffer()
    try value.encode(into: &buffer, version: version)
    return Array(buffer.readableBytesView)
}

private func decode<M: KafkaVersioned>(_ type: M.Type, _ bytes: [UInt8], version: Int16) throws -> M {
    var buffer = ByteBuffer(bytes: bytes)
    let value = try M(from: &buffer, version: version)
    #expect(buffer.readableBytes == 0, "\(M.self) v\(version): \(buffer.readableBytes) bytes left over")
    return value
}

private func checkGolden<M: KafkaVersioned>(
    _ value: M,
    version: Int16,
    _ expected: [UInt8],
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    #expect(try encode(value, version: version) == expected, sourceLocation: sourceLocation)
    #expect(try decode(M.self, expected, version: version) == value, sourceLocation: sourceLocation)
}

private func ascii(_ text: String) -> [UInt8] { Array(text.utf8) }

@Suite("Golden bytes")
struct GoldenBytesTests {
    @Test("ApiVersionsRequest v3 with client software name and version, after request header v2")
    func apiVersionsRequestV3() throws {
        #expect(ApiVersionsRequest.requestHeaderVersion(apiVersion: 3) == 2)
        let header = RequestHeader(requestApiKey: 18, requestApiVersion: 3, correlationId: 1, clientId: "sks")
        let headerBytes: [UInt8] =
            [0x00, 0x12]  // api key 18
            + [0x00, 0x03]  // api version 3
            + [0x00, 0x00, 0x00, 0x01]  // correlation id 1
            + [0x00, 0x03] + ascii("sks")  // client id: always a classic int16-length string
            + [0x00]  // no tagged fields
        try checkGolden(header, version: 2, headerBytes)

        let body = ApiVersionsRequest(clientSoftwareName: "swift-kafka", clientSoftwareVersion: "1.0")
        let bodyBytes: [UInt8] =
            [0x0C] + ascii("swift-kafka")  // compact string: length 11 + 1
            + [0x04] + ascii("1.0")  // compact string: length 3 + 1
            + [0x00]  // no tagged fields
        try checkGolden(body, version: 3, bodyBytes)

        // The whole request as it goes after the size prefix.
        var frame = ByteBuffer()
        try header.encode(into: &frame, version: 2)
        try body.encode(into: &frame, version: 3)
        #expect(Array(frame.readableBytesView) == headerBytes + bodyBytes)
    }

    @Test("ApiVersionsRequest v0-2 is empty; the ignorable client software fields are dropped")
    func apiVersionsRequestV0() throws {
        let body = ApiVersionsRequest(clientSoftwareName: "swift-kafka", clientSoftwareVersion: "1.0")
        for version: Int16 in 0...2 {
            #expect(try encode(body, version: version) == [])
            #expect(try decode(ApiVersionsRequest.self, [], version: version) == ApiVersionsRequest())
        }
    }

    @Test("MetadataRequest v1 with one topic; null topics means all topics")
    func metadataRequestV1() throws {
        let oneTopic = MetadataRequest(topics: [.init(name: "foo")])
        try checkGolden(
            oneTopic,
            version: 1,
            [0x00, 0x00, 0x00, 0x01]  // int32 array count 1
                + [0x00, 0x03] + ascii("foo")  // int16 string length 3
        )
        try checkGolden(MetadataRequest(topics: nil), version: 1, [0xFF, 0xFF, 0xFF, 0xFF])
        // v4 adds AllowAutoTopicCreation (bool).
        try checkGolden(
            MetadataRequest(topics: [.init(name: "foo")], allowAutoTopicCreation: false),
            version: 4,
            [0x00, 0x00, 0x00, 0x01, 0x00, 0x03] + ascii("foo") + [0x00]
        )
    }

    @Test("MetadataRequest v9 (flexible): compact array, compact string, tag buffers")
    func metadataRequestV9() throws {
        let request = MetadataRequest(
            topics: [.init(name: "foo")],
            allowAutoTopicCreation: true,
            includeClusterAuthorizedOperations: false,
            includeTopicAuthorizedOperations: true
        )
        try checkGolden(
            request,
            version: 9,
            [0x02]  // compact array: 1 + 1
                + [0x04] + ascii("foo") + [0x00]  // compact string, topic tag buffer
                + [0x01, 0x00, 0x01]  // the three booleans
                + [0x00]  // message tag buffer
        )
        try checkGolden(MetadataRequest(topics: nil), version: 9, [0x00, 0x01, 0x00, 0x00, 0x00])
    }

    @Test("ResponseHeader v1 with an unknown tagged field; v0 is just the correlation id")
    func responseHeader() throws {
        let header = ResponseHeader(
            correlationId: 7,
            unknownTaggedFields: [TaggedField(tag: 5, data: ByteBuffer(bytes: [0xAB, 0xCD]))]
        )
        try checkGolden(
            header,
            version: 1,
            [0x00, 0x00, 0x00, 0x07]  // correlation id
                + [0x01]  // one tagged field
                + [0x05, 0x02, 0xAB, 0xCD]  // tag 5, 2 bytes
        )
        try checkGolden(ResponseHeader(correlationId: 7), version: 0, [0x00, 0x00, 0x00, 0x07])
        try checkGolden(ResponseHeader(correlationId: -1), version: 1, [0xFF, 0xFF, 0xFF, 0xFF, 0x00])
    }

    @Test("ApiVersionsResponse v3: a known tagged field and an unknown one, in tag order")
    func apiVersionsResponseV3() throws {
        let response = ApiVersionsResponse(
            errorCode: 0,
            apiKeys: [.init(apiKey: 18, minVersion: 0, maxVersion: 4)],
            throttleTimeMs: 0,
            finalizedFeaturesEpoch: 5,
            unknownTaggedFields: [TaggedField(tag: 9, data: ByteBuffer(bytes: [0xFF]))]
        )
        try checkGolden(
            response,
            version: 3,
            [0x00, 0x00]  // error code
                + [0x02]  // compact array of one
                + [0x00, 0x12, 0x00, 0x00, 0x00, 0x04, 0x00]  // key 18, 0...4, no tags
                + [0x00, 0x00, 0x00, 0x00]  // throttle time
                + [0x02]  // two tagged fields
                + [0x01, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05]  // tag 1: int64 5
                + [0x09, 0x01, 0xFF]  // tag 9, unknown
        )
        // v0: no throttle time, no tags.
        try checkGolden(
            ApiVersionsResponse(errorCode: 35, apiKeys: [.init(apiKey: 18, minVersion: 0, maxVersion: 3)]),
            version: 0,
            [0x00, 0x23, 0x00, 0x00, 0x00, 0x01, 0x00, 0x12, 0x00, 0x00, 0x00, 0x03]
        )
    }

    @Test("ProduceRequest v3: null transactional id, one partition of opaque records")
    func produceRequestV3() throws {
        let request = ProduceRequest(
            transactionalId: nil,
            acks: -1,
            timeoutMs: 1000,
            topics: [.init(name: "t", partitions: [.init(partitionIndex: 0, records: ByteBuffer(bytes: [1, 2, 3]))])]
        )
        try checkGolden(
            request,
            version: 3,
            [0xFF, 0xFF]  // null string
                + [0xFF, 0xFF]  // acks -1
                + [0x00, 0x00, 0x03, 0xE8]  // timeout 1000
                + [0x00, 0x00, 0x00, 0x01, 0x00, 0x01] + ascii("t")
                + [0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00]  // one partition, index 0
                + [0x00, 0x00, 0x00, 0x03, 0x01, 0x02, 0x03]  // records as int32-length bytes
        )
    }

    @Test("RequestHeader v1 and v2 with a null client id")
    func requestHeaderNullClientId() throws {
        let header = RequestHeader(requestApiKey: 3, requestApiVersion: 9, correlationId: 2, clientId: nil)
        let common: [UInt8] = [0x00, 0x03, 0x00, 0x09, 0x00, 0x00, 0x00, 0x02]
        try checkGolden(header, version: 1, common + [0xFF, 0xFF])
        try checkGolden(header, version: 2, common + [0xFF, 0xFF, 0x00])
        // v0 has no client id at all; it is ignorable, so it is dropped.
        #expect(try encode(header, version: 0) == common)
    }

    @Test("ListGroupsRequest v4: StatesFilter is a plain compact array (released Kafka, not the draft tagged field)")
    func listGroupsRequestV4() throws {
        try checkGolden(
            ListGroupsRequest(statesFilter: ["Stable"]),
            version: 4,
            [0x02, 0x07] + ascii("Stable") + [0x00]
        )
        try checkGolden(ListGroupsRequest(), version: 3, [0x00])
    }

    @Test("DescribeConfigsResponse v3: ConfigType int8 and Documentation string (released Kafka, not the draft)")
    func describeConfigsResponseV3() throws {
        let config = DescribeConfigsResponse.DescribeConfigsResourceResult(
            name: "a",
            value: nil,
            readOnly: true,
            configSource: 5,
            isSensitive: false,
            synonyms: [],
            configType: 2,
            documentation: "d"
        )
        let response = DescribeConfigsResponse(
            throttleTimeMs: 0,
            results: [.init(errorCode: 0, errorMessage: nil, resourceType: 2, resourceName: "t", configs: [config])]
        )
        try checkGolden(
            response,
            version: 3,
            [0x00, 0x00, 0x00, 0x00]  // throttle time
                + [0x00, 0x00, 0x00, 0x01]  // one result
                + [0x00, 0x00, 0xFF, 0xFF, 0x02, 0x00, 0x01] + ascii("t")  // error, null message, type 2, "t"
                + [0x00, 0x00, 0x00, 0x01]  // one config
                + [0x00, 0x01] + ascii("a") + [0xFF, 0xFF]  // name "a", null value
                + [0x01, 0x05, 0x00]  // read-only, source 5, not sensitive
                + [0x00, 0x00, 0x00, 0x00]  // no synonyms
                + [0x02]  // config type 2 (STRING)
                + [0x00, 0x01] + ascii("d")  // documentation
        )
    }

    @Test("ConsumerProtocolSubscription v0 and v1")
    func consumerProtocolSubscription() throws {
        try checkGolden(
            ConsumerProtocolSubscription(topics: ["a"], userData: nil),
            version: 0,
            [0x00, 0x00, 0x00, 0x01, 0x00, 0x01] + ascii("a") + [0xFF, 0xFF, 0xFF, 0xFF]
        )
        try checkGolden(
            ConsumerProtocolSubscription(
                topics: ["a"],
                userData: ByteBuffer(bytes: [9]),
                ownedPartitions: [.init(topic: "a", partitions: [0, 2])]
            ),
            version: 1,
            [0x00, 0x00, 0x00, 0x01, 0x00, 0x01] + ascii("a")
                + [0x00, 0x00, 0x00, 0x01, 0x09]
                + [0x00, 0x00, 0x00, 0x01, 0x00, 0x01] + ascii("a")
                + [0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02]
        )
    }
}
