/// The change-logging layer of a window store (Kafka's `ChangeLoggingWindowBytesStore`):
/// each write is also sent to the changelog with Kafka's window key format,
/// `[key][window start: 8 bytes big-endian][sequence number: 4 bytes]` (sequence 0: this
/// store keeps no duplicates).
///
/// Timestamped stores (DSL window aggregates) log the plain value with the value's
/// timestamp as record timestamp, as Kafka's `ChangeLoggingTimestampedWindowBytesStore`.
public final class ChangeLoggingWindowStore: WindowStore, WrappedStateStore, ChangelogRestorable {
    /// The bytes store underneath.
    public let inner: any WindowStore<[UInt8], [UInt8]>
    /// Whether values are `ValueAndTimestamp` bytes.
    public let timestamped: Bool
    private var changelogger: StoreChangelogger?

    /// Wraps a bytes window store.
    public init(_ inner: any WindowStore<[UInt8], [UInt8]>, timestamped: Bool) {
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
    /// Opens the bytes store and finds its changelog.
    public func initialize(context: StateStoreContext) throws {
        try inner.initialize(context: context)
        changelogger = context.stateManager?.changelogger(forStore: name)
    }
    /// Flushes the bytes store.
    public func flush() throws { try inner.flush() }
    /// Closes the bytes store.
    public func close() throws { try inner.close() }

    /// The changelog key of a window: Kafka's `WindowKeySchema.toStoreKeyBinary`.
    static func changelogKey(_ key: [UInt8], windowStart: Int64) -> [UInt8] {
        var bytes = key
        bytes.reserveCapacity(key.count + 12)
        TimestampBytes.append(windowStart, to: &bytes)
        bytes.append(contentsOf: [0, 0, 0, 0])
        return bytes
    }

    /// Writes the window and logs it.
    public func put(_ key: [UInt8], _ value: [UInt8]?, windowStart: Int64) throws {
        try inner.put(key, value, windowStart: windowStart)
        guard let changelogger else { return }
        let logKey = Self.changelogKey(key, windowStart: windowStart)
        if timestamped, let value, value.count >= 8 {
            try changelogger.log(key: logKey, value: value[8...], timestamp: TimestampBytes.read(value, at: 0))
        } else {
            try changelogger.log(key: logKey, value: value?[...], timestamp: changelogger.currentTimestamp())
        }
    }

    /// The key's window at `windowStart`.
    public func fetch(_ key: [UInt8], windowStart: Int64) throws -> [UInt8]? { try inner.fetch(key, windowStart: windowStart) }

    /// The key's windows in a start range.
    public func fetch(_ key: [UInt8], from: Int64, to: Int64, backward: Bool) throws -> KeyValueIterator<Int64, [UInt8]> {
        try inner.fetch(key, from: from, to: to, backward: backward)
    }

    /// Every window in a start range.
    public func fetchAll(from: Int64, to: Int64, backward: Bool) throws -> KeyValueIterator<Windowed<[UInt8]>, [UInt8]> {
        try inner.fetchAll(from: from, to: to, backward: backward)
    }

    /// Writes changelog records into the bytes store, without logging them.
    /// - Throws: ``StreamsError`` (`deserialization`) for a key shorter than 12 bytes.
    package func restore(_ records: [ChangelogRecord]) throws {
        var entries: [WindowEntry] = []
        entries.reserveCapacity(records.count)
        for record in records {
            guard record.key.count >= 12 else {
                throw StreamsError(
                    .deserialization,
                    "changelog record at offset \(record.offset) of window store \(name) has a "
                        + "\(record.key.count)-byte key; window changelog keys have at least 12",
                    context: .init(offset: record.offset, store: name))
            }
            let start = TimestampBytes.read(record.key, at: record.key.count - 12)
            var value = record.value
            if timestamped, let plain = value {
                value = TimestampBytes.encode(record.timestamp) + plain
            }
            entries.append(WindowEntry(key: Array(record.key[..<(record.key.count - 12)]), value: value, windowStart: start))
        }
        if let batch = inner as? any BatchWritableWindowStore {
            try batch.putAll(entries)
        } else {
            for entry in entries { try inner.put(entry.key, entry.value, windowStart: entry.windowStart) }
        }
    }
}

/// One window write, for batches.
package struct WindowEntry {
    package var key: [UInt8]
    package var value: [UInt8]?
    package var windowStart: Int64
}

/// A window store that can apply many writes at once (RocksDB: one write batch per segment).
package protocol BatchWritableWindowStore: AnyObject {
    /// Writes the entries in order, as ``WindowStore/put(_:_:windowStart:)`` would.
    func putAll(_ entries: [WindowEntry]) throws
}
