import Foundation
import KafkaClient
import KafkaTestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `kstreams` on an application's embedded broker data, and the reset targets.
@Suite(.serialized)
struct EmbeddedAndTargetTests {
    @Test func runsOnTheEmbeddedBrokersDataAndKeepsItOnReset() async throws {
        let stateDir = temporaryDirectory("embedded")
        let target = ["--bootstrap-servers", "embedded", "--state-dir", stateDir, "--application-id", "app"]
        try await runProcess(kstreamsBinary, ["topics", "create", "app-input", "--partitions", "2"] + target)
        // A second invocation starts the broker again on the same data: the topic is there.
        let listed = try await runProcess(kstreamsBinary, ["topics", "list"] + target)
        #expect(listed.split(separator: "\n").contains("app-input"))
        let taskDir = stateDir + "/app/0_0"
        try FileManager.default.createDirectory(atPath: taskDir, withIntermediateDirectories: true)
        let output = try await runProcess(kstreamsBinary, ["reset"] + target)
        #expect(output.contains("wipe local state \(taskDir)"))
        #expect(!FileManager.default.fileExists(atPath: taskDir))
        #expect(FileManager.default.fileExists(atPath: stateDir + "/app/embedded-broker"))
        let again = try await runProcess(kstreamsBinary, ["topics", "list"] + target)
        #expect(again.split(separator: "\n").contains("app-input"))
    }

    @Test func refusesTheEmbeddedDataOfARunningApplication() async throws {
        let stateDir = temporaryDirectory("locked")
        let taskDir = stateDir + "/app/1_0"
        try FileManager.default.createDirectory(atPath: taskDir, withIntermediateDirectories: true)
        // A running instance holds an flock on each of its tasks' `.lock` files.
        let descriptor = open(taskDir + "/.lock", O_CREAT | O_RDWR, 0o644)
        #expect(flock(descriptor, LOCK_EX | LOCK_NB) == 0)
        defer { close(descriptor) }
        let failure = await #expect(throws: PeerFailure.self) {
            try await runProcess(
                kstreamsBinary, ["reset", "--application-id", "app", "--bootstrap-servers", "embedded", "--state-dir", stateDir])
        }
        #expect(failure?.description.contains("application app is running on this state directory (task 1_0 is locked)") == true)
        #expect(FileManager.default.fileExists(atPath: taskDir))
    }

    @Test func resetsToLatestAndToATimestamp() async throws {
        let broker = try await ToolBroker.start()
        defer { Task { await broker.stop() } }
        try await broker.createTopics(["events": 1])
        try await broker.produce("events", (0..<10).map { "event \($0)" })
        let partition = TopicPartition("events", 0)
        try await broker.withAdmin { admin in
            try await admin.alterConsumerGroupOffsets("group", [partition: OffsetAndMetadata(4)])
        }
        func committed() async throws -> Int64? {
            try await broker.withAdmin { try await $0.listConsumerGroupOffsets("group")[partition]?.offset }
        }
        let dryRun = try await kstreams("reset", "--application-id", "group", "--to-latest", "--dry-run", "--bootstrap-servers", broker.bootstrap)
        #expect(dryRun.contains("[dry run] reset offset of events-0 to latest: 4 -> 10"))
        #expect(try await committed() == 4)
        try await kstreams("reset", "--application-id", "group", "--to-latest", "--bootstrap-servers", broker.bootstrap)
        #expect(try await committed() == 10)
        try await kstreams("reset", "--application-id", "group", "--to-timestamp", "0", "--bootstrap-servers", broker.bootstrap)
        #expect(try await committed() == 0)
        let future = "\(Int64(Date().timeIntervalSince1970 * 1000) + 3_600_000)"
        try await kstreams("reset", "--application-id", "group", "--to-timestamp", future, "--bootstrap-servers", broker.bootstrap)
        #expect(try await committed() == 10)
    }
}
