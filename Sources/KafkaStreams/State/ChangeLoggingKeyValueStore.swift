/// The change-logging layer of a key-value store (Kafka's `ChangeLoggingKeyValueBytesStore`):
/// every write to the store underneath is also sent to the store's changelog topic.
///
/// Sits between the caching layer (so only flushed writes are logged) and the bytes store.
/// A delete is logged as a tombstone. For a timestamped store the changelog record carries
/// the plain value bytes and the value's timestamp as its record timestamp, as Kafka
/// Streams logs `ValueAndTimestamp`; for a plain store the timestamp of the record being
/// processed. ``restore(_:)`` turns changelog records back into store entries in one batch.
public final class ChangeLoggingKeyValueStore: KeyValueStore, WrappedStateStore, ChangelogRestorable {
    /// The bytes store underneath.
    public let inner: any KeyValueStore<[UInt8], [UInt8]>
    /// Whether values are Kafka's `ValueAndTimestamp` bytes (8-byte timestamp, then value).
    public let timestamped: Bool
    private var changelogger: StoreChangelogger?

    /// Wraps a bytes store.
    public init(_ inner: any KeyValueStore<[UInt8], [UInt8]>, timestamped: Bool) {
        self.inner = inner
        self.timestamped = timestamped
    }

    package var wrappedStore: any StateStore { inner }
    /// The store name.
    public var name: String { inner.name }
    /// Whether the bytes store is persistent.
    public var persistent: Bool { inner.persistent }
    /// Whether the store is open.
    public var isOpen: Bool { inner.isOpen }

    /// Opens the bytes store and finds the changelog in the task's state manager (none
    /// outside a task, or when the changelog is the table's source topic).
    public func initialize(context: StateStoreContext) throws {
        try inner.initialize(context: context)
        changelogger = context.stateManager?.changelogger(forStore: name)
    }
    /// Flushes the bytes store.
    public func flush() throws { try inner.flush() }
    /// Closes the bytes store.
    public func close() throws { try inner.close() }

    private func log(_ key: [UInt8], _ value: [UInt8]?) throws {
        guard let changelogger else { return }
        if timestamped, let value, value.count >= 8 {
            try changelogger.log(key: key, value: value[8...], timestamp: TimestampBytes.read(value, at: 0))
        } else {
            try changelogger.log(key: key, value: value?[...], timestamp: changelogger.currentTimestamp())
        }
    }

    /// The value for the key.
    public func get(_ key: [UInt8]) throws -> [UInt8]? { try inner.get(key) }

    /// Writes the key and logs the change.
    public func put(_ key: [UInt8], _ value: [UInt8]?) throws {
        try inner.put(key, value)
        try log(key, value)
    }

    /// Writes the key if absent, logging the write if one happened.
    public func putIfAbsent(_ key: [UInt8], _ value: [UInt8]?) throws -> [UInt8]? {
        let existing = try inner.putIfAbsent(key, value)
        if existing == nil, value != nil { try log(key, value) }
        return existing
    }

    /// Writes the entries (in one batch for RocksDB) and logs each.
    public func putAll(_ entries: [KeyValue<[UInt8], [UInt8]?>]) throws {
        try inner.putAll(entries)
        for entry in entries { try log(entry.key, entry.value) }
    }

    /// Deletes the key and logs a tombstone.
    public func delete(_ key: [UInt8]) throws -> [UInt8]? {
        let old = try inner.delete(key)
        try log(key, nil)
        return old
    }

    /// Entries in `from...to`.
    public func range(from: [UInt8]?, to: [UInt8]?) throws -> KeyValueIterator<[UInt8], [UInt8]> {
        try inner.range(from: from, to: to)
    }

    /// Entries in `from...to`, reversed.
    public func reverseRange(from: [UInt8]?, to: [UInt8]?) throws -> KeyValueIterator<[UInt8], [UInt8]> {
        try inner.reverseRange(from: from, to: to)
    }

    /// Entries whose key starts with the prefix.
    public func prefixScan(serializedPrefix: [UInt8]) throws -> KeyValueIterator<[UInt8], [UInt8]> {
        try inner.prefixScan(serializedPrefix: serializedPrefix)
    }

    /// The bytes store's estimate.
    public func approximateNumEntries() throws -> Int { try inner.approximateNumEntries() }

    /// Writes changelog records into the bytes store in one batch, without logging them.
    package func restore(_ records: [ChangelogRecord]) throws {
        try inner.putAll(
            records.map { record in
                guard timestamped, let value = record.value else { return KeyValue(record.key, record.value) }
                var bytes = TimestampBytes.encode(record.timestamp)
                bytes.append(contentsOf: value)
                return KeyValue(record.key, bytes)
            })
    }
}

/// Big-endian 8-byte timestamps, as Kafka Streams writes them in values and store keys.
enum TimestampBytes {
    static func encode(_ value: Int64) -> [UInt8] {
        let bits = UInt64(bitPattern: value)
        return (0..<8).map { UInt8(truncatingIfNeeded: bits >> (56 - 8 * UInt64($0))) }
    }

    static func append(_ value: Int64, to bytes: inout [UInt8]) {
        let bits = UInt64(bitPattern: value)
        for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: bits >> (56 - 8 * UInt64(i)))) }
    }

    static func read<C: Collection>(_ bytes: C, at offset: Int) -> Int64 where C.Element == UInt8, C.Index == Int {
        var bits: UInt64 = 0
        for i in 0..<8 { bits = bits << 8 | UInt64(bytes[bytes.startIndex + offset + i]) }
        return Int64(bitPattern: bits)
    }

    /// As ``append(_:to:)`` with the sign bit flipped, so negative times sort before
    /// positive ones bytewise (store keys only; changelogs use Kafka's plain form).
    static func appendOrdered(_ value: Int64, to bytes: inout [UInt8]) {
        append(value ^ Int64.min, to: &bytes)
    }

    static func readOrdered<C: Collection>(_ bytes: C, at offset: Int) -> Int64 where C.Element == UInt8, C.Index == Int {
        read(bytes, at: offset) ^ Int64.min
    }
}
