import KafkaStreamsTesting
import Testing

@testable import KafkaStreams

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Change-logging, restoration and checkpoints, through the test driver, on both backends.
@Suite("Changelogs, restoration and checkpoints")
struct ChangelogRestorationTests {
    static func config(_ backend: Backend, stateDir: String? = nil) -> StreamsConfig {
        var properties = ["application.id": "app", "default.dsl.store": backend == .rocksDB ? "rocksDB" : "in_memory"]
        if let stateDir { properties["state.dir"] = stateDir }
        return try! StreamsConfig(properties: properties)
    }

    /// `in` → latest value per key (a null value deletes) in store `t`.
    static func tableTopology() throws -> Topology {
        let builder = StreamsBuilder()
        builder.stream("in", key: .string, value: .optional(.string)).toTable(Materialized<String, String>.as("t"))
        return try builder.build()
    }

    static func windowTopology() throws -> Topology {
        let builder = StreamsBuilder()
        builder.stream("in", key: .string, value: .string).groupByKey()
            .windowedBy(.tumbling(every: .milliseconds(10)).grace(.milliseconds(100)))
            .count(.as("w"))
        return try builder.build()
    }

    static func sessionTopology() throws -> Topology {
        let builder = StreamsBuilder()
        builder.stream("in", key: .string, value: .string).groupByKey()
            .windowedBy(.session(gap: .milliseconds(10)).grace(.milliseconds(100)))
            .count(.as("s"))
        return try builder.build()
    }

    @Test(arguments: Backend.allCases)
    func tableWritesAreLoggedAsKafkaStreamsLogsThem(_ backend: Backend) throws {
        let driver = try TopologyTestDriver(try Self.tableTopology(), config: Self.config(backend))
        defer { driver.close() }
        let input = driver.inputTopic("in", key: .string, value: .optional(.string))
        try input.pipeInput("a", "1", timestamp: 5)
        try input.pipeInput("b", "2", timestamp: 6)
        try input.pipeInput("a", nil, timestamp: 7)
        #expect(driver.changelogTopic(forStore: "t") == "app-t-changelog")
        #expect(driver.producedTopicNames.contains("app-t-changelog"))
        // Plain value bytes with the value's timestamp as record timestamp; a delete is a tombstone.
        let records = try driver.readChangelog(forStore: "t")
        #expect(
            records == [
                ChangelogRecord(offset: 0, key: b("a"), value: b("1"), timestamp: 5),
                ChangelogRecord(offset: 1, key: b("b"), value: b("2"), timestamp: 6),
                ChangelogRecord(offset: 2, key: b("a"), value: nil, timestamp: 7),
            ])
        #expect(try driver.readChangelog(forStore: "t").isEmpty)  // consumed
    }

    @Test func changelogTopicConfigsFollowTheStoreType() throws {
        #expect(try Self.tableTopology().changelogTopicConfig(forStore: "t") == ["cleanup.policy": "compact"])
        #expect(
            try Self.windowTopology().changelogTopicConfig(forStore: "w")
                == ["cleanup.policy": "compact,delete", "retention.ms": "111"])
        #expect(
            try Self.sessionTopology().changelogTopicConfig(forStore: "s")
                == ["cleanup.policy": "compact,delete", "retention.ms": "111"])
        let builder = StreamsBuilder()
        builder.stream("in", key: .string, value: .string).groupByKey()
            .count(Materialized.as("c").withLoggingEnabled(["min.insync.replicas": "2", "cleanup.policy": "compact"]))
        builder.stream("in2", key: .string, value: .string).groupByKey().count(Materialized.as("n").withLoggingDisabled())
        let topology = try builder.build()
        #expect(topology.changelogTopicConfig(forStore: "c") == ["cleanup.policy": "compact", "min.insync.replicas": "2"])
        #expect(topology.changelogTopicConfig(forStore: "n") == nil)
        let driver = try TopologyTestDriver(topology, config: Self.config(.rocksDB))
        defer { driver.close() }
        try driver.inputTopic("in2", key: .string, value: .string).pipeInput("k", "v")
        #expect(driver.producedTopicNames.isEmpty)  // an unlogged store writes no changelog
    }

    @Test func globalStoresWriteNoChangelog() throws {
        let builder = StreamsBuilder()
        builder.globalTable("cards", key: .string, value: .string, .as("cards"))
        let topology = try builder.build()
        #expect(topology.changelogTopic(forStore: "cards") == nil)  // the source topic is its log
        let driver = try TopologyTestDriver(topology, config: Self.config(.rocksDB))
        defer { driver.close() }
        try driver.inputTopic("cards", key: .string, value: .string).pipeInput("c1", "alice")
        #expect(try driver.getKeyValueStore("cards", key: String.self, value: String.self).get("c1") == "alice")
        #expect(driver.producedTopicNames.isEmpty)
        #expect(driver.stateManager.changelogPartitions.isEmpty)
    }

    @Test(arguments: Backend.allCases)
    func restoringAKeyValueStoreFromItsChangelogReproducesItByteForByte(_ backend: Backend) throws {
        let original = try TopologyTestDriver(try Self.tableTopology(), config: Self.config(backend))
        defer { original.close() }
        let input = original.inputTopic("in", key: .string, value: .optional(.string))
        for i in 0..<200 { try input.pipeInput("k\(i % 37)", i % 11 == 0 ? nil : "v\(i)", timestamp: Int64(i)) }
        let changelog = try original.readChangelog(forStore: "t")
        // One change per record, except deletes of keys that never had a value.
        var model: [String: String] = [:]
        var expectedChanges = 0
        for i in 0..<200 {
            let key = "k\(i % 37)"
            if i % 11 == 0 {
                if model.removeValue(forKey: key) != nil { expectedChanges += 1 }
            } else {
                model[key] = "v\(i)"
                expectedChanges += 1
            }
        }
        #expect(changelog.count == expectedChanges)

        let restored = try TopologyTestDriver(try Self.tableTopology(), config: Self.config(backend))
        defer { restored.close() }
        let tp = TopicPartition("app-t-changelog", 0)
        #expect(restored.stateManager.changelogPartitions == [tp: "t"])
        // In batches, as the runtime's restore consumer hands them over.
        for start in stride(from: 0, to: changelog.count, by: 64) {
            try restored.stateManager.restore(tp, records: Array(changelog[start..<min(start + 64, changelog.count)]))
        }
        let before = try entries(innermost(try original.getStateStore("t")) as! any KeyValueStore<[UInt8], [UInt8]>)
        let after = try entries(innermost(try restored.getStateStore("t")) as! any KeyValueStore<[UInt8], [UInt8]>)
        #expect(before.map(\.key) == model.keys.map { b($0) }.sorted { ByteOrderedMap.compare($0, $1) < 0 })
        #expect(after == before)
        #expect(try restored.readChangelog(forStore: "t").isEmpty)  // restoring logs nothing
    }

    @Test(arguments: Backend.allCases)
    func restoringAWindowStoreReproducesItByteForByte(_ backend: Backend) throws {
        let original = try TopologyTestDriver(try Self.windowTopology(), config: Self.config(backend))
        defer { original.close() }
        let input = original.inputTopic("in", key: .string, value: .string)
        for i in 0..<150 { try input.pipeInput("k\(i % 7)", "x", timestamp: Int64(i * 3)) }
        let changelog = try original.readChangelog(forStore: "w")
        // Kafka's window changelog key: key, 8-byte start, 4-byte sequence number.
        #expect(changelog[0].key == b("k0") + [0, 0, 0, 0, 0, 0, 0, 0] + [0, 0, 0, 0])
        #expect(changelog[0].value == [0, 0, 0, 0, 0, 0, 0, 1])

        let restored = try TopologyTestDriver(try Self.windowTopology(), config: Self.config(backend))
        defer { restored.close() }
        try restored.stateManager.restore(TopicPartition("app-w-changelog", 0), records: changelog)
        let before = try (innermost(try original.getStateStore("w")) as! any WindowStore<[UInt8], [UInt8]>).all().toArray()
        let after = try (innermost(try restored.getStateStore("w")) as! any WindowStore<[UInt8], [UInt8]>).all().toArray()
        // Retention 111 ms behind the newest window start (440): starts from 330 remain.
        let live = Set((0..<150).filter { $0 * 3 >= 330 }.map { "k\($0 % 7)@\($0 * 3 / 10 * 10)" })
        #expect(Set(before.map { "\(String(decoding: $0.key.key, as: UTF8.self))@\($0.key.window.start)" }) == live)
        #expect(
            after.map { [$0.key.key, TimestampBytes.encode($0.key.window.start), $0.value] }
                == before.map { [$0.key.key, TimestampBytes.encode($0.key.window.start), $0.value] })
    }

    @Test(arguments: Backend.allCases)
    func restoringASessionStoreReproducesItByteForByte(_ backend: Backend) throws {
        let original = try TopologyTestDriver(try Self.sessionTopology(), config: Self.config(backend))
        defer { original.close() }
        let input = original.inputTopic("in", key: .string, value: .string)
        for t: Int64 in [0, 30, 15, 8, 50, 51, 70, 200] { try input.pipeInput("u", "x", timestamp: t) }
        let changelog = try original.readChangelog(forStore: "s")
        #expect(changelog.contains { $0.value == nil })  // merged-away sessions are tombstones

        let restored = try TopologyTestDriver(try Self.sessionTopology(), config: Self.config(backend))
        defer { restored.close() }
        try restored.stateManager.restore(TopicPartition("app-s-changelog", 0), records: changelog)
        let before = try (innermost(try original.getStateStore("s")) as! any SessionStore<[UInt8], [UInt8]>).all().toArray()
        let after = try (innermost(try restored.getStateStore("s")) as! any SessionStore<[UInt8], [UInt8]>).all().toArray()
        #expect(!before.isEmpty)
        #expect(
            after.map { "\($0.key.key)\($0.key.window)\($0.value)" } == before.map { "\($0.key.key)\($0.key.window)\($0.value)" })
    }

    @Test(arguments: Backend.allCases)
    func aCheckpointMakesTheNextRestoreReadOnlyNewRecords(_ backend: Backend) throws {
        let directory = TemporaryDirectory()
        let config = Self.config(backend, stateDir: directory.path)
        let tp = TopicPartition("app-t-changelog", 0)
        var changelog: [ChangelogRecord] = []
        do {
            let first = try TopologyTestDriver(try Self.tableTopology(), config: config)
            let input = first.inputTopic("in", key: .string, value: .optional(.string))
            for i in 0..<5 { try input.pipeInput("k\(i)", "v\(i)", timestamp: Int64(i)) }
            changelog = try first.readChangelog(forStore: "t")
            first.close()
        }
        let checkpoint = "\(directory.path)/app/0_0/.checkpoint"
        // Kafka Streams' format: version, count, then `topic partition offset` of the last
        // record in the store. In-memory stores are not checkpointed: they start empty.
        let text = try readFile(checkpoint)
        #expect(text == (backend.persistent ? "0\n1\napp-t-changelog 0 4\n" : nil))

        // Two more changes reach the changelog (written by another instance, say).
        changelog.append(ChangelogRecord(offset: 5, key: b("k0"), value: nil, timestamp: 9))
        changelog.append(ChangelogRecord(offset: 6, key: b("k9"), value: TimestampBytes.encode(9) + b("v9"), timestamp: 9))
        changelog[6].value = b("v9")

        let second = try TopologyTestDriver(try Self.tableTopology(), config: config)
        defer { second.close() }
        let start = second.stateManager.restoreStartOffset(tp)
        #expect(start == (backend.persistent ? 5 : 0))
        let applied = try second.stateManager.restore(tp, records: changelog.filter { $0.offset >= start })
        #expect(applied == (backend.persistent ? 2 : 7))
        let store = try second.getKeyValueStore("t", key: String.self, value: String.self)
        #expect(
            try store.all().toArray() == [
                KeyValue("k1", "v1"), KeyValue("k2", "v2"), KeyValue("k3", "v3"), KeyValue("k4", "v4"), KeyValue("k9", "v9"),
            ])
        try second.stateManager.checkpoint()
        #expect(try readFile(checkpoint) == (backend.persistent ? "0\n1\napp-t-changelog 0 6\n" : nil))
    }

    @Test(arguments: [false, true])
    func withoutACheckpointExactlyOnceWipesPersistentStores(_ exactlyOnce: Bool) throws {
        let directory = TemporaryDirectory()
        var config = Self.config(.rocksDB, stateDir: directory.path)
        if exactlyOnce { config.processingGuarantee = .exactlyOnceV2 }
        let first = try TopologyTestDriver(try Self.tableTopology(), config: config)
        try first.inputTopic("in", key: .string, value: .optional(.string)).pipeInput("a", "1")
        first.close()
        // A crash: the store's files stay, the checkpoint does not.
        let checkpoint = OffsetCheckpoint(path: "\(directory.path)/app/0_0/.checkpoint")
        #expect(try checkpoint.read() == [TopicPartition("app-t-changelog", 0): 0])
        try checkpoint.delete()
        let second = try TopologyTestDriver(try Self.tableTopology(), config: config)
        defer { second.close() }
        // At least once keeps the data and replays the changelog from 0 over it; exactly
        // once cannot tell committed writes from aborted ones, so it starts empty.
        let store = try second.getKeyValueStore("t", key: String.self, value: String.self)
        #expect(try store.get("a") == (exactlyOnce ? nil : "1"))
        #expect(second.stateManager.restoreStartOffset(TopicPartition("app-t-changelog", 0)) == 0)
    }

    @Test func aSecondDriverOnTheSameStateDirectoryGetsALockError() throws {
        let directory = TemporaryDirectory()
        let config = Self.config(.rocksDB, stateDir: directory.path)
        let first = try TopologyTestDriver(try Self.tableTopology(), config: config)
        let error = expectStreamsError { _ = try TopologyTestDriver(try Self.tableTopology(), config: config) }
        #expect(error?.code == .stateDirectoryLocked)
        #expect(error?.context.path == "\(directory.path)/app/0_0/.lock")
        #expect(error?.message.contains("locked by another instance") == true)
        first.close()
        // Released on close: a new driver opens the same state and finds the data.
        let again = try TopologyTestDriver(try Self.tableTopology(), config: config)
        again.close()
    }

    @Test func theDriverDeletesItsTemporaryStateDirectory() throws {
        let driver = try TopologyTestDriver(try Self.tableTopology(), config: Self.config(.rocksDB))
        let taskDirectory = try #require(driver.stateManager.taskDirectory)
        try driver.inputTopic("in", key: .string, value: .optional(.string)).pipeInput("a", "1")
        #expect(StateDirectory.exists(taskDirectory + "/rocksdb/t/CURRENT"))
        driver.close()
        #expect(!StateDirectory.exists(taskDirectory))
    }

    @Test func unownedTaskDirectoriesAreCleanedAfterTheDelay() throws {
        let directory = TemporaryDirectory()
        let state = try StateDirectory(stateDir: directory.path, applicationID: "app")
        let owned = try state.lock(TaskId(subtopology: 0, partition: 0))
        let locked = try state.lock(TaskId(subtopology: 0, partition: 1))
        try state.lock(TaskId(subtopology: 1, partition: 0)).release()
        try state.lock(TaskId(subtopology: 1, partition: 1)).release()
        let now = StateDirectory.modificationTime(state.taskDirectory(TaskId(subtopology: 1, partition: 0)))!
        // Within the delay nothing goes.
        #expect(
            state.cleanRemovedTasks(cleanupDelay: .seconds(60), ownedTasks: [TaskId(subtopology: 0, partition: 0)], now: now)
                .isEmpty)
        let removed = state.cleanRemovedTasks(
            cleanupDelay: .seconds(60), ownedTasks: [TaskId(subtopology: 0, partition: 0)], now: now + 61_000)
        // 0_1 is unowned but locked (still in use): kept.
        #expect(
            removed == [
                state.taskDirectory(TaskId(subtopology: 1, partition: 0)),
                state.taskDirectory(TaskId(subtopology: 1, partition: 1)),
            ])
        #expect(
            state.taskDirectories().keys.sorted() == [TaskId(subtopology: 0, partition: 0), TaskId(subtopology: 0, partition: 1)])
        owned.release()
        locked.release()
    }

    @Test func anUnusableStateDirectoryIsATypedErrorNamingThePath() throws {
        let directory = TemporaryDirectory()
        // A regular file where a directory must be: fails even for root.
        try writeFile(directory.path + "/file", "x")
        let error = expectStreamsError { _ = try StateDirectory(stateDir: directory.path + "/file/state", applicationID: "app") }
        #expect(error?.code == .stateIO)
        #expect(error?.context.path == directory.path + "/file/state")
        #expect(error?.message.contains("state.dir") == true)
        // The same through the driver's config.
        let driverError = expectStreamsError {
            _ = try TopologyTestDriver(try Self.tableTopology(), config: Self.config(.rocksDB, stateDir: directory.path + "/file"))
        }
        #expect(driverError?.code == .stateIO)
        // A store whose directory is taken by a file: RocksDB's I/O error, surfaced.
        try StateDirectory.makeDirectories(directory.path + "/0_0/rocksdb")
        try writeFile(directory.path + "/0_0/rocksdb/kv", "x")
        let store = RocksDBKeyValueStore(name: "kv")
        let storeError = expectStreamsError { try store.initialize(context: directory.context()) }
        #expect(storeError?.code == .stateIO)
        #expect(storeError?.context.path?.hasPrefix(directory.path + "/0_0/rocksdb/kv") == true)
    }

    @Test func malformedCheckpointFilesAreTypedErrors() throws {
        let directory = TemporaryDirectory()
        let file = OffsetCheckpoint(path: directory.path + "/.checkpoint")
        #expect(try file.read() == [:])
        try file.write([TopicPartition("a-changelog", 3): 17, TopicPartition("b", 0): 0])
        #expect(try file.read() == [TopicPartition("a-changelog", 3): 17, TopicPartition("b", 0): 0])
        try writeFile(file.path, "0\n2\na 1 5\n")
        let error = expectStreamsError { _ = try file.read() }
        #expect(error?.code == .stateIO)
        #expect(error?.context.path == file.path)
    }

    func readFile(_ path: String) throws -> String? {
        guard let handle = fopen(path, "r") else { return nil }
        defer { fclose(handle) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1024)
        while true {
            let n = fread(&buffer, 1, buffer.count, handle)
            if n <= 0 { break }
            bytes += buffer[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    func writeFile(_ path: String, _ text: String) throws {
        let handle = fopen(path, "w")!
        _ = Array(text.utf8).withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, handle) }
        fclose(handle)
    }
}
