/// The right table's side of a foreign-key join for subscriptions,
/// `KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-<n>` (Kafka Streams' `SubscriptionReceiveProcessorSupplier`
/// and `SubscriptionJoinProcessorSupplier`, one processor here): records or removes each
/// subscription, then answers it with the foreign row, keyed by the left row's key.
final class SubscriptionReceiveProcessor<ForeignKey, Key, ForeignValue>: Processor {
    typealias InKey = ForeignKey
    typealias InValue = SubscriptionWrapper<Key>
    typealias OutKey = Key
    typealias OutValue = SubscriptionResponseWrapper<ForeignValue>
    let storeName: String
    let lookup: TableGetterSupplier<ForeignKey, ForeignValue>
    let foreignKeySerde: Serde<ForeignKey>
    let keySerde: Serde<Key>
    var context: ProcessorContext<Key, SubscriptionResponseWrapper<ForeignValue>>!
    var subscriptions: SubscriptionStore!
    var get: ((ForeignKey) throws -> ValueAndTimestamp<ForeignValue>?)!

    init(
        storeName: String, lookup: TableGetterSupplier<ForeignKey, ForeignValue>, foreignKeySerde: Serde<ForeignKey>,
        keySerde: Serde<Key>
    ) {
        self.storeName = storeName
        self.lookup = lookup
        self.foreignKeySerde = foreignKeySerde
        self.keySerde = keySerde
    }

    func initialize(context: ProcessorContext<Key, SubscriptionResponseWrapper<ForeignValue>>) throws {
        self.context = context
        subscriptions = SubscriptionStore(store: try context.getStateStore(storeName))
        get = try lookup.make(context.storeAccess)
    }

    func process(_ record: Record<ForeignKey, SubscriptionWrapper<Key>>) throws {
        let subscription = record.value
        let foreignKey = try foreignKeySerde.serialize(record.key) ?? []
        let primaryKey = try keySerde.serialize(subscription.primaryKey) ?? []
        switch subscription.instruction {
        case .deleteKeyAndPropagate:
            try subscriptions.delete(foreignKey: foreignKey, primaryKey: primaryKey)
            try respond(subscription, value: nil, timestamp: record.timestamp, record)
        case .deleteKeyNoPropagate:
            try subscriptions.delete(foreignKey: foreignKey, primaryKey: primaryKey)
        case .propagateNullIfNoForeignValue, .propagateOnlyIfForeignValue:
            try subscriptions.put(
                foreignKey: foreignKey, primaryKey: primaryKey, timestamp: record.timestamp, hash: subscription.hash)
            let row = try get(record.key)
            guard row != nil || subscription.instruction == .propagateNullIfNoForeignValue else { return }
            try respond(
                subscription, value: row?.value, timestamp: max(record.timestamp, row?.timestamp ?? record.timestamp), record)
        }
    }

    private func respond(
        _ subscription: SubscriptionWrapper<Key>, value: ForeignValue?, timestamp: Int64,
        _ record: Record<ForeignKey, SubscriptionWrapper<Key>>
    ) throws {
        try context.forward(
            Record(
                key: subscription.primaryKey, value: SubscriptionResponseWrapper(hash: subscription.hash, foreignValue: value),
                timestamp: timestamp, headers: record.headers))
    }
}
