/// Iterates the entries of a store range, in key order (or reverse key order).
///
/// Reads are taken from a snapshot made when the iterator was created, so writes during
/// iteration do not disturb it. Deserialization can fail, so ``next()`` throws. The
/// iterator releases what it holds when it is closed or goes out of scope, whichever
/// comes first: it cannot leak.
///
/// ```swift
/// let it = try store.range(from: "a", to: "m")
/// while let entry = try it.next() { print(entry.key, entry.value) }
/// ```
public final class KeyValueIterator<Key, Value> {
    private var nextEntry: (() throws -> KeyValue<Key, Value>?)?
    private var peeked: KeyValue<Key, Value>?
    private let onClose: () -> Void

    /// Creates an iterator from a function returning the next entry (`nil` at the end) and
    /// an action run once on close.
    public init(next: @escaping () throws -> KeyValue<Key, Value>?, onClose: @escaping () -> Void = {}) {
        self.nextEntry = next
        self.onClose = onClose
    }

    /// An iterator over an array of entries.
    public convenience init(_ entries: [KeyValue<Key, Value>]) {
        var index = 0
        self.init(next: {
            guard index < entries.count else { return nil }
            defer { index += 1 }
            return entries[index]
        })
    }

    /// The next entry, or `nil` at the end (and after ``close()``).
    /// - Throws: ``SerdeError`` or ``StreamsError`` if an entry cannot be read.
    public func next() throws -> KeyValue<Key, Value>? {
        if let entry = peeked {
            peeked = nil
            return entry
        }
        guard let nextEntry else { return nil }
        guard let entry = try nextEntry() else {
            close()
            return nil
        }
        return entry
    }

    /// The key of the next entry without consuming it, or `nil` at the end.
    /// - Throws: if the entry cannot be read.
    public func peekNextKey() throws -> Key? {
        if peeked == nil { peeked = try next() }
        return peeked?.key
    }

    /// Every remaining entry, in order; closes the iterator.
    /// - Throws: if an entry cannot be read.
    public func toArray() throws -> [KeyValue<Key, Value>] {
        var result: [KeyValue<Key, Value>] = []
        while let entry = try next() { result.append(entry) }
        return result
    }

    /// Releases the iterator's resources; further ``next()`` calls return `nil`.
    public func close() {
        guard nextEntry != nil else { return }
        nextEntry = nil
        peeked = nil
        onClose()
    }

    deinit { close() }
}
