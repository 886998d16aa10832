import Foundation
import KafkaStreams
import KafkaTestSupport
import Testing

@testable import KafkaStreamsService

/// Two instances of a counting application with `application.server` set: each answers
/// every key, the keys it does not hold by asking the instance that does; scans merge both
/// instances; while the second joins, every answer is right or a 503 with a retry hint.
@Suite(.serialized)
struct RoutedQueryTests {
    static let input = "routed-words"
    static let store = "routed-counts"

    /// Counts records per key: one stateful sub-topology, one task per input partition.
    static func topology() throws -> Topology {
        let builder = StreamsBuilder()
        builder.stream(input, key: .string, value: .string).groupByKey().count(Materialized(store))
        return try builder.build()
    }

    @Test func eitherInstanceAnswersEveryKeyAndScansMergeBothInstances() async throws {
        let broker = try await TestBroker.start(.embedded)
        defer { Task { await broker.stop() } }
        try await broker.createTopics([Self.input: 4])
        let words = (0..<40).map { "word\($0)" }
        let records = (0..<400).map { i in words[(i * 7) % 40] }
        try await broker.produce(Self.input, records.map { ($0, "seen") })
        let expected = Dictionary(records.map { ($0, Int64(1)) }, uniquingKeysWith: +)
        let stores: [QueryableStore] = [.keyValue(Self.store, key: .string, value: Int64.self)]

        let first = try await WordCountService.start(
            broker: broker, name: "routed", applicationServer: true, topology: try Self.topology(), stores: stores)
        defer { Task { await first.stop() } }
        try await first.waitUntilCounted(["word0": expected["word0"]!], store: Self.store)
        let second = try await WordCountService.start(
            broker: broker, name: "routed", applicationServer: true, topology: try Self.topology(), stores: stores)
        defer { Task { await second.stop() } }
        let http = HTTPGetClient()

        // While the second instance joins, every answer is right or a 503 with a retry hint.
        var wrong: [String] = []
        let joining = ContinuousClock.now + .seconds(3)
        while ContinuousClock.now < joining {
            for instance in [first, second] {
                guard let answer = try? await http.get(host: instance.host, target: "/stores/\(Self.store)/keys/word5") else {
                    continue
                }
                if answer.status == .serviceUnavailable {
                    #expect(answer.headers["Retry-After"].first == "1")
                } else if answer.text != #"{"key":"word5","value":\#(expected["word5"]!)}"# {
                    wrong.append("\(instance.host): \(answer.status) \(answer.text)")
                }
            }
        }
        #expect(wrong.isEmpty, "wrong answers while rebalancing: \(wrong.prefix(3))")

        // Once both run active tasks (after the warm-ups caught up and a probing rebalance
        // moved tasks), both answer every key, some by forwarding.
        try await waitUntil("both instances hold active tasks", timeout: .seconds(120)) {
            let firstTasks = await first.service.application.localThreadsMetadata().flatMap(\.activeTasks)
            let secondTasks = await second.service.application.localThreadsMetadata().flatMap(\.activeTasks)
            return !firstTasks.isEmpty && !secondTasks.isEmpty && first.service.application.state == .running
                && second.service.application.state == .running
        }
        var forwarded: [String: Int] = [:]
        try await waitUntil("every key answered by both instances", timeout: .seconds(120)) {
            forwarded = [:]
            for instance in [first, second] {
                for word in words {
                    guard let answer = try? await http.get(host: instance.host, target: "/stores/\(Self.store)/keys/\(word)"),
                        answer.text == #"{"key":"\#(word)","value":\#(expected[word]!)}"#
                    else { return false }
                    if let by = answer.headers["X-KStreams-Answered-By"].first {
                        #expect(by != instance.host)
                        forwarded[instance.host, default: 0] += 1
                    }
                }
            }
            return true
        }
        #expect(forwarded[first.host, default: 0] > 0, "the first instance forwarded no query")
        #expect(forwarded[second.host, default: 0] > 0, "the second instance forwarded no query")
        #expect(forwarded[first.host, default: 0] + forwarded[second.host, default: 0] == words.count, "each key is held by one instance")

        // A range over all keys from either instance: both instances' entries, in key order.
        let expectedRange = expected.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            .map { #"{"key":"\#($0)","value":\#(expected[$0]!)}"# }.joined(separator: ",")
        for instance in [first, second] {
            let range = try await http.get(host: instance.host, target: "/stores/\(Self.store)/range")
            #expect(range.text == #"{"entries":[\#(expectedRange)]}"#)
        }
    }
}
