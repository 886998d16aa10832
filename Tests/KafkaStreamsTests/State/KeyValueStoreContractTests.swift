import Testing

@testable import KafkaStreams

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The key-value store contract, run against the in-memory and the RocksDB bytes stores.
@Suite("Key-value store contract")
struct KeyValueStoreContractTests {
    let directory = TemporaryDirectory()

    func open(_ backend: Backend, name: String = "kv") throws -> any KeyValueStore<[UInt8], [UInt8]> {
        let store = backend.keyValue(name).get()
        try store.initialize(context: directory.context())
        return store
    }

    func keys(_ it: KeyValueIterator<[UInt8], [UInt8]>) throws -> [String] {
        try it.toArray().map { String(decoding: $0.key, as: UTF8.self) }
    }

    @Test(arguments: Backend.allCases)
    func pointReadsWritesAndDeletes(_ backend: Backend) throws {
        let store = try open(backend)
        #expect(store.persistent == backend.persistent)
        #expect(try store.get(b("a")) == nil)
        try store.put(b("a"), b("1"))
        try store.put(b("a"), b("2"))
        #expect(try store.get(b("a")) == b("2"))
        #expect(try store.putIfAbsent(b("a"), b("3")) == b("2"))
        #expect(try store.putIfAbsent(b("b"), b("3")) == nil)
        #expect(try store.get(b("b")) == b("3"))
        #expect(try store.delete(b("a")) == b("2"))
        #expect(try store.delete(b("a")) == nil)
        try store.put(b("b"), nil)
        #expect(try store.get(b("b")) == nil)
        try store.putAll([KeyValue(b("x"), b("1")), KeyValue(b("y"), b("2")), KeyValue(b("x"), nil)])
        #expect(try entries(store) == [KeyValue(b("y"), b("2"))])
        #expect(try store.approximateNumEntries() == 1)
        // An empty value is a value, not a delete.
        try store.put(b("e"), [])
        #expect(try store.get(b("e")) == [])
        try store.close()
    }

    @Test(arguments: Backend.allCases)
    func orderingRangesAndReverse(_ backend: Backend) throws {
        let store = try open(backend)
        // Bytewise order: "B" < "a" < "a\0" < "ab" < "b" < [0xFF].
        for key in [b("b"), b("ab"), [0xFF], b("a"), b("a") + [0], b("B")] { try store.put(key, key) }
        #expect(try store.all().toArray().map(\.key) == [b("B"), b("a"), b("a") + [0], b("ab"), b("b"), [0xFF]])
        #expect(try store.reverseAll().toArray().map(\.key) == [[0xFF], b("b"), b("ab"), b("a") + [0], b("a"), b("B")])
        #expect(try keys(store.range(from: b("a"), to: b("ab"))) == ["a", "a\0", "ab"])
        #expect(try keys(store.reverseRange(from: b("a"), to: b("ab"))) == ["ab", "a\0", "a"])
        #expect(try keys(store.range(from: nil, to: b("a"))) == ["B", "a"])
        #expect(try store.range(from: b("ab"), to: nil).toArray().map(\.key) == [b("ab"), b("b"), [0xFF]])
        #expect(try store.range(from: b("b"), to: b("a")).toArray().isEmpty)
        #expect(try keys(store.range(from: b("aa"), to: b("aa"))) == [])
        try store.close()
    }

    @Test(arguments: Backend.allCases)
    func prefixScans(_ backend: Backend) throws {
        let store = try open(backend)
        for key in [b("ab"), b("a"), b("abc"), b("b"), [0x61, 0xFF], [0x61, 0xFF, 0x01], [0x62, 0x00]] { try store.put(key, [1]) }
        #expect(try store.prefixScan(serializedPrefix: b("ab")).toArray().map(\.key) == [b("ab"), b("abc")])
        #expect(
            try store.prefixScan(serializedPrefix: b("a")).toArray().map(\.key)
                == [b("a"), b("ab"), b("abc"), [0x61, 0xFF], [0x61, 0xFF, 0x01]])
        #expect(
            try store.prefixScan(serializedPrefix: [0x61, 0xFF]).toArray().map(\.key) == [[0x61, 0xFF], [0x61, 0xFF, 0x01]])
        #expect(try store.prefixScan(serializedPrefix: b("z")).toArray().isEmpty)
        #expect(try store.prefixScan(serializedPrefix: []).toArray().count == 7)
        try store.close()
    }

    @Test(arguments: Backend.allCases)
    func iteratorsReadASnapshot(_ backend: Backend) throws {
        let store = try open(backend)
        for i in 0..<5 { try store.put([UInt8(i)], [UInt8(i)]) }
        let it = try store.all()
        #expect(try it.next()?.key == [0])
        try store.put([9], [9])
        _ = try store.delete([1])
        #expect(try it.toArray().map(\.key) == [[1], [2], [3], [4]])
        try store.close()
    }

    @Test(arguments: Backend.allCases)
    func largeRangesAreCompleteInBothDirections(_ backend: Backend) throws {
        let store = try open(backend)
        let all = (0..<2000).map { i -> [UInt8] in [UInt8(i >> 8), UInt8(i & 0xFF)] }
        try store.putAll(all.shuffled().map { KeyValue($0, $0) })
        #expect(try store.all().toArray().map(\.key) == all)
        #expect(try store.reverseRange(from: all[100], to: all[1500]).toArray().map(\.key) == Array(all[100...1500].reversed()))
        #expect(try store.approximateNumEntries() == 2000)
        try store.close()
    }

    @Test(arguments: Backend.allCases)
    func contentsSurviveCloseAndReopenOnlyWhenPersistent(_ backend: Backend) throws {
        var store = try open(backend)
        try store.put(b("k1"), b("v1"))
        try store.put(b("k2"), b("v2"))
        _ = try store.delete(b("k2"))
        try store.close()
        #expect(store.isOpen == false)
        #expect(expectStreamsError { _ = try store.get(b("k1")) }?.code == .stateStore)
        store = try open(backend)
        #expect(try entries(store) == (backend.persistent ? [KeyValue(b("k1"), b("v1"))] : []))
        try store.close()
    }
}

/// RocksDB-specific behaviour of the key-value store: files, iterators, errors.
@Suite("RocksDB key-value store")
struct RocksDBKeyValueStoreTests {
    let directory = TemporaryDirectory()

    @Test func livesInTheTaskDirectory() throws {
        let store = RocksDBKeyValueStore(name: "counts")
        try store.initialize(context: directory.context(task: TaskId(subtopology: 1, partition: 4)))
        #expect(store.path == "\(directory.path)/1_4/rocksdb/counts")
        #expect(StateDirectory.exists("\(directory.path)/1_4/rocksdb/counts/CURRENT"))
        try store.close()
    }

    @Test func iteratorsCannotOutliveTheStore() throws {
        let store = RocksDBKeyValueStore(name: "kv")
        try store.initialize(context: directory.context())
        for i in 0..<10 { try store.put([UInt8(i)], [1]) }
        do {
            let dropped = try store.all()
            _ = try dropped.next()
        }
        #expect(store.database?.openCursorCount == 0)  // released on deinit
        let exhausted = try store.range(from: [2], to: [3])
        #expect(try exhausted.toArray().count == 2)
        #expect(store.database?.openCursorCount == 0)  // released at the end
        let open = try store.all()
        _ = try open.next()
        #expect(store.database?.openCursorCount == 1)
        try store.close()  // closes the iterator first (RocksDB requires it)
        #expect(try open.next() == nil)
    }

    @Test func aSecondOpenerOfTheSameFilesGetsATypedError() throws {
        let first = RocksDBKeyValueStore(name: "kv")
        try first.initialize(context: directory.context())
        let second = RocksDBKeyValueStore(name: "kv")
        let error = expectStreamsError { try second.initialize(context: directory.context()) }
        #expect(error?.code == .stateDirectoryLocked)
        #expect(error?.context.path == "\(directory.path)/0_0/rocksdb/kv")
        #expect((error?.cause as? RocksDBError)?.message.contains("lock") == true)
        try first.close()
    }

    @Test func corruptedFilesFailWithATypedErrorNamingThePath() throws {
        let store = RocksDBKeyValueStore(name: "kv")
        try store.initialize(context: directory.context())
        for i in 0..<100 { try store.put([UInt8(i)], Array(repeating: UInt8(i), count: 100)) }
        try store.sync()
        try store.close()
        let tables = directory.files(under: "0_0/rocksdb/kv").filter { $0.hasSuffix(".sst") }
        #expect(!tables.isEmpty)
        for table in tables {
            let file = fopen(table, "r+")!
            let garbage = [UInt8](repeating: 0x5A, count: 4096)
            fwrite(garbage, 1, garbage.count, file)
            fseek(file, -64, SEEK_END)
            fwrite(garbage, 1, 64, file)
            fclose(file)
        }
        let reopened = RocksDBKeyValueStore(name: "kv")
        let error = expectStreamsError {
            try reopened.initialize(context: directory.context())
            for i in 0..<100 { _ = try reopened.get([UInt8(i)]) }
        }
        #expect(error?.code == .storeCorrupted)
        #expect(error?.context.path == "\(directory.path)/0_0/rocksdb/kv")
        #expect(error?.message.contains("restored from its changelog") == true)
        #expect((error?.cause as? RocksDBError)?.message.hasPrefix("Corruption") == true)
        try? reopened.close()
    }

    @Test func withoutAStateDirectoryOpeningFailsNamingTheStore() throws {
        let store = RocksDBKeyValueStore(name: "kv")
        let error = expectStreamsError {
            try store.initialize(context: StateStoreContext(applicationID: "a", taskId: TaskId(subtopology: 0, partition: 0)))
        }
        #expect(error?.code == .stateStore)
        #expect(error?.context.store == "kv")
    }

    @Test func sharedResourcesDivideTheMemtableBudget() throws {
        let resources = RocksDBSharedResources(totalMemoryBytes: 16 * 1024 * 1024, memtableRatio: 0.5)
        var context = directory.context()
        context.rocksDB = resources
        var stores: [RocksDBKeyValueStore] = []
        for i in 0..<5 {
            let store = RocksDBKeyValueStore(name: "s\(i)")
            try store.initialize(context: context)
            stores.append(store)
        }
        #expect(resources.openDatabases == 5)
        // 8 MiB of memtables over 5 stores (rounded up to 8) with 2 memtables each: 512 KiB.
        #expect(resources.writeBufferSizePerStore == 512 * 1024)
        for store in stores {
            for i in 0..<10_000 { try store.put(Array("key-\(i)".utf8), [UInt8](repeating: UInt8(i & 0xFF), count: 200)) }
            // ~2 MiB written; memtables stay within their share (plus one arena block).
            #expect(store.database!.intProperty("rocksdb.cur-size-all-mem-tables") <= 2 * 512 * 1024 + 256 * 1024)
        }
        // More stores shrink every store's memtables (and arena blocks) while they hold data.
        for i in 5..<40 {
            let store = RocksDBKeyValueStore(name: "s\(i)")
            try store.initialize(context: context)
            stores.append(store)
        }
        #expect(resources.writeBufferSizePerStore == 64 * 1024)
        for store in stores {
            for i in 0..<2_000 { try store.put(Array("more-\(i)".utf8), [UInt8](repeating: 7, count: 200)) }
            #expect(try store.get(Array("more-1999".utf8)) == [UInt8](repeating: 7, count: 200))
        }
        #expect(resources.memoryUsage <= resources.totalMemoryBytes)
        for store in stores { try store.close() }
        #expect(resources.openDatabases == 0)
    }
}
