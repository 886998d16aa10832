import NIOCore
import Testing

@testable import KafkaStreams

/// A typed in-memory store named `name`, built and initialized as a task would.
private func makeStore<K, V>(
    _ name: String = "s", key: Serde<K>, value: Serde<V>
) throws -> MeteredKeyValueStore<K, V> {
    let store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), key: key, value: value).build()
    try store.initialize(
        context: StateStoreContext(applicationID: "a", taskId: TaskId(subtopology: 0, partition: 0)))
    return store
}

/// A `String` → `Int64` store holding `entries`.
private func stringStore(_ entries: [(String, Int64)] = []) throws -> MeteredKeyValueStore<String, Int64> {
    let store = try makeStore(key: .string, value: .int64)
    for (key, value) in entries { try store.put(key, value) }
    return store
}

/// Runs `body`, which must throw a ``StreamsError``, and returns it.
private func streamsError(
    _ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation
) -> StreamsError? {
    do {
        try body()
        Issue.record("expected a StreamsError, nothing was thrown", sourceLocation: sourceLocation)
        return nil
    } catch let error as StreamsError {
        return error
    } catch {
        Issue.record("expected a StreamsError, got \(type(of: error)): \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

private func kv(_ key: String, _ value: Int64) -> KeyValue<String, Int64> { KeyValue(key, value) }

@Suite("In-memory key-value store")
struct KeyValueStoreTests {

    // MARK: - Point operations

    @Test func builderMakesAnOpenTypedStore() throws {
        let builder = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("counts"), key: .string, value: .int64)
        #expect(builder.name == "counts")
        let store = builder.build()
        #expect(store.name == "counts")
        #expect(store.persistent == false)
        #expect(store.isOpen == false)
        // Logging is on by default: metered → change-logging → in-memory bytes store.
        #expect((store.inner as? ChangeLoggingKeyValueStore)?.inner is InMemoryKeyValueStore)
        try store.initialize(
            context: StateStoreContext(applicationID: "a", taskId: TaskId(subtopology: 0, partition: 0)))
        #expect(store.isOpen == true)
        #expect(try store.approximateNumEntries() == 0)
        // Each build makes a separate store.
        let other = builder.build()
        #expect(other !== store)
        #expect(other.isOpen == false)
    }

    @Test func getAndPut() throws {
        let store = try stringStore()
        #expect(try store.get("a") == nil)
        try store.put("a", 1)
        #expect(try store.get("a") == 1)
        try store.put("a", 2)
        #expect(try store.get("a") == 2)
        try store.put("b", -7)
        #expect(try store.get("b") == -7)
        #expect(try store.get("a") == 2)
        #expect(try store.get("c") == nil)
        #expect(try store.approximateNumEntries() == 2)
        // Stored as the serdes' bytes.
        #expect(try store.inner.get(Array("b".utf8)) == [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xF9])
    }

    @Test func putNilDeletes() throws {
        let store = try stringStore([("a", 1), ("b", 2)])
        try store.put("a", nil)
        #expect(try store.get("a") == nil)
        #expect(try store.get("b") == 2)
        #expect(try store.approximateNumEntries() == 1)
        #expect(try store.inner.get(Array("a".utf8)) == nil)
        // Deleting an absent key is a no-op.
        try store.put("zz", nil)
        #expect(try store.approximateNumEntries() == 1)
        #expect(try store.all().toArray() == [kv("b", 2)])
    }

    @Test func putIfAbsent() throws {
        let store = try stringStore()
        #expect(try store.putIfAbsent("a", 1) == nil)
        #expect(try store.get("a") == 1)
        #expect(try store.putIfAbsent("a", 5) == 1)
        #expect(try store.get("a") == 1)
        // A nil value for an absent key writes nothing.
        #expect(try store.putIfAbsent("b", nil) == nil)
        #expect(try store.get("b") == nil)
        // A nil value for a present key leaves it in place.
        #expect(try store.putIfAbsent("a", nil) == 1)
        #expect(try store.get("a") == 1)
        #expect(try store.approximateNumEntries() == 1)
    }

    @Test func putAllAppliesEntriesInOrder() throws {
        let store = try stringStore([("old", 9)])
        try store.putAll([
            KeyValue("a", 1), KeyValue("b", 2), KeyValue("a", 3), KeyValue("old", nil), KeyValue("c", 4),
            KeyValue("c", nil),
        ])
        #expect(try store.get("a") == 3)
        #expect(try store.get("b") == 2)
        #expect(try store.get("c") == nil)
        #expect(try store.get("old") == nil)
        #expect(try store.approximateNumEntries() == 2)
        #expect(try store.all().toArray() == [kv("a", 3), kv("b", 2)])
        try store.putAll([])
        #expect(try store.approximateNumEntries() == 2)
    }

    @Test func deleteReturnsOldValue() throws {
        let store = try stringStore([("a", 1), ("b", 2)])
        #expect(try store.delete("a") == 1)
        #expect(try store.get("a") == nil)
        #expect(try store.delete("a") == nil)
        #expect(try store.delete("missing") == nil)
        #expect(try store.approximateNumEntries() == 1)
        #expect(try store.delete("b") == 2)
        #expect(try store.approximateNumEntries() == 0)
        #expect(try store.all().toArray().isEmpty)
    }

    @Test func approximateNumEntriesIsExact() throws {
        let store = try makeStore(key: .int32, value: .string)
        for i in 0..<1_000 { try store.put(Int32(i), "v\(i)") }
        #expect(try store.approximateNumEntries() == 1_000)
        for i in 0..<1_000 { try store.put(Int32(i), "w\(i)") }
        #expect(try store.approximateNumEntries() == 1_000)
        for i in stride(from: 0, to: 1_000, by: 2) { _ = try store.delete(Int32(i)) }
        #expect(try store.approximateNumEntries() == 500)
        #expect(try store.get(999) == "w999")
        #expect(try store.get(998) == nil)
    }

    // MARK: - Ranges

    private static let letters: [(String, Int64)] = [("c", 3), ("a", 1), ("e", 5), ("b", 2), ("d", 4)]

    @Test func rangeHasInclusiveBounds() throws {
        let store = try stringStore(Self.letters)
        #expect(try store.range(from: "b", to: "d").toArray() == [kv("b", 2), kv("c", 3), kv("d", 4)])
        #expect(try store.range(from: "a", to: "a").toArray() == [kv("a", 1)])
        #expect(try store.range(from: "e", to: "e").toArray() == [kv("e", 5)])
        // Bounds that are not keys.
        #expect(try store.range(from: "aa", to: "cc").toArray() == [kv("b", 2), kv("c", 3)])
        #expect(try store.range(from: "bb", to: "bc").toArray().isEmpty)
        #expect(try store.range(from: "f", to: "z").toArray().isEmpty)
        #expect(try store.range(from: "", to: "a").toArray() == [kv("a", 1)])
    }

    @Test func rangeWithOpenBounds() throws {
        let store = try stringStore(Self.letters)
        #expect(try store.range(from: nil, to: "c").toArray() == [kv("a", 1), kv("b", 2), kv("c", 3)])
        #expect(try store.range(from: "c", to: nil).toArray() == [kv("c", 3), kv("d", 4), kv("e", 5)])
        #expect(
            try store.range(from: nil, to: nil).toArray() == [kv("a", 1), kv("b", 2), kv("c", 3), kv("d", 4), kv("e", 5)])
        #expect(try store.range(from: nil, to: "0").toArray().isEmpty)
        #expect(try store.range(from: "z", to: nil).toArray().isEmpty)
    }

    /// As in Kafka Streams, a range whose lower bound is above its upper bound is empty.
    @Test func rangeWithInvertedBoundsIsEmpty() throws {
        let store = try stringStore(Self.letters)
        #expect(try store.range(from: "d", to: "b").toArray().isEmpty)
        #expect(try store.reverseRange(from: "d", to: "b").toArray().isEmpty)
    }

    @Test func reverseRange() throws {
        let store = try stringStore(Self.letters)
        #expect(try store.reverseRange(from: "b", to: "d").toArray() == [kv("d", 4), kv("c", 3), kv("b", 2)])
        #expect(try store.reverseRange(from: nil, to: "b").toArray() == [kv("b", 2), kv("a", 1)])
        #expect(try store.reverseRange(from: "d", to: nil).toArray() == [kv("e", 5), kv("d", 4)])
        #expect(try store.reverseRange(from: "aa", to: "cc").toArray() == [kv("c", 3), kv("b", 2)])
        #expect(try store.reverseRange(from: "x", to: nil).toArray().isEmpty)
    }

    @Test func allAndReverseAll() throws {
        let store = try stringStore(Self.letters)
        let ascending = [kv("a", 1), kv("b", 2), kv("c", 3), kv("d", 4), kv("e", 5)]
        #expect(try store.all().toArray() == ascending)
        #expect(try store.reverseAll().toArray() == ascending.reversed())
        let empty = try stringStore()
        #expect(try empty.all().toArray().isEmpty)
        #expect(try empty.reverseAll().toArray().isEmpty)
        #expect(try empty.all().next() == nil)
    }

    /// Ranges over many entries (several B+tree nodes) stay ordered and complete.
    @Test func largeRangesAreOrderedAndComplete() throws {
        let store = try makeStore(key: .int32, value: .int32)
        for i in (0..<5_000).reversed() { try store.put(Int32(i), Int32(i) * 2) }
        let all = try store.all().toArray()
        #expect(all.map(\.key) == (0..<5_000).map { Int32($0) })
        #expect(all.allSatisfy { $0.value == $0.key * 2 })
        let middle = try store.range(from: 1_234, to: 3_456).toArray().map(\.key)
        #expect(middle == (1_234...3_456).map { Int32($0) })
        let reversed = try store.reverseRange(from: 1_234, to: 3_456).toArray().map(\.key)
        #expect(reversed == (1_234...3_456).reversed().map { Int32($0) })
    }

    // MARK: - Prefix scans

    private static let prefixed: [(String, Int64)] = [
        ("b", 6), ("abd", 4), ("a", 1), ("ab", 2), ("ac", 5), ("abc", 3), ("aa", 0), ("ab\u{7F}", 7),
    ]

    @Test func prefixScanWithSerde() throws {
        let store = try stringStore(Self.prefixed)
        #expect(
            try store.prefixScan("ab", serde: .string).toArray() == [
                kv("ab", 2), kv("abc", 3), kv("abd", 4), kv("ab\u{7F}", 7),
            ])
        #expect(
            try store.prefixScan("a", serde: .string).toArray().map(\.key) == ["a", "aa", "ab", "abc", "abd", "ab\u{7F}", "ac"])
        #expect(try store.prefixScan("abc", serde: .string).toArray() == [kv("abc", 3)])
        #expect(try store.prefixScan("abcd", serde: .string).toArray().isEmpty)
        #expect(try store.prefixScan("c", serde: .string).toArray().isEmpty)
        #expect(try store.prefixScan("", serde: .string).toArray().count == Self.prefixed.count)
    }

    @Test func prefixScanWithSerializedPrefix() throws {
        let store = try stringStore(Self.prefixed)
        #expect(
            try store.prefixScan(serializedPrefix: [0x61, 0x62]).toArray() == [
                kv("ab", 2), kv("abc", 3), kv("abd", 4), kv("ab\u{7F}", 7),
            ])
        #expect(try store.prefixScan(serializedPrefix: Array("b".utf8)).toArray() == [kv("b", 6)])
        #expect(try store.prefixScan(serializedPrefix: []).toArray().count == Self.prefixed.count)
    }

    /// A prefix of 0xFF bytes has no "next" prefix; the scan must still find every match.
    @Test func prefixScanWithMaximalBytes() throws {
        let store = try makeStore(key: .bytes, value: .int32)
        for (i, key) in [[0xFE], [0xFF], [0xFF, 0x00], [0xFF, 0xFF], [0xFF, 0xFF, 0xFF], [0x00], [0xFE, 0xFF]]
            .enumerated()
        {
            try store.put(key.map { UInt8($0) }, Int32(i))
        }
        #expect(
            try store.prefixScan(serializedPrefix: [0xFF]).toArray().map(\.key) == [
                [0xFF], [0xFF, 0x00], [0xFF, 0xFF], [0xFF, 0xFF, 0xFF],
            ])
        #expect(
            try store.prefixScan(serializedPrefix: [0xFF, 0xFF]).toArray().map(\.key) == [[0xFF, 0xFF], [0xFF, 0xFF, 0xFF]])
        #expect(try store.prefixScan(serializedPrefix: [0xFE]).toArray().map(\.key) == [[0xFE], [0xFE, 0xFF]])
    }

    @Test func prefixScanWithInt32KeyPrefix() throws {
        // Composite keys: a 4-byte big-endian customer id followed by an order id.
        let store = try makeStore(key: .bytes, value: .string)
        let customer7: [UInt8] = [0, 0, 0, 7]
        try store.put(customer7 + [1], "o1")
        try store.put(customer7 + [2], "o2")
        try store.put([0, 0, 0, 8, 1], "other")
        try store.put([0, 0, 0, 6, 9], "before")
        let orders = try store.prefixScan(7 as Int32, serde: .int32).toArray()
        #expect(orders.map(\.value) == ["o1", "o2"])
    }

    // MARK: - Key order

    /// Keys are ordered by their serialized bytes, as in Kafka Streams: with big-endian
    /// two's-complement Int32 keys, negative numbers (sign bit set) sort after positive ones.
    @Test func int32KeysSortBytewiseNegativesLast() throws {
        let store = try makeStore(key: .int32, value: .string)
        for key: Int32 in [-1, 0, 1, .min, .max, -2, 256, 255] { try store.put(key, "\(key)") }
        let expected: [Int32] = [0, 1, 255, 256, .max, .min, -2, -1]
        #expect(try store.all().toArray().map(\.key) == expected)
        #expect(try store.reverseAll().toArray().map(\.key) == expected.reversed())
        // A range from 1 to -2 covers the positives above 1 and then the negatives up to -2.
        #expect(try store.range(from: 1, to: -2).toArray().map(\.key) == [1, 255, 256, .max, .min, -2])
        // A range from -2 to 1 is inverted bytewise: empty.
        #expect(try store.range(from: -2, to: 1).toArray().isEmpty)
        #expect(try store.range(from: .min, to: nil).toArray().map(\.key) == [.min, -2, -1])
    }

    @Test func stringKeysSortBytewise() throws {
        let store = try stringStore([("b", 0), ("a", 0), ("aa", 0), ("B", 0), ("é", 0), ("z", 0), ("", 0), ("a\u{0}", 0)])
        // Upper case before lower case, a prefix before its extensions, UTF-8 0xC3 after 'z'.
        #expect(try store.all().toArray().map(\.key) == ["", "B", "a", "a\u{0}", "aa", "b", "z", "é"])
    }

    // MARK: - Iterators

    @Test func iteratorsAreSnapshots() throws {
        let store = try stringStore([("a", 1), ("b", 2), ("c", 3)])
        let it = try store.all()
        #expect(try it.next() == kv("a", 1))
        try store.put("bb", 22)
        try store.put("c", 30)
        _ = try store.delete("b")
        try store.put("d", 4)
        #expect(try it.next() == kv("b", 2))
        #expect(try it.next() == kv("c", 3))
        #expect(try it.next() == nil)
        // A new iterator sees the writes.
        #expect(try store.all().toArray() == [kv("a", 1), kv("bb", 22), kv("c", 30), kv("d", 4)])

        let reverse = try store.reverseRange(from: "a", to: "c")
        try store.put("a", nil)
        try store.put("b", 2)
        #expect(try reverse.toArray() == [kv("c", 30), kv("bb", 22), kv("a", 1)])

        let prefix = try store.prefixScan("b", serde: .string)
        try store.put("bz", 9)
        #expect(try prefix.toArray() == [kv("b", 2), kv("bb", 22)])
    }

    @Test func peekNextKeyDoesNotConsume() throws {
        let store = try stringStore([("a", 1), ("b", 2)])
        let it = try store.all()
        #expect(try it.peekNextKey() == "a")
        #expect(try it.peekNextKey() == "a")
        #expect(try it.next() == kv("a", 1))
        #expect(try it.peekNextKey() == "b")
        #expect(try it.toArray() == [kv("b", 2)])
        #expect(try it.peekNextKey() == nil)
        #expect(try it.next() == nil)
        #expect(try store.all().peekNextKey() == "a")
        #expect(try stringStore().all().peekNextKey() == nil)
    }

    @Test func toArrayReturnsTheRemainingEntries() throws {
        let store = try stringStore(Self.letters)
        let it = try store.range(from: "b", to: "e")
        #expect(try it.next() == kv("b", 2))
        #expect(try it.toArray() == [kv("c", 3), kv("d", 4), kv("e", 5)])
        #expect(try it.toArray().isEmpty)
        #expect(try it.next() == nil)
    }

    @Test func closedIteratorReturnsNil() throws {
        let store = try stringStore(Self.letters)
        let it = try store.all()
        #expect(try it.next() == kv("a", 1))
        it.close()
        #expect(try it.next() == nil)
        #expect(try it.peekNextKey() == nil)
        #expect(try it.toArray().isEmpty)
        it.close()  // closing twice is harmless
        #expect(try it.next() == nil)

        // Closing drops a peeked entry too.
        let peeked = try store.all()
        #expect(try peeked.peekNextKey() == "a")
        peeked.close()
        #expect(try peeked.next() == nil)
    }

    @Test func iteratorCloseRunsOnCloseOnce() throws {
        final class Counter { var closes = 0 }
        let counter = Counter()
        var remaining = [KeyValue("x", 1)]
        let it = KeyValueIterator<String, Int>(
            next: { remaining.isEmpty ? nil : remaining.removeFirst() }, onClose: { counter.closes += 1 })
        #expect(try it.next() == KeyValue("x", 1))
        #expect(counter.closes == 0)
        #expect(try it.next() == nil)  // exhausting closes
        #expect(counter.closes == 1)
        it.close()
        #expect(counter.closes == 1)
    }

    // MARK: - Closed store

    @Test func closedStoreThrowsStateStoreError() throws {
        let store = try makeStore("closed-store", key: .string, value: .int64)
        try store.put("a", 1)
        try store.close()
        #expect(store.isOpen == false)
        let operations: [(String, () throws -> Void)] = [
            ("get", { _ = try store.get("a") }),
            ("put", { try store.put("a", 2) }),
            ("put nil", { try store.put("a", nil) }),
            ("putIfAbsent", { _ = try store.putIfAbsent("b", 2) }),
            ("putAll", { try store.putAll([KeyValue("b", 2)]) }),
            ("delete", { _ = try store.delete("a") }),
            ("range", { _ = try store.range(from: "a", to: "b") }),
            ("reverseRange", { _ = try store.reverseRange(from: nil, to: nil) }),
            ("all", { _ = try store.all() }),
            ("reverseAll", { _ = try store.reverseAll() }),
            ("prefixScan", { _ = try store.prefixScan("a", serde: .string) }),
            ("prefixScan bytes", { _ = try store.prefixScan(serializedPrefix: [0x61]) }),
            ("approximateNumEntries", { _ = try store.approximateNumEntries() }),
        ]
        for (name, operation) in operations {
            let error = streamsError(operation)
            #expect(error?.code == .stateStore, "\(name)")
            #expect(error?.context.store == "closed-store", "\(name)")
            #expect(error?.message.contains("closed-store") == true, "\(name)")
            #expect(error?.description.contains("[store closed-store]") == true, "\(name): \(String(describing: error))")
        }
    }

    @Test func uninitializedStoreThrowsNamingTheStore() throws {
        let store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("orders-store"), key: .string, value: .int64)
            .build()
        let error = streamsError { _ = try store.get("a") }
        #expect(error?.code == .stateStore)
        #expect(error?.context.store == "orders-store")
        #expect(error?.message.contains("orders-store") == true)
    }

    // MARK: - Serde failures

    @Test func undecodableValueThrowsDeserializationError() throws {
        let store = try makeStore("balances", key: .string, value: .int64)
        try store.put("good", 1)
        // Three bytes cannot be an Int64.
        try store.inner.put(Array("k".utf8), [1, 2, 3])
        let error = streamsError { _ = try store.get("k") }
        #expect(error?.code == .deserialization)
        #expect(error?.context.store == "balances")
        #expect(error?.message.contains("balances") == true)
        let cause = error?.cause as? SerdeError
        #expect(cause?.message == "Size of data received by Int64 is not 8 (got 3 bytes)")
        #expect(error?.description.contains("Size of data received by Int64") == true)

        // Reads that return the old value decode it too.
        let putIfAbsentError = streamsError { _ = try store.putIfAbsent("k", 5) }
        #expect(putIfAbsentError?.code == .deserialization)
        #expect(putIfAbsentError?.context.store == "balances")
        #expect(try store.inner.get(Array("k".utf8)) == [1, 2, 3])

        // An iterator fails on the bad entry, after the good ones before it.
        let it = try store.all()
        #expect(try it.next() == kv("good", 1))
        let iterationError = streamsError { _ = try it.next() }
        #expect(iterationError?.code == .deserialization)
        #expect(iterationError?.context.store == "balances")
    }

    @Test func undecodableKeyThrowsDeserializationError() throws {
        let store = try makeStore("by-id", key: .int32, value: .string)
        try store.put(1, "one")
        try store.inner.put([0xFF, 0xFF], Array("bad".utf8))
        let it = try store.all()
        #expect(try it.next() == KeyValue(1, "one"))
        let error = streamsError { _ = try it.next() }
        #expect(error?.code == .deserialization)
        #expect(error?.context.store == "by-id")
        #expect(error?.message.contains("by-id") == true)
        #expect((error?.cause as? SerdeError)?.message == "Size of data received by Int32 is not 4 (got 2 bytes)")
    }

    @Test func unserializableValueThrowsSerializationError() throws {
        let failing = Serde<Int64>(
            name: "Failing", serialize: { _, _ in throw SerdeError("Failing cannot write") },
            deserialize: { _ in 0 })
        let store = try makeStore("f", key: .string, value: failing)
        let error = streamsError { try store.put("a", 1) }
        #expect(error?.code == .serialization)
        #expect(error?.context.store == "f")
        #expect((error?.cause as? SerdeError)?.message == "Failing cannot write")
        #expect(try store.approximateNumEntries() == 0)
        // Deleting needs no value serialization.
        try store.put("a", nil)
    }

    @Test func nullKeyThrowsSerializationError() throws {
        let store = try makeStore("n", key: .optional(.string), value: .int64)
        try store.put("a", 1)
        #expect(try store.get("a") == 1)
        let error = streamsError { try store.put(nil, 1) }
        #expect(error?.code == .serialization)
        #expect(error?.context.store == "n")
        let getError = streamsError { _ = try store.get(nil) }
        #expect(getError?.code == .serialization)
        #expect(try store.approximateNumEntries() == 1)
    }

    // MARK: - Typed values

    @Test func jsonValuesRoundTripThroughTheStore() throws {
        struct Account: Codable, Equatable { var owner: String; var balance: Int }
        let store = try makeStore(key: .string, value: .json(Account.self))
        try store.put("acc-1", Account(owner: "ann", balance: 10))
        try store.put("acc-2", Account(owner: "bob", balance: -3))
        #expect(try store.get("acc-1") == Account(owner: "ann", balance: 10))
        #expect(try store.all().toArray().map(\.value.owner) == ["ann", "bob"])
    }
}
