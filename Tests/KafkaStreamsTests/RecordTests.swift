import Testing

@testable import KafkaStreams

/// Runs `body`, which must throw a ``StreamsError``, and returns it.
private func configError(
    _ properties: [String: String], sourceLocation: SourceLocation = #_sourceLocation
) -> StreamsError? {
    do {
        _ = try StreamsConfig(properties: properties)
        Issue.record("expected StreamsConfig(properties:) to throw", sourceLocation: sourceLocation)
        return nil
    } catch let error as StreamsError {
        return error
    } catch {
        Issue.record("expected a StreamsError, got \(type(of: error)): \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

@Suite("Records, headers, errors and config")
struct RecordTests {

    // MARK: - Record

    private static let headers: Headers = [("trace", [1, 2]), ("null", nil)]

    @Test func recordInitDefaultsToNoHeaders() {
        let record = Record(key: "k", value: 1, timestamp: 5)
        #expect(record.key == "k")
        #expect(record.value == 1)
        #expect(record.timestamp == 5)
        #expect(record.headers.isEmpty)
        #expect(record.headers.count == 0)
    }

    @Test func withKeyKeepsTheOtherFields() {
        let record = Record(key: "k", value: 1.5, timestamp: 1_000, headers: Self.headers)
        let rekeyed: Record<Int, Double> = record.withKey(42)
        #expect(rekeyed.key == 42)
        #expect(rekeyed.value == 1.5)
        #expect(rekeyed.timestamp == 1_000)
        #expect(rekeyed.headers == Self.headers)
        #expect(record.key == "k")  // the original is unchanged
    }

    @Test func withValueKeepsTheOtherFields() {
        let record = Record(key: "k", value: 1.5, timestamp: 1_000, headers: Self.headers)
        let revalued: Record<String, [String]> = record.withValue(["x"])
        #expect(revalued.key == "k")
        #expect(revalued.value == ["x"])
        #expect(revalued.timestamp == 1_000)
        #expect(revalued.headers == Self.headers)
        #expect(record.value == 1.5)
    }

    @Test func withTimestampKeepsTheOtherFields() {
        let record = Record(key: "k", value: 7, timestamp: 1_000, headers: Self.headers)
        let moved = record.withTimestamp(-3)
        #expect(moved == Record(key: "k", value: 7, timestamp: -3, headers: Self.headers))
        #expect(record.timestamp == 1_000)
    }

    @Test func withHeadersKeepsTheOtherFields() {
        let record = Record(key: "k", value: 7, timestamp: 1_000, headers: Self.headers)
        let replaced = record.withHeaders([("only", [9])])
        #expect(replaced.key == "k")
        #expect(replaced.value == 7)
        #expect(replaced.timestamp == 1_000)
        #expect(Array(replaced.headers) == [Header(key: "only", value: [9])])
        #expect(record.headers == Self.headers)
        #expect(record.withHeaders(Headers()).headers.isEmpty)
    }

    @Test func recordEqualityComparesEveryField() {
        let base = Record(key: "k", value: 1, timestamp: 10, headers: Self.headers)
        #expect(base == Record(key: "k", value: 1, timestamp: 10, headers: Self.headers))
        #expect(base != base.withKey("j"))
        #expect(base != base.withValue(2))
        #expect(base != base.withTimestamp(11))
        #expect(base != base.withHeaders([]))
    }

    @Test func recordsAreValues() {
        var original = Record(key: "k", value: 1, timestamp: 10)
        var copy = original
        copy.headers.add("h", [1])
        copy.value = 2
        #expect(original.headers.isEmpty)
        #expect(original.value == 1)
        original.headers.add("o", nil)
        #expect(copy.headers.headers("o").isEmpty)
    }

    @Test func recordDescription() {
        #expect(Record(key: "k", value: 1, timestamp: 5).description == "Record(key: k, value: 1, timestamp: 5)")
        let withHeaders = Record(key: "k", value: 1, timestamp: 5, headers: [("h", [1])]).description
        #expect(withHeaders.hasPrefix("Record(key: k, value: 1, timestamp: 5, headers: "))
        #expect(withHeaders.contains("\"h\""))
    }

    // MARK: - Headers

    @Test func headersAddKeepsOrderAndDuplicates() {
        var headers = Headers()
        #expect(headers.isEmpty)
        headers.add("a", [1])
        headers.add("b", nil)
        headers.add("a", [2])
        headers.add("c", [])
        #expect(headers.count == 4)
        #expect(!headers.isEmpty)
        #expect(headers.map(\.key) == ["a", "b", "a", "c"])
        #expect(
            Array(headers) == [
                Header(key: "a", value: [1]), Header(key: "b", value: nil), Header(key: "a", value: [2]),
                Header(key: "c", value: []),
            ])
    }

    @Test func lastHeaderReturnsTheLastWithTheKey() {
        let headers: Headers = [("a", [1]), ("b", [5]), ("a", [2]), ("a", nil), ("c", [3])]
        #expect(headers.lastHeader("a") == Header(key: "a", value: nil))
        #expect(headers.lastHeader("b") == Header(key: "b", value: [5]))
        #expect(headers.lastHeader("c")?.value == [3])
        #expect(headers.lastHeader("missing") == nil)
        #expect(headers.lastHeader("A") == nil)  // keys are case-sensitive
        var more = headers
        more.add("a", [7])
        #expect(more.lastHeader("a")?.value == [7])
    }

    @Test func headersForKeyAreInOrder() {
        let headers: Headers = [("a", [1]), ("b", [5]), ("a", [2]), ("a", nil)]
        #expect(headers.headers("a").map(\.value) == [[1], [2], nil])
        #expect(headers.headers("a").allSatisfy { $0.key == "a" })
        #expect(headers.headers("b") == [Header(key: "b", value: [5])])
        #expect(headers.headers("missing").isEmpty)
    }

    @Test func removeDropsEveryHeaderWithTheKey() {
        var headers: Headers = [("a", [1]), ("b", [5]), ("a", [2]), ("c", nil), ("a", nil)]
        headers.remove("a")
        #expect(Array(headers) == [Header(key: "b", value: [5]), Header(key: "c", value: nil)])
        #expect(headers.lastHeader("a") == nil)
        #expect(headers.headers("a").isEmpty)
        headers.remove("missing")
        #expect(headers.count == 2)
        headers.remove("b")
        headers.remove("c")
        #expect(headers.isEmpty)
        // Re-adding after a remove appends at the end.
        headers.add("x", [0])
        headers.add("a", [1])
        #expect(headers.map(\.key) == ["x", "a"])
    }

    @Test func headersInitializers() {
        let fromList = Headers([Header(key: "k", value: [1]), Header(key: "k", value: [2])])
        let fromLiteral: Headers = [("k", [1]), ("k", [2])]
        #expect(fromList == fromLiteral)
        #expect(fromList.count == 2)
        #expect(Headers() == [])
        #expect(Headers().isEmpty)
    }

    @Test func headersEqualityIsOrderSensitive() {
        let ab: Headers = [("a", [1]), ("b", [2])]
        let ba: Headers = [("b", [2]), ("a", [1])]
        #expect(ab != ba)
        #expect(ab == [("a", [1]), ("b", [2])])
        #expect(ab != [("a", [1]), ("b", nil)])
        #expect(Set([ab, ab, ba]).count == 2)
        // A null value differs from an empty one.
        #expect(Header(key: "a", value: nil) != Header(key: "a", value: []))
    }

    // MARK: - StreamsError

    @Test func streamsErrorDescriptionHasCodeMessageContextAndCause() {
        let error = StreamsError(
            .deserialization, "could not read a value",
            context: .init(
                topic: "payments", partition: 3, offset: 42, node: "KSTREAM-SOURCE-0000000000", store: "counts",
                taskId: TaskId(subtopology: 1, partition: 3)),
            cause: SerdeError("Size of data received by Int64 is not 8 (got 3 bytes)"))
        let text = error.description
        #expect(
            text
                == "StreamsError.deserialization: could not read a value [task 1_3, node KSTREAM-SOURCE-0000000000, store counts, topic payments, partition 3, offset 42] caused by: Size of data received by Int64 is not 8 (got 3 bytes)"
        )
        #expect(text.contains("deserialization"))
        #expect(text.contains("could not read a value"))
        for field in ["task 1_3", "node KSTREAM-SOURCE-0000000000", "store counts", "topic payments", "partition 3", "offset 42"]
        {
            #expect(text.contains(field), "\(field)")
        }
        #expect("\(error)" == text)
    }

    @Test func streamsErrorDescriptionOmitsUnknownContext() {
        #expect(StreamsError(.processing, "boom").description == "StreamsError.processing: boom")
        #expect(
            StreamsError(.invalidConfig, "bad", context: .init(topic: "t")).description
                == "StreamsError.invalidConfig: bad [topic t]")
        #expect(
            StreamsError(.stateStore, "closed", context: .init(store: "s", taskId: TaskId(subtopology: 0, partition: 0)))
                .description == "StreamsError.stateStore: closed [task 0_0, store s]")
        #expect(
            StreamsError(.illegalState, "x", cause: SerdeError("y")).description
                == "StreamsError.illegalState: x caused by: y")
        #expect(
            StreamsError(.invalidTimestamp, "t", context: .init(partition: 0, offset: 0)).description
                == "StreamsError.invalidTimestamp: t [partition 0, offset 0]")
    }

    @Test func streamsErrorRecordsWhereItWasRaised() {
        let line: UInt = #line + 1
        let error = StreamsError(.invalidTopology, "cycle")
        #expect(error.file == "KafkaStreamsTests/RecordTests.swift")
        #expect(error.line == line)
        #expect(error.cause == nil)
        #expect(error.context == StreamsError.Context())
    }

    @Test func streamsErrorCodes() {
        let codes: [StreamsError.Code] = [
            .invalidTopology, .deserialization, .serialization, .invalidTimestamp, .stateStore, .processing,
            .invalidConfig, .illegalState,
        ]
        #expect(
            codes.map(\.description) == [
                "invalidTopology", "deserialization", "serialization", "invalidTimestamp", "stateStore", "processing",
                "invalidConfig", "illegalState",
            ])
        #expect(Set(codes).count == codes.count)
        #expect(StreamsError.Code.stateStore == .stateStore)
        #expect(StreamsError.Code.stateStore.name == "stateStore")
    }

    @Test func taskIdPrintsAsKafkaDoes() {
        #expect(TaskId(subtopology: 2, partition: 11).description == "2_11")
        #expect(TaskId(subtopology: 0, partition: 5) < TaskId(subtopology: 1, partition: 0))
        #expect(TaskId(subtopology: 1, partition: 0) < TaskId(subtopology: 1, partition: 1))
    }

    // MARK: - StreamsConfig

    @Test func configDefaults() throws {
        let config = try StreamsConfig(properties: ["application.id": "app"])
        #expect(config.applicationID == "app")
        #expect(config.bootstrapServers == "embedded")
        #expect(config.processingGuarantee == .atLeastOnce)
        #expect(config.commitInterval == .seconds(30))
        #expect(config.deserializationExceptionHandler == .logAndFail)
        #expect(config.numStreamThreads == 1)
        #expect(config.stateDirectory == "/tmp/kafka-streams")
        #expect(config.cacheMaxBytes == 10 * 1024 * 1024)
        #expect(config.numStandbyReplicas == 0)
        #expect(config.maxTaskIdle == .zero)
        #expect(config.properties == ["application.id": "app"])
    }

    @Test func configMapsKafkaPropertyNames() throws {
        let properties = [
            "application.id": "fraud",
            "bootstrap.servers": "kafka:9092",
            "commit.interval.ms": "250",
            "num.stream.threads": "4",
            "state.dir": "/var/lib/streams",
            "statestore.cache.max.bytes": "1024",
            "num.standby.replicas": "2",
            "max.task.idle.ms": "75",
            "client.id": "kept-for-the-clients",
        ]
        let config = try StreamsConfig(properties: properties)
        #expect(config.applicationID == "fraud")
        #expect(config.bootstrapServers == "kafka:9092")
        #expect(config.commitInterval == .milliseconds(250))
        #expect(config.numStreamThreads == 4)
        #expect(config.stateDirectory == "/var/lib/streams")
        #expect(config.cacheMaxBytes == 1024)
        #expect(config.numStandbyReplicas == 2)
        #expect(config.maxTaskIdle == .milliseconds(75))
        #expect(config.processingGuarantee == .atLeastOnce)
        #expect(config.properties == properties)
        #expect(config.properties["client.id"] == "kept-for-the-clients")
    }

    @Test func configAcceptsTheDeprecatedCacheName() throws {
        let config = try StreamsConfig(properties: ["application.id": "a", "cache.max.bytes.buffering": "2048"])
        #expect(config.cacheMaxBytes == 2048)
    }

    @Test func configTrimsSpacesAroundIntegers() throws {
        let config = try StreamsConfig(properties: ["application.id": "a", "num.stream.threads": " 3 "])
        #expect(config.numStreamThreads == 3)
    }

    @Test func exactlyOnceV2DefaultsCommitIntervalTo100ms() throws {
        let config = try StreamsConfig(properties: ["application.id": "a", "processing.guarantee": "exactly_once_v2"])
        #expect(config.processingGuarantee == .exactlyOnceV2)
        #expect(config.commitInterval == .milliseconds(100))
        let atLeastOnce = try StreamsConfig(properties: ["application.id": "a", "processing.guarantee": "at_least_once"])
        #expect(atLeastOnce.processingGuarantee == .atLeastOnce)
        #expect(atLeastOnce.commitInterval == .seconds(30))
    }

    @Test func explicitCommitIntervalWinsUnderExactlyOnce() throws {
        let config = try StreamsConfig(properties: [
            "application.id": "a", "processing.guarantee": "exactly_once_v2", "commit.interval.ms": "500",
        ])
        #expect(config.processingGuarantee == .exactlyOnceV2)
        #expect(config.commitInterval == .milliseconds(500))
    }

    @Test func unknownProcessingGuaranteeIsRejected() {
        let error = configError(["application.id": "a", "processing.guarantee": "exactly_twice"])
        #expect(error?.code == .invalidConfig)
        #expect(error?.message.contains("processing.guarantee") == true)
        #expect(error?.message.contains("exactly_twice") == true)
    }

    @Test(arguments: [
        ("logAndContinue", StreamsConfig.DeserializationExceptionHandler.logAndContinue),
        ("LogAndContinueExceptionHandler", .logAndContinue),
        ("org.apache.kafka.streams.errors.LogAndContinueExceptionHandler", .logAndContinue),
        ("logAndFail", .logAndFail),
        ("LogAndFailExceptionHandler", .logAndFail),
        ("org.apache.kafka.streams.errors.LogAndFailExceptionHandler", .logAndFail),
    ])
    func deserializationExceptionHandlerNames(
        name: String, expected: StreamsConfig.DeserializationExceptionHandler
    ) throws {
        let config = try StreamsConfig(properties: [
            "application.id": "a", "default.deserialization.exception.handler": name,
        ])
        #expect(config.deserializationExceptionHandler == expected)
    }

    @Test func unknownDeserializationExceptionHandlerIsRejected() {
        let error = configError([
            "application.id": "a", "default.deserialization.exception.handler": "com.example.Ignore",
        ])
        #expect(error?.code == .invalidConfig)
        #expect(error?.message.contains("default.deserialization.exception.handler") == true)
        #expect(error?.message.contains("com.example.Ignore") == true)
    }

    @Test func missingApplicationIDIsRejected() {
        for properties in [["bootstrap.servers": "kafka:9092"], ["application.id": ""], [:]] {
            let error = configError(properties)
            #expect(error?.code == .invalidConfig, "\(properties)")
            #expect(error?.message.contains("application.id") == true, "\(properties)")
        }
    }

    @Test(arguments: [
        "num.stream.threads", "commit.interval.ms", "statestore.cache.max.bytes", "num.standby.replicas",
        "max.task.idle.ms",
    ])
    func nonIntegerValuesAreRejected(property: String) {
        for bad in ["two", "1.5", "", "3x"] {
            let error = configError(["application.id": "a", property: bad])
            #expect(error?.code == .invalidConfig, "\(property)=\(bad)")
            #expect(error?.message.contains(property) == true, "\(property)=\(bad): \(String(describing: error))")
            #expect(error?.message.contains("\"\(bad)\"") == true, "\(property)=\(bad)")
        }
    }

    @Test func typedConfigInitializer() {
        var config = StreamsConfig(applicationID: "fraud", bootstrapServers: "kafka:9092")
        #expect(config.applicationID == "fraud")
        #expect(config.bootstrapServers == "kafka:9092")
        #expect(config.commitInterval == .seconds(30))
        #expect(config.properties.isEmpty)
        config.commitInterval = .milliseconds(100)
        #expect(config.commitInterval == .milliseconds(100))
        #expect(StreamsConfig(applicationID: "x").bootstrapServers == "embedded")
        #expect(StreamsConfig.ProcessingGuarantee.exactlyOnceV2.rawValue == "exactly_once_v2")
        #expect(StreamsConfig.ProcessingGuarantee.atLeastOnce.rawValue == "at_least_once")
    }
}
