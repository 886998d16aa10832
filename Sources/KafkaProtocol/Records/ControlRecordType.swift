import NIOCore

/// The type of a control record, from its key: version int16, type int16.
///
/// Control records live in control batches (``RecordBatchAttributes/isControl``) and are
/// never returned to applications. Transactions use ``abort`` and ``commit`` markers; the
/// other types belong to KRaft's metadata log.
///
/// ```swift
/// let type = try ControlRecordType(key: record.key!)   // .commit
/// ```
public struct ControlRecordType: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    /// The type id in the key.
    public var rawValue: Int16

    /// Creates a type from its id.
    @inlinable public init(rawValue: Int16) { self.rawValue = rawValue }

    /// A transaction was aborted: consumers in `read_committed` drop its records.
    public static let abort = ControlRecordType(rawValue: 0)
    /// A transaction was committed.
    public static let commit = ControlRecordType(rawValue: 1)
    /// KRaft: a new leader was elected.
    public static let leaderChange = ControlRecordType(rawValue: 2)
    /// KRaft: the start of a snapshot.
    public static let snapshotHeader = ControlRecordType(rawValue: 3)
    /// KRaft: the end of a snapshot.
    public static let snapshotFooter = ControlRecordType(rawValue: 4)
    /// KRaft: the kraft.version feature.
    public static let kraftVersion = ControlRecordType(rawValue: 5)
    /// KRaft: the set of voters.
    public static let kraftVoters = ControlRecordType(rawValue: 6)

    /// The key version this library writes.
    public static let currentKeyVersion: Int16 = 0

    /// Kafka's name: `ABORT`, `COMMIT`, ..., or `UNKNOWN(<id>)`.
    public var description: String {
        switch rawValue {
        case 0: "ABORT"
        case 1: "COMMIT"
        case 2: "LEADER_CHANGE"
        case 3: "SNAPSHOT_HEADER"
        case 4: "SNAPSHOT_FOOTER"
        case 5: "KRAFT_VERSION"
        case 6: "KRAFT_VOTERS"
        default: "UNKNOWN(\(rawValue))"
        }
    }

    /// Reads the type from a control record's key.
    ///
    /// - Throws: `ProtocolError(.invalidValue)` for a key shorter than 4 bytes or with a
    ///   negative version (Kafka rejects both).
    public init(key: ByteBuffer) throws {
        var key = key
        guard key.readableBytes >= 4 else {
            throw ProtocolError(.invalidValue, "control record key has \(key.readableBytes) bytes; it needs 4")
        }
        let version = try key.readKafkaInt16()
        guard version >= 0 else { throw ProtocolError(.invalidValue, "control record key has version \(version)") }
        self.init(rawValue: try key.readKafkaInt16())
    }

    /// Writes a control record key of this type: version 0, then the type.
    public func writeKey(into buffer: inout ByteBuffer) {
        buffer.writeKafkaInt16(Self.currentKeyVersion)
        buffer.writeKafkaInt16(rawValue)
    }

    /// A control record key of this type.
    public var key: ByteBuffer {
        var buffer = ByteBuffer()
        writeKey(into: &buffer)
        return buffer
    }
}
