/// The left table's side of a foreign-key join, `KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-<n>`
/// (Kafka Streams' `SubscriptionSendProcessorSupplier`): turns each change of a left row
/// into subscription messages keyed by foreign key.
///
/// A new or updated row subscribes to its foreign key; a row whose foreign key changed
/// first unsubscribes from the old one; a deleted row unsubscribes and asks for a
/// response, so its result is deleted.
final class SubscriptionSendProcessor<Key, Value, ForeignKey>: Processor {
    typealias InKey = Key
    typealias InValue = Change<Value>
    typealias OutKey = ForeignKey
    typealias OutValue = SubscriptionWrapper<Key>
    let foreignKey: (Value) throws -> ForeignKey
    let valueSerde: Serde<Value>
    let foreignKeySerde: Serde<ForeignKey>
    let leftJoin: Bool
    var context: ProcessorContext<ForeignKey, SubscriptionWrapper<Key>>!

    init(
        foreignKey: @escaping (Value) throws -> ForeignKey, valueSerde: Serde<Value>, foreignKeySerde: Serde<ForeignKey>,
        leftJoin: Bool
    ) {
        self.foreignKey = foreignKey
        self.valueSerde = valueSerde
        self.foreignKeySerde = foreignKeySerde
        self.leftJoin = leftJoin
    }

    func initialize(context: ProcessorContext<ForeignKey, SubscriptionWrapper<Key>>) { self.context = context }

    func process(_ record: Record<Key, Change<Value>>) throws {
        let change = record.value
        let oldKey = try change.oldValue.map(foreignKey)
        guard let new = change.newValue else {
            if let oldKey { try send(oldKey, hash: nil, .deleteKeyAndPropagate, record) }
            return
        }
        let newKey = try foreignKey(new)
        let hash = valueHash(try valueSerde.serialize(new))
        var moved = false
        if let oldKey, try foreignKeySerde.serialize(oldKey) != foreignKeySerde.serialize(newKey) {
            moved = true
            try send(oldKey, hash: hash, .deleteKeyNoPropagate, record)
        }
        try send(newKey, hash: hash, leftJoin || moved ? .propagateNullIfNoForeignValue : .propagateOnlyIfForeignValue, record)
    }

    private func send(
        _ key: ForeignKey, hash: UInt64?, _ instruction: SubscriptionWrapper<Key>.Instruction,
        _ record: Record<Key, Change<Value>>
    ) throws {
        try context.forward(
            Record(
                key: key, value: SubscriptionWrapper(hash: hash, instruction: instruction, primaryKey: record.key),
                timestamp: record.timestamp, headers: record.headers))
    }
}
