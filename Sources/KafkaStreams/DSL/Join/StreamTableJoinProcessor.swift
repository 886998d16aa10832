/// A stream–table or stream–global-table join (Kafka Streams' `KStreamKTableJoinProcessor`):
/// `KSTREAM-JOIN-<n>` or `KSTREAM-LEFTJOIN-<n>`.
///
/// Each stream record looks up the table row of its (mapped) key as the table is at that
/// moment, and forwards the joined value with the stream record's key, timestamp and
/// headers. An inner join forwards nothing when the table has no row; a left join passes
/// `nil`. Table updates never trigger output: the table side is only read.
final class StreamTableJoinProcessor<Key, Value, TableKey, TableValue, Result>: Processor {
    typealias OutKey = Key
    typealias OutValue = Result
    let lookup: TableGetterSupplier<TableKey, TableValue>
    /// The table key of a stream record; `nil` drops the record (a null join key).
    let tableKey: (Key, Value) throws -> TableKey?
    let joiner: (Key, Value, TableValue?) throws -> Result
    let leftJoin: Bool
    var context: ProcessorContext<Key, Result>!
    var get: ((TableKey) throws -> ValueAndTimestamp<TableValue>?)!

    init(
        lookup: TableGetterSupplier<TableKey, TableValue>, leftJoin: Bool, tableKey: @escaping (Key, Value) throws -> TableKey?,
        joiner: @escaping (Key, Value, TableValue?) throws -> Result
    ) {
        self.lookup = lookup
        self.leftJoin = leftJoin
        self.tableKey = tableKey
        self.joiner = joiner
    }

    func initialize(context: ProcessorContext<Key, Result>) throws {
        self.context = context
        get = try lookup.make(context.storeAccess)
    }

    func process(_ record: Record<Key, Value>) throws {
        guard let key = try tableKey(record.key, record.value) else {
            context.task.dropRecord(
                reason: .nullKey, node: context.nodeName, message: "a stream-table join record has a null join key")
            return
        }
        let row = try get(key)
        guard leftJoin || row != nil else { return }
        try context.forward(record.withValue(try joiner(record.key, record.value, row?.value)))
    }
}
