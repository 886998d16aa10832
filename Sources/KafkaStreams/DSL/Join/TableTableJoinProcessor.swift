/// One side of a table–table join (Kafka Streams' `KTableKTableInnerJoin`, `…LeftJoin`,
/// `…RightJoin` and `…OuterJoin`): `KTABLE-JOINTHIS-<n>` for the left table's changes,
/// `KTABLE-JOINOTHER-<n>` for the right table's.
///
/// Each change of this side's row is joined with the other table's current row of the
/// key, and forwarded as a change of the join result, timestamped with the larger of the
/// two rows' timestamps. A change whose result is no row (this row deleted while the
/// other exists, in an inner join) is forwarded as a tombstone; a change that concerns no
/// row of either table (a delete of a key neither has) is dropped.
final class TableTableJoinProcessor<Key, This, Other, Result>: Processor {
    typealias InKey = Key
    typealias InValue = Change<This>
    typealias OutKey = Key
    typealias OutValue = Change<Result>

    /// Which rows produce a result, from this side's point of view.
    enum Mode {
        /// Both rows must exist.
        case inner
        /// This row must exist (this side of a left join).
        case left
        /// The other row must exist (the right side of a left join): a deleted row of this
        /// side still yields `joiner(nil, other)`.
        case right
        /// Either row.
        case outer
    }

    let mode: Mode
    let lookup: TableGetterSupplier<Key, Other>
    let sendOldValues: Bool
    /// `joiner(this, other)` in this side's point of view; `nil` arguments only where the mode allows.
    let joiner: (This?, Other?) throws -> Result
    var context: ProcessorContext<Key, Change<Result>>!
    var get: ((Key) throws -> ValueAndTimestamp<Other>?)!

    init(
        mode: Mode, lookup: TableGetterSupplier<Key, Other>, sendOldValues: Bool,
        joiner: @escaping (This?, Other?) throws -> Result
    ) {
        self.mode = mode
        self.lookup = lookup
        self.sendOldValues = sendOldValues
        self.joiner = joiner
    }

    func initialize(context: ProcessorContext<Key, Change<Result>>) throws {
        self.context = context
        get = try lookup.make(context.storeAccess)
    }

    func process(_ record: Record<Key, Change<This>>) throws {
        let other = try get(record.key)
        let change = record.value
        var newValue: Result? = nil
        var oldValue: Result? = nil
        let timestamp = max(record.timestamp, other?.timestamp ?? record.timestamp)
        switch mode {
        case .inner:
            guard let other else { return }
            if let new = change.newValue { newValue = try joiner(new, other.value) }
            if sendOldValues, let old = change.oldValue { oldValue = try joiner(old, other.value) }
        case .left:
            if other == nil && change.newValue == nil && change.oldValue == nil { return }
            if let new = change.newValue { newValue = try joiner(new, other?.value) }
            if sendOldValues, let old = change.oldValue { oldValue = try joiner(old, other?.value) }
        case .right:
            guard let other else { return }
            newValue = try joiner(change.newValue, other.value)
            if sendOldValues { oldValue = try joiner(change.oldValue, other.value) }
        case .outer:
            if other == nil && change.newValue == nil && change.oldValue == nil { return }
            if other != nil || change.newValue != nil { newValue = try joiner(change.newValue, other?.value) }
            if sendOldValues && (other != nil || change.oldValue != nil) { oldValue = try joiner(change.oldValue, other?.value) }
        }
        try context.forward(
            Record(key: record.key, value: Change(newValue, oldValue), timestamp: timestamp, headers: record.headers))
    }
}
