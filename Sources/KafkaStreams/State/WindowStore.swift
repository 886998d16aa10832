/// Reads of a window store: aggregates per key and window start.
public protocol ReadOnlyWindowStore<Key, Value>: AnyObject {
    /// The key type.
    associatedtype Key
    /// The value type.
    associatedtype Value

    /// The value of the key's window starting at `windowStart`.
    /// - Throws: if the store is closed or the value cannot be read.
    func fetch(_ key: Key, windowStart: Int64) throws -> Value?

    /// The key's windows with `from <= start <= to`, by start ascending (or descending
    /// with `backward`); each entry's key is the window start.
    /// - Throws: if the store is closed.
    func fetch(_ key: Key, from: Int64, to: Int64, backward: Bool) throws -> KeyValueIterator<Int64, Value>

    /// Every key's windows with `from <= start <= to`, by start, then key bytes.
    /// - Throws: if the store is closed.
    func fetchAll(from: Int64, to: Int64, backward: Bool) throws -> KeyValueIterator<Windowed<Key>, Value>
}

extension ReadOnlyWindowStore {
    /// The key's windows in a start range, oldest first.
    /// - Throws: if the store is closed.
    public func fetch(_ key: Key, from: Int64, to: Int64) throws -> KeyValueIterator<Int64, Value> {
        try fetch(key, from: from, to: to, backward: false)
    }

    /// Every window still held, oldest first.
    /// - Throws: if the store is closed.
    public func all() throws -> KeyValueIterator<Windowed<Key>, Value> {
        try fetchAll(from: .min, to: .max, backward: false)
    }
}

/// A store of aggregates per key and time window, dropping windows older than its
/// retention (measured against the newest window start it has seen).
public protocol WindowStore<Key, Value>: ReadOnlyWindowStore, StateStore {
    /// Writes the key's window starting at `windowStart`; `nil` deletes it. A write for a
    /// window already past retention is ignored.
    /// - Throws: if the store is closed or the entry cannot be serialized.
    func put(_ key: Key, _ value: Value?, windowStart: Int64) throws
}

/// A store of session aggregates: one entry per key and session window `[start, end]`.
public protocol SessionStore<Key, Value>: StateStore {
    /// The key type.
    associatedtype Key
    /// The value type.
    associatedtype Value

    /// The key's sessions with `end >= earliestSessionEnd` and `start <= latestSessionStart`,
    /// by end then start.
    /// - Throws: if the store is closed.
    func findSessions(_ key: Key, earliestSessionEnd: Int64, latestSessionStart: Int64) throws -> KeyValueIterator<Windowed<Key>, Value>

    /// The value of exactly this session, if stored.
    /// - Throws: if the store is closed.
    func fetchSession(_ key: Key, start: Int64, end: Int64) throws -> Value?

    /// Writes a session (`nil` removes it).
    /// - Throws: if the store is closed.
    func put(_ session: Windowed<Key>, _ value: Value?) throws

    /// Every session of every key, by end then key then start.
    /// - Throws: if the store is closed.
    func all() throws -> KeyValueIterator<Windowed<Key>, Value>
}

extension SessionStore {
    /// Removes a session.
    /// - Throws: if the store is closed.
    public func remove(_ session: Windowed<Key>) throws { try put(session, nil) }

    /// Every session of the key.
    /// - Throws: if the store is closed.
    public func fetch(_ key: Key) throws -> KeyValueIterator<Windowed<Key>, Value> {
        try findSessions(key, earliestSessionEnd: .min, latestSessionStart: .max)
    }
}
