import Testing

@testable import KafkaStreams

/// The record cache over both bytes-store backends: collapsing writes, batch flushes,
/// clean entries kept for reads, LRU eviction.
@Suite("Record cache over both backends")
struct CachingStoreTests {
    let directory = TemporaryDirectory()

    /// A caching store over `backend` with a budget of `entries` one-byte entries (66 bytes
    /// each), and the flushed changes it reports.
    func open(_ backend: Backend, entries: Int) throws -> (CachingKeyValueStore, Box) {
        let store = CachingKeyValueStore(backend.keyValue("c").get())
        var context = directory.context()
        context.recordCache = RecordCache(maxBytes: 66 * entries)
        try store.initialize(context: context)
        let box = Box()
        store.flushListener = { box.flushed.append("\($0.key[0])=\($0.newValue.map { "\($0[0])" } ?? "null")") }
        return (store, box)
    }

    final class Box { var flushed: [String] = [] }

    @Test(arguments: Backend.allCases)
    func writesCollapseUntilTheFlushWritesThemInOneBatch(_ backend: Backend) throws {
        let (store, box) = try open(backend, entries: 100)
        try store.put([1], [1])
        try store.put([2], [1])
        try store.put([1], [2])  // moves 1 after 2 in the flush order
        _ = try store.delete([3])  // a delete of a key that never was
        #expect(try store.inner.get([1]) == nil)
        #expect(try store.get([1]) == [2])
        #expect(try store.all().toArray().map(\.key) == [[1], [2]])
        try store.flush()
        #expect(box.flushed == ["2=1", "1=2"])
        #expect(try entries(store.inner) == [KeyValue([1], [2]), KeyValue([2], [1])])
        _ = try store.delete([1])
        try store.flush()
        #expect(box.flushed == ["2=1", "1=2", "1=null"])
        #expect(try entries(store.inner) == [KeyValue([2], [1])])
        try store.close()
    }

    @Test(arguments: Backend.allCases)
    func flushedAndReadEntriesStayCachedAsCleanEntries(_ backend: Backend) throws {
        let (store, _) = try open(backend, entries: 100)
        try store.put([1], [1])
        try store.flush()
        try store.inner.put([2], [5])
        #expect(try store.get([2]) == [5])  // a miss reads the inner store and caches the value
        // Written behind the cache's back: the cached (clean) values answer.
        try store.inner.put([1], [9])
        try store.inner.put([2], [9])
        #expect(try store.get([1]) == [1])
        #expect(try store.get([2]) == [5])
        try store.close()
    }

    @Test(arguments: Backend.allCases)
    func overTheBudgetTheLeastRecentlyUsedEntriesGo(_ backend: Backend) throws {
        let (store, box) = try open(backend, entries: 3)
        try store.put([1], [1])
        try store.put([2], [1])
        try store.flush()  // 1 and 2 are clean now
        try store.put([3], [1])
        #expect(try store.get([1]) == [1])  // 1 is now the most recently used
        try store.put([4], [1])  // over budget: 2 (clean) is dropped, nothing forwarded
        #expect(box.flushed == ["1=1", "2=1"])
        try store.put([5], [1])  // then 3 (dirty): flushed and forwarded at once
        #expect(box.flushed == ["1=1", "2=1", "3=1"])
        #expect(try store.inner.get([3]) == [1])
        #expect(try store.inner.get([4]) == nil)
        try store.flush()
        #expect(box.flushed == ["1=1", "2=1", "3=1", "4=1", "5=1"])
        #expect(try entries(store.inner).map(\.key) == [[1], [2], [3], [4], [5]])
        try store.close()
    }
}
