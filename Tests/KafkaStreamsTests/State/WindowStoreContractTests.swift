import Testing

@testable import KafkaStreams

/// The window store contract, run against the in-memory and the RocksDB bytes stores.
@Suite("Window store contract")
struct WindowStoreContractTests {
    let directory = TemporaryDirectory()

    func open(_ backend: Backend, retentionMs: Int64 = 1000, sizeMs: Int64 = 10) throws -> any WindowStore<[UInt8], [UInt8]> {
        let store = backend.window("w", retentionMs: retentionMs, sizeMs: sizeMs).get()
        try store.initialize(context: directory.context())
        return store
    }

    func all(_ store: any WindowStore<[UInt8], [UInt8]>, backward: Bool = false) throws -> [String] {
        try store.fetchAll(from: .min, to: .max, backward: backward).toArray().map {
            "\(String(decoding: $0.key.key, as: UTF8.self))@\($0.key.window.start)-\($0.key.window.end)=\($0.value[0])"
        }
    }

    @Test(arguments: Backend.allCases)
    func fetchesByKeyAndStartInBothDirections(_ backend: Backend) throws {
        let store = try open(backend)
        try store.put(b("a"), [1], windowStart: 0)
        try store.put(b("a"), [2], windowStart: 10)
        try store.put(b("a"), [3], windowStart: 20)
        try store.put(b("ab"), [9], windowStart: 10)  // a longer key sharing the prefix
        try store.put(b("b"), [4], windowStart: 10)
        #expect(try store.fetch(b("a"), windowStart: 10) == [2])
        #expect(try store.fetch(b("a"), windowStart: 30) == nil)
        #expect(try store.fetch(b("a"), from: 0, to: 15).toArray() == [KeyValue(0, [1]), KeyValue(10, [2])])
        #expect(try store.fetch(b("a"), from: 0, to: 20, backward: true).toArray().map(\.key) == [20, 10, 0])
        #expect(try store.fetch(b("ab"), from: 0, to: 100).toArray() == [KeyValue(10, [9])])
        #expect(try all(store) == ["a@0-10=1", "a@10-20=2", "ab@10-20=9", "b@10-20=4", "a@20-30=3"])
        #expect(try all(store, backward: true) == ["a@20-30=3", "b@10-20=4", "ab@10-20=9", "a@10-20=2", "a@0-10=1"])
        #expect(try store.fetchAll(from: 5, to: 10, backward: false).toArray().count == 3)
        try store.close()
    }

    @Test(arguments: Backend.allCases)
    func overwritesAndDeletes(_ backend: Backend) throws {
        let store = try open(backend)
        try store.put(b("a"), [1], windowStart: 0)
        try store.put(b("a"), [5], windowStart: 0)
        try store.put(b("b"), [2], windowStart: 0)
        try store.put(b("b"), nil, windowStart: 0)
        try store.put(b("c"), nil, windowStart: 50)  // deleting what never was
        #expect(try all(store) == ["a@0-10=5"])
        try store.close()
    }

    @Test(arguments: Backend.allCases)
    func retentionDropsOldWindowsAndIgnoresLateWrites(_ backend: Backend) throws {
        let store = try open(backend, retentionMs: 100, sizeMs: 10)
        try store.put(b("a"), [1], windowStart: 0)
        try store.put(b("a"), [2], windowStart: 50)
        try store.put(b("a"), [3], windowStart: 120)  // oldest live start: 21
        #expect(try store.fetch(b("a"), windowStart: 0) == nil)
        #expect(try store.fetch(b("a"), from: 0, to: 200).toArray().map(\.key) == [50, 120])
        try store.put(b("a"), [4], windowStart: 10)  // past retention: ignored
        #expect(try all(store) == ["a@50-60=2", "a@120-130=3"])
        try store.close()
    }

    @Test func rocksDBDropsWholeExpiredSegments() throws {
        let store = RocksDBWindowStore(name: "w", retentionMs: 120_000, windowSizeMs: 1000)
        try store.initialize(context: directory.context())
        #expect(store.segments.intervalMs == 60_000)
        for minute in 0..<5 { try store.put(b("k"), [UInt8(minute)], windowStart: Int64(minute) * 60_000) }
        // Stream time 240 000: oldest live 120 001, so segments 0 and 1 are gone.
        #expect(store.segments.ids == [2, 3, 4])
        #expect(StateDirectory.list("\(directory.path)/0_0/rocksdb/w") == ["w.120000", "w.180000", "w.240000"])
        try store.close()
    }

    @Test(arguments: Backend.allCases)
    func contentsSurviveCloseAndReopenOnlyWhenPersistent(_ backend: Backend) throws {
        var store = try open(backend, retentionMs: 100, sizeMs: 10)
        try store.put(b("a"), [1], windowStart: 0)
        try store.put(b("a"), [2], windowStart: 90)
        try store.close()
        store = try open(backend, retentionMs: 100, sizeMs: 10)
        #expect(try all(store) == (backend.persistent ? ["a@0-10=1", "a@90-100=2"] : []))
        // Stream time is recovered from the data: a write at 150 expires the window at 0.
        try store.put(b("a"), [3], windowStart: 150)
        #expect(try all(store) == (backend.persistent ? ["a@90-100=2", "a@150-160=3"] : ["a@150-160=3"]))
        try store.close()
    }
}

/// The session store contract, run against the in-memory and the RocksDB bytes stores.
@Suite("Session store contract")
struct SessionStoreContractTests {
    let directory = TemporaryDirectory()

    func open(_ backend: Backend, retentionMs: Int64 = 1000) throws -> any SessionStore<[UInt8], [UInt8]> {
        let store = backend.session("s", retentionMs: retentionMs).get()
        try store.initialize(context: directory.context())
        return store
    }

    func session(_ key: String, _ start: Int64, _ end: Int64) -> Windowed<[UInt8]> {
        Windowed(key: b(key), window: Window(start: start, end: end))
    }

    func render(_ it: KeyValueIterator<Windowed<[UInt8]>, [UInt8]>) throws -> [String] {
        try it.toArray().map {
            "\(String(decoding: $0.key.key, as: UTF8.self))[\($0.key.window.start),\($0.key.window.end)]=\($0.value[0])"
        }
    }

    @Test(arguments: Backend.allCases)
    func findsSessionsByKeyInEndThenStartOrder(_ backend: Backend) throws {
        let store = try open(backend)
        try store.put(session("a", 10, 20), [1])
        try store.put(session("a", 0, 5), [2])
        try store.put(session("a", 15, 20), [3])
        try store.put(session("ab", 0, 30), [8])
        try store.put(session("b", 0, 5), [4])
        #expect(
            try render(store.findSessions(b("a"), earliestSessionEnd: 0, latestSessionStart: 100)) == [
                "a[0,5]=2", "a[10,20]=1", "a[15,20]=3",
            ])
        #expect(try render(store.findSessions(b("a"), earliestSessionEnd: 6, latestSessionStart: 12)) == ["a[10,20]=1"])
        #expect(try store.fetchSession(b("a"), start: 15, end: 20) == [3])
        #expect(try store.fetchSession(b("a"), start: 15, end: 21) == nil)
        #expect(try render(store.all()) == ["a[0,5]=2", "b[0,5]=4", "a[10,20]=1", "a[15,20]=3", "ab[0,30]=8"])
        try store.remove(session("a", 10, 20))
        #expect(try render(store.fetch(b("a"))) == ["a[0,5]=2", "a[15,20]=3"])
        try store.close()
    }

    @Test(arguments: Backend.allCases)
    func retentionDropsSessionsThatEndedTooLongAgo(_ backend: Backend) throws {
        let store = try open(backend, retentionMs: 100)
        try store.put(session("a", 0, 10), [1])
        try store.put(session("a", 50, 60), [2])
        try store.put(session("a", 150, 160), [3])  // oldest live end: 61
        try store.put(session("b", 0, 20), [4])  // ended past retention: ignored
        #expect(try render(store.all()) == ["a[150,160]=3"])
        try store.close()
    }

    @Test(arguments: Backend.allCases)
    func contentsSurviveCloseAndReopenOnlyWhenPersistent(_ backend: Backend) throws {
        var store = try open(backend)
        try store.put(session("a", 0, 10), [1])
        try store.close()
        store = try open(backend)
        #expect(try render(store.all()) == (backend.persistent ? ["a[0,10]=1"] : []))
        try store.close()
    }
}
