import Foundation
import KafkaStreams
import NIOCore

/// A state store the service answers HTTP queries on, with the types that read it: keys
/// come from the URL as text (`LosslessStringConvertible`), values leave as JSON.
///
/// ```swift
/// let stores: [QueryableStore] = [
///     .keyValue("card-risk", key: .string, value: CardRisk.self),
///     .window("velocity-windows", key: .string, value: VelocityWindow.self, windowSize: .minutes(1)),
///     .session("user-sessions", key: .string, value: UserSession.self),
/// ]
/// ```
public struct QueryableStore: Sendable {
    /// What kind of store it is, which decides the queries it answers.
    public enum Kind: String, Sendable, Codable {
        /// `GET /stores/{store}/keys/{key}` (the value), `GET /stores/{store}/range?from=&to=`.
        case keyValue = "key-value"
        /// `GET /stores/{store}/keys/{key}?from=&to=` (the key's windows),
        /// `GET /stores/{store}/windows?from=&to=` (every key's).
        case window
        /// `GET /stores/{store}/keys/{key}` (the key's sessions).
        case session
    }

    /// The store's name in the topology.
    public let name: String
    /// Its kind.
    public let kind: Kind
    /// Which instance holds a key (parsed from the URL).
    let locate: @Sendable (StreamsApplication, String) async throws -> KeyQueryMetadata
    /// The answer for one key, from this instance's tasks.
    let queryKey: @Sendable (StreamsApplication, String, QueryParameters) async throws -> StoreAnswer
    /// The answer for a scan (range, windows) from this instance's tasks, merged with the
    /// other instances' answers (JSON bodies of the same scan); `nil` if the kind has none.
    let scan: (@Sendable (StreamsApplication, QueryParameters, [ByteBuffer]) async throws -> StoreAnswer)?

    /// A key-value store (DSL tables and aggregations, or a Processor API store).
    public static func keyValue<Key: LosslessStringConvertible & Codable & Sendable, Value: Codable & Sendable>(
        _ name: String, key: Serde<Key>, value: Value.Type
    ) -> QueryableStore {
        QueryableStore(
            name: name, kind: .keyValue, locate: locator(name, key),
            queryKey: { app, text, _ in
                let parsed = try parse(text, as: Key.self, what: "key")
                guard let found = try await app.keyValueStore(name, key: Key.self, value: Value.self).get(parsed) else {
                    return .notFound("store \(name) has no value for key \(text)")
                }
                return try .found(KeyValueEntry(key: parsed, value: found))
            },
            scan: { app, query, remote in
                let from = try query.text("from").map { try parse($0, as: Key.self, what: "from") }
                let to = try query.text("to").map { try parse($0, as: Key.self, what: "to") }
                let local = try await app.keyValueStore(name, key: Key.self, value: Value.self).range(from: from, to: to)
                var entries = local.map { KeyValueEntry(key: $0.key, value: $0.value) }
                for body in remote { entries += try decode(EntriesBody<KeyValueEntry<Key, Value>>.self, body).entries }
                let sorted = try sortByKeyBytes(entries, key) { $0.key }
                return try .found(EntriesBody(entries: sorted))
            })
    }

    /// A window store (windowed aggregations). `windowSize` adds each window's end to the
    /// answers.
    public static func window<Key: LosslessStringConvertible & Codable & Sendable, Value: Codable & Sendable>(
        _ name: String, key: Serde<Key>, value: Value.Type, windowSize: Duration? = nil
    ) -> QueryableStore {
        let size = windowSize.map { $0.milliseconds }
        return QueryableStore(
            name: name, kind: .window, locate: locator(name, key),
            queryKey: { app, text, query in
                let parsed = try parse(text, as: Key.self, what: "key")
                let (from, to) = try query.timeRange()
                let windows = try await app.windowStore(name, key: Key.self, value: Value.self).fetch(parsed, from: from, to: to)
                return try .found(
                    KeyWindowsBody(
                        key: parsed,
                        windows: windows.map { entry in WindowEntry(start: entry.key, end: size.map { entry.key + $0 }, value: entry.value) }))
            },
            scan: { app, query, remote in
                let (from, to) = try query.timeRange()
                let local = try await app.windowStore(name, key: Key.self, value: Value.self).fetchAll(from: from, to: to)
                var entries = local.map { entry in
                    WindowedEntry(
                        key: entry.key.key, start: entry.key.window.start, end: size.map { entry.key.window.start + $0 },
                        value: entry.value)
                }
                for body in remote { entries += try decode(EntriesBody<WindowedEntry<Key, Value>>.self, body).entries }
                let byKey = try sortByKeyBytes(entries, key) { $0.key }
                return try .found(EntriesBody(entries: byKey))
            })
    }

    /// A session store (session-windowed aggregations).
    public static func session<Key: LosslessStringConvertible & Codable & Sendable, Value: Codable & Sendable>(
        _ name: String, key: Serde<Key>, value: Value.Type
    ) -> QueryableStore {
        QueryableStore(
            name: name, kind: .session, locate: locator(name, key),
            queryKey: { app, text, _ in
                let parsed = try parse(text, as: Key.self, what: "key")
                let sessions = try await app.sessionStore(name, key: Key.self, value: Value.self).fetch(parsed)
                return try .found(
                    KeyWindowsBody(
                        key: parsed,
                        windows: sessions.map { WindowEntry(start: $0.key.window.start, end: $0.key.window.end, value: $0.value) }))
            },
            scan: nil)
    }

    static func locator<Key>(_ name: String, _ serde: Serde<Key>) -> @Sendable (StreamsApplication, String) async throws -> KeyQueryMetadata
    where Key: LosslessStringConvertible & Sendable {
        { app, text in try await app.metadataForKey(name, key: try parse(text, as: Key.self, what: "key"), serde: serde) }
    }

    static func parse<Key: LosslessStringConvertible>(_ text: String, as: Key.Type, what: String) throws -> Key {
        guard let key = Key(text) else { throw QueryError.badRequest("\(what) \"\(text)\" is not a valid \(Key.self)") }
        return key
    }

    static func decode<T: Decodable>(_ type: T.Type, _ body: ByteBuffer) throws -> T {
        do { return try JSONDecoder().decode(type, from: Data(body.readableBytesView)) } catch {
            throw QueryError.unavailable("another instance answered with an unreadable body: \(error)")
        }
    }

    /// Sorts entries as the stores order keys: bytewise by the serialized key.
    static func sortByKeyBytes<Entry, Key>(_ entries: [Entry], _ serde: Serde<Key>, _ key: (Entry) -> Key) throws -> [Entry] {
        let keyed = try entries.map { entry -> ([UInt8], Entry) in
            var buffer = ByteBuffer()
            _ = try serde.serialize(key(entry), into: &buffer)
            return (Array(buffer.readableBytesView), entry)
        }
        return keyed.sorted { $0.0.lexicographicallyPrecedes($1.0) }.map(\.1)
    }
}

/// What a store query found.
enum StoreAnswer: Sendable {
    /// A JSON body.
    case found(ByteBuffer)
    /// No such key: a 404 with this reason.
    case notFound(String)

    static func found(_ body: some Encodable) throws -> StoreAnswer { .found(try JSONBody.encode(body)) }
}

/// The query string of a store request.
struct QueryParameters: Sendable {
    var values: [String: String]

    func text(_ name: String) throws -> String? { values[name] }

    /// `from`/`to` as milliseconds since the epoch (defaults: all time).
    func timeRange() throws -> (Int64, Int64) {
        func millis(_ name: String, _ fallback: Int64) throws -> Int64 {
            guard let text = values[name] else { return fallback }
            guard let value = Int64(text) else {
                throw QueryError.badRequest("\(name) must be milliseconds since the epoch, got \"\(text)\"")
            }
            return value
        }
        let range = (try millis("from", 0), try millis("to", Int64.max))
        guard range.0 <= range.1 else { throw QueryError.badRequest("from (\(range.0)) is after to (\(range.1))") }
        return range
    }
}

/// A key and its value.
struct KeyValueEntry<Key: Codable & Sendable, Value: Codable & Sendable>: Codable, Sendable {
    var key: Key
    var value: Value
}

/// A window (or session) of one key.
struct WindowEntry<Value: Codable & Sendable>: Codable, Sendable {
    var start: Int64
    var end: Int64?
    var value: Value
}

/// A key's windows or sessions.
struct KeyWindowsBody<Key: Codable & Sendable, Value: Codable & Sendable>: Codable, Sendable {
    var key: Key
    var windows: [WindowEntry<Value>]
}

/// A window of any key.
struct WindowedEntry<Key: Codable & Sendable, Value: Codable & Sendable>: Codable, Sendable {
    var key: Key
    var start: Int64
    var end: Int64?
    var value: Value
}

/// The answer of a scan.
struct EntriesBody<Entry: Codable & Sendable>: Codable, Sendable {
    var entries: [Entry]
}

/// JSON encoding of answers: sorted keys, so that answers are stable.
enum JSONBody {
    static func encode(_ value: some Encodable) throws -> ByteBuffer {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return ByteBuffer(bytes: try encoder.encode(value))
    }
}

/// Why a query cannot be answered.
enum QueryError: Error, Sendable {
    /// The request is malformed (400).
    case badRequest(String)
    /// No such store (404).
    case notFound(String)
    /// The answer cannot be given now; retry (503).
    case unavailable(String)
}

extension Duration {
    /// Whole milliseconds.
    var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}
