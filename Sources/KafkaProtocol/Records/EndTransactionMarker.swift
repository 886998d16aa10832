import NIOCore

/// A transaction marker: the control record that commits or aborts a producer's
/// transaction on one partition.
///
/// Key: version int16 (0), type int16 (0 abort, 1 commit). Value: version int16 (0),
/// coordinator epoch int32. Markers are written alone in a control batch that is also
/// transactional and carries the producer's id and epoch.
///
/// ```swift
/// let marker = EndTransactionMarker(type: .commit, coordinatorEpoch: 5)
/// let batch = try RecordBatchBuilder.controlBatch(marker, producerId: 42, producerEpoch: 1,
///                                                 baseOffset: 100, timestamp: now)
/// // reading
/// let read = try EndTransactionMarker(record: record)   // from a control batch's record
/// ```
public struct EndTransactionMarker: Sendable, Hashable {
    /// The value version this library writes.
    public static let currentValueVersion: Int16 = 0

    /// `.commit` or `.abort`.
    public var type: ControlRecordType
    /// The epoch of the transaction coordinator that wrote the marker.
    public var coordinatorEpoch: Int32

    /// Creates a marker.
    public init(type: ControlRecordType, coordinatorEpoch: Int32) {
        self.type = type
        self.coordinatorEpoch = coordinatorEpoch
    }

    /// Reads a marker from a control record.
    ///
    /// - Throws: `ProtocolError(.invalidValue)` for a key that is not a commit or abort
    ///   marker, or a value that is null, shorter than 6 bytes or of negative version.
    public init(record: BatchRecord) throws {
        guard let key = record.key else { throw ProtocolError(.invalidValue, "control record has a null key") }
        let type = try ControlRecordType(key: key)
        guard type == .commit || type == .abort else {
            throw ProtocolError(.invalidValue, "control record of type \(type) is not a transaction marker")
        }
        guard var value = record.value else {
            throw ProtocolError(.invalidValue, "transaction marker at offset \(record.offset) has a null value")
        }
        guard value.readableBytes >= 6 else {
            throw ProtocolError(.invalidValue, "transaction marker value has \(value.readableBytes) bytes; it needs 6")
        }
        let version = try value.readKafkaInt16()
        guard version >= 0 else { throw ProtocolError(.invalidValue, "transaction marker value has version \(version)") }
        self.init(type: type, coordinatorEpoch: try value.readKafkaInt32())
    }

    /// The marker's record key.
    public var key: ByteBuffer { type.key }

    /// The marker's record value: version 0, coordinator epoch.
    public var value: ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeKafkaInt16(Self.currentValueVersion)
        buffer.writeKafkaInt32(coordinatorEpoch)
        return buffer
    }
}
