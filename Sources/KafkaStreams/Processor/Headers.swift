/// One record header: a string key and an optional byte value, as in Kafka.
public struct Header: Sendable, Hashable {
    /// The header key.
    public var key: String
    /// The header value; `nil` is a null header value.
    public var value: [UInt8]?

    /// Creates a header.
    public init(key: String, value: [UInt8]?) {
        self.key = key
        self.value = value
    }
}

/// The ordered, possibly repeated headers of a record.
///
/// Headers keep insertion order and allow several headers with the same key, exactly like
/// Kafka's `RecordHeaders`. An empty `Headers` value allocates nothing.
public struct Headers: Sendable, Hashable, ExpressibleByArrayLiteral, Sequence {
    @usableFromInline var storage: [Header]

    /// Creates empty headers.
    @inlinable public init() { storage = [] }

    /// Creates headers from a list, keeping its order.
    public init(_ headers: [Header]) { storage = headers }

    /// Creates headers from `(key, value)` pairs.
    public init(arrayLiteral elements: (String, [UInt8]?)...) {
        storage = elements.map { Header(key: $0.0, value: $0.1) }
    }

    /// The number of headers.
    @inlinable public var count: Int { storage.count }

    /// Whether there are no headers.
    @inlinable public var isEmpty: Bool { storage.isEmpty }

    /// Appends a header, keeping any existing header with the same key.
    public mutating func add(_ key: String, _ value: [UInt8]?) {
        storage.append(Header(key: key, value: value))
    }

    /// Removes every header with the given key.
    public mutating func remove(_ key: String) {
        storage.removeAll { $0.key == key }
    }

    /// The last header with the given key, as Kafka's `lastHeader`.
    public func lastHeader(_ key: String) -> Header? {
        storage.last { $0.key == key }
    }

    /// Every header with the given key, in order.
    public func headers(_ key: String) -> [Header] {
        storage.filter { $0.key == key }
    }

    /// Iterates the headers in order.
    public func makeIterator() -> IndexingIterator<[Header]> { storage.makeIterator() }
}
