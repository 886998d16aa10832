import Foundation
import KafkaClient
import KafkaStreams
import KafkaTestSupport
import NIOCore
import NIOPosix
import Testing
import WordCount

@testable import KafkaStreamsService

/// The HTTP endpoint of one WordCount service on a broker: health, metrics, topology,
/// key and range queries, and the 4xx answers to malformed requests.
@Suite(.serialized)
struct ServiceEndpointTests {
    static let stores: [QueryableStore] = [.keyValue(WordCount.storeName, key: .string, value: Int64.self)]

    @Test func healthMetricsTopologyAndQueriesOfOneInstance() async throws {
        let broker = try await TestBroker.start(.embedded)
        defer { Task { await broker.stop() } }
        try await broker.createTopics([WordCount.inputTopic: 2, WordCount.outputTopic: 1])
        let lines = (0..<300).map { "alpha beta w\($0 % 10)" }
        try await broker.produce(WordCount.inputTopic, lines.map { (nil, $0) })
        let service = try await WordCountService.start(broker: broker, name: "endpoints")
        defer { Task { await service.stop() } }
        let http = HTTPGetClient()
        try await service.waitUntilCounted(["alpha": 300, "beta": 300, "w3": 30])

        let live = try await http.get(host: service.host, target: "/health/live")
        #expect(live.status == .ok && live.text.contains(#""state":"RUNNING""#))
        let ready = try await http.get(host: service.host, target: "/health/ready")
        #expect(ready.status == .ok)

        let metrics = try await http.get(host: service.host, target: "/metrics")
        #expect(metrics.status == .ok)
        #expect(metrics.headers["Content-Type"].first?.hasPrefix("text/plain; version=0.0.4") == true)
        #expect(metrics.text.contains("kafka_streams_processed_records_total{"))

        let topology = try await http.get(host: service.host, target: "/topology")
        #expect(topology.text == "\(try WordCount.topology().describe())")
        let mermaid = try await http.get(host: service.host, target: "/topology?format=mermaid")
        #expect(mermaid.text == (try WordCount.topology().describe().mermaid))

        let alpha = try await http.get(host: service.host, target: "/stores/\(WordCount.storeName)/keys/alpha")
        #expect(alpha.status == .ok)
        #expect(alpha.text == #"{"key":"alpha","value":300}"#)

        let range = try await http.get(host: service.host, target: "/stores/\(WordCount.storeName)/range?from=w0&to=w2")
        #expect(range.text == #"{"entries":[{"key":"w0","value":30},{"key":"w1","value":30},{"key":"w2","value":30}]}"#)

        let stores = try await http.get(host: service.host, target: "/stores")
        #expect(stores.text == #"{"stores":[{"kind":"key-value","name":"\#(WordCount.storeName)"}]}"#)

        // Malformed or unknown: 4xx with a reason.
        let missing = try await http.get(host: service.host, target: "/stores/\(WordCount.storeName)/keys/nonexistent")
        #expect(missing.status == .notFound && missing.text.contains("no value for key nonexistent"))
        let unknownStore = try await http.get(host: service.host, target: "/stores/nope/keys/alpha")
        #expect(unknownStore.status == .notFound && unknownStore.text.contains("no queryable store named nope"))
        let badFormat = try await http.get(host: service.host, target: "/topology?format=xml")
        #expect(badFormat.status == .badRequest && badFormat.text.contains("format must be text or mermaid"))
        let wrongScan = try await http.get(host: service.host, target: "/stores/\(WordCount.storeName)/windows")
        #expect(wrongScan.status == .badRequest && wrongScan.text.contains("does not apply to key-value store"))
        let noRoute = try await http.get(host: service.host, target: "/nothing/here")
        #expect(noRoute.status == .notFound)
    }

    @Test func anInstanceThatIsNotRunningAnswers503WithARetryHint() async throws {
        // An application never started stays CREATED: not ready, and no store answers.
        let config = StreamsConfig(applicationID: "not-running", bootstrapServers: "127.0.0.1:1")
        let application = StreamsApplication(try WordCount.topology(), config: config)
        let router = Router()
        ServiceEndpoints.add(
            to: router, application: application,
            queries: StoreQueryRouter(
                application: application, stores: [WordCount.storeName: Self.stores[0]], client: HTTPGetClient(),
                logger: .init(label: "test")))
        let port = try freePort()
        let server = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
        let running = Task { try await server.run() }
        defer { running.cancel() }
        let http = HTTPGetClient()
        let host = "127.0.0.1:\(port)"
        try await waitUntil("the test server listens") { (try? await http.get(host: host, target: "/health/live")) != nil }

        let ready = try await http.get(host: host, target: "/health/ready")
        #expect(ready.status == .serviceUnavailable)
        #expect(ready.headers["Retry-After"].first == "1")
        #expect(ready.text.contains(#""state":"CREATED""#))
        let query = try await http.get(host: host, target: "/stores/\(WordCount.storeName)/keys/alpha")
        #expect(query.status == .serviceUnavailable)
        #expect(query.headers["Retry-After"].first == "1")
        #expect(query.text.contains("has not started"))
    }
}

/// A service in this process on a test broker: WordCount unless another topology is given.
struct WordCountService {
    let service: StreamsService
    let task: Task<Void, any Error>
    let host: String
    let broker: TestBroker

    static func start(
        broker: TestBroker, name: String, applicationServer: Bool = false, port: Int? = nil,
        topology: Topology? = nil, stores: [QueryableStore] = ServiceEndpointTests.stores
    ) async throws -> WordCountService {
        let port = try port ?? freePort()
        var properties = [
            "application.id": "service-\(name)", "bootstrap.servers": broker.bootstrap,
            "state.dir": temporaryDirectory("service-\(name)"), "http.port": "\(port)", "commit.interval.ms": "200",
        ]
        if applicationServer {
            properties["application.server"] = "127.0.0.1:\(port)"
            // A new instance gets warm-ups first; a probing rebalance moves its tasks to it.
            properties["probing.rebalance.interval.ms"] = "1000"
        }
        let service = StreamsService(
            topology: try topology ?? WordCount.topology(), configuration: try ServiceConfiguration(properties: properties),
            stores: stores, gracefulShutdownSignals: [])
        let task = Task { try await service.run() }
        let listening = await service.waitUntilListening()
        return WordCountService(service: service, task: task, host: "127.0.0.1:\(listening)", broker: broker)
    }

    func stop() async {
        await service.shutdown()
        _ = try? await task.value
    }

    /// Waits until the store holds at least these counts (queried over HTTP).
    func waitUntilCounted(
        _ expected: [String: Int64], store: String = WordCount.storeName, timeout: Duration = .seconds(120)
    ) async throws {
        let http = HTTPGetClient()
        try await waitUntil("counts \(expected) on \(host)", timeout: timeout) {
            for (word, count) in expected {
                guard let answer = try? await http.get(host: host, target: "/stores/\(store)/keys/\(word)"),
                    answer.text == #"{"key":"\#(word)","value":\#(count)}"#
                else { return false }
            }
            return true
        }
    }
}

/// A port free on the loopback interface right now.
func freePort() throws -> Int {
    let channel = try ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).wait()
    defer { try? channel.close().wait() }
    guard let port = channel.localAddress?.port else { throw PeerFailure(description: "no port bound") }
    return port
}

/// Polls `condition` every 100 ms until it holds or `timeout` passes.
func waitUntil(_ what: String, timeout: Duration = .seconds(60), _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(100))
    }
    throw PeerFailure(description: "timed out waiting for \(what)")
}
