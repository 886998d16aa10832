/// The change-logging layer of a session store (Kafka's `ChangeLoggingSessionBytesStore`):
/// each write is also sent to the changelog with Kafka's session key format,
/// `[key][session end: 8 bytes big-endian][session start: 8 bytes big-endian]`, and the
/// timestamp of the record being processed.
public final class ChangeLoggingSessionStore: SessionStore, WrappedStateStore, ChangelogRestorable {
    /// The bytes store underneath.
    public let inner: any SessionStore<[UInt8], [UInt8]>
    private var changelogger: StoreChangelogger?

    /// Wraps a bytes session store.
    public init(_ inner: any SessionStore<[UInt8], [UInt8]>) { self.inner = inner }

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

    /// The changelog key of a session: Kafka's `SessionKeySchema.toBinary`.
    static func changelogKey(_ session: Windowed<[UInt8]>) -> [UInt8] {
        var bytes = session.key
        bytes.reserveCapacity(session.key.count + 16)
        TimestampBytes.append(session.window.end, to: &bytes)
        TimestampBytes.append(session.window.start, to: &bytes)
        return bytes
    }

    /// The key's sessions overlapping the range.
    public func findSessions(_ key: [UInt8], earliestSessionEnd: Int64, latestSessionStart: Int64) throws
        -> KeyValueIterator<Windowed<[UInt8]>, [UInt8]>
    {
        try inner.findSessions(key, earliestSessionEnd: earliestSessionEnd, latestSessionStart: latestSessionStart)
    }

    /// The value of exactly this session.
    public func fetchSession(_ key: [UInt8], start: Int64, end: Int64) throws -> [UInt8]? {
        try inner.fetchSession(key, start: start, end: end)
    }

    /// Writes (or removes) the session and logs it.
    public func put(_ session: Windowed<[UInt8]>, _ value: [UInt8]?) throws {
        try inner.put(session, value)
        guard let changelogger else { return }
        try changelogger.log(key: Self.changelogKey(session), value: value?[...], timestamp: changelogger.currentTimestamp())
    }

    /// Every session.
    public func all() throws -> KeyValueIterator<Windowed<[UInt8]>, [UInt8]> { try inner.all() }

    /// Writes changelog records into the bytes store, without logging them.
    /// - Throws: ``StreamsError`` (`deserialization`) for a key shorter than 16 bytes.
    package func restore(_ records: [ChangelogRecord]) throws {
        var entries: [KeyValue<Windowed<[UInt8]>, [UInt8]?>] = []
        entries.reserveCapacity(records.count)
        for record in records {
            let count = record.key.count
            guard count >= 16 else {
                throw StreamsError(
                    .deserialization,
                    "changelog record at offset \(record.offset) of session store \(name) has a "
                        + "\(count)-byte key; session changelog keys have at least 16",
                    context: .init(offset: record.offset, store: name))
            }
            let end = TimestampBytes.read(record.key, at: count - 16)
            let start = TimestampBytes.read(record.key, at: count - 8)
            entries.append(
                KeyValue(Windowed(key: Array(record.key[..<(count - 16)]), window: Window(start: start, end: end)), record.value))
        }
        if let batch = inner as? any BatchWritableSessionStore {
            try batch.putAll(entries)
        } else {
            for entry in entries { try inner.put(entry.key, entry.value) }
        }
    }
}

/// A session store that can apply many writes at once (RocksDB: one write batch per segment).
package protocol BatchWritableSessionStore: AnyObject {
    /// Writes the sessions in order, as ``SessionStore/put(_:_:)`` would.
    func putAll(_ entries: [KeyValue<Windowed<[UInt8]>, [UInt8]?>]) throws
}
