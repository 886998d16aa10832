import Clickstream
import Foundation
import KafkaTestSupport
import Testing

@testable import KafkaStreamsService

/// The `clickstream` executable as a user runs it: on the embedded broker with its
/// generator, queried over HTTP, stopped with SIGTERM.
@Suite(.serialized)
struct ClickstreamServiceProcessTests {
    static let binary = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".build/debug/clickstream").path

    @Test func itCountsTheFunnelAnswersQueriesAndStopsCleanly() async throws {
        // The service's first round: its default seed and user count.
        let data = ClickGenerator(seed: 7, userCount: 50, malformedRate: 0.01).generate()
        let stateDir = temporaryDirectory("clickstream")
        let log = stateDir + ".log"
        let port = try freePort()
        let process = try launchProcess(
            Self.binary, ["--state-dir", stateDir, "--http-port", "\(port)", "--generator-rounds", "1", "--generator-rate", "0"],
            log: log)
        defer { if process.isRunning { process.terminate() } }

        // Users per funnel step, as the generator expects, over HTTP (a scan of funnel-counts).
        let expected = data.expectedFunnel.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
            .map { #"{"key":"\#($0.replacingOccurrences(of: "/", with: "\\/"))","value":\#(data.expectedFunnel[$0]!)}"# }
            .joined(separator: ",")
        let http = HTTPGetClient()
        var funnel = ""
        try await waitUntil("the funnel counts (see \(log))", timeout: .seconds(120)) {
            funnel = (try? await http.get(host: "127.0.0.1:\(port)", target: "/stores/funnel-counts/range"))?.text ?? ""
            return funnel == #"{"entries":[\#(expected)]}"#
        }
        // The printer follows the funnel topic: its last line per step is the final count.
        try await waitUntil("the funnel printed (see \(log))", timeout: .seconds(30)) {
            let printed = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            return data.expectedFunnel.allSatisfy { step, users in printed.contains("FUNNEL \(step): \(users) users") }
        }

        let user = ClickGenerator.userID(1)
        let sessions = try await http.get(host: "127.0.0.1:\(port)", target: "/users/\(user)/sessions")
        #expect(sessions.status == .ok && sessions.text.hasPrefix(#"{"key":"\#(user)","windows":["#))
        let profile = try await http.get(host: "127.0.0.1:\(port)", target: "/stores/users-store/keys/\(user)")
        #expect(profile.status == .ok && profile.text.contains(#""userID":"\#(user)""#))
        let badWindow = try await http.get(host: "127.0.0.1:\(port)", target: "/pages/home/views?from=yesterday")
        #expect(badWindow.status == .badRequest && badWindow.text.contains("from must be milliseconds since the epoch"))

        process.terminate()
        while process.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        #expect(process.terminationStatus == 0)
        #expect(try String(contentsOfFile: log, encoding: .utf8).contains("clickstream: stopped cleanly"))
    }
}
