/// The right table's side of a foreign-key join for its own updates,
/// `KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-<n>` (Kafka Streams' `ForeignTableJoinProcessorSupplier`):
/// each change of a foreign row is sent to every left row subscribed to it, as a response
/// carrying the new foreign row (`nil` when deleted) and the subscription's value hash.
final class ForeignTableJoinProcessor<ForeignKey, ForeignValue, Key>: Processor {
    typealias InKey = ForeignKey
    typealias InValue = Change<ForeignValue>
    typealias OutKey = Key
    typealias OutValue = SubscriptionResponseWrapper<ForeignValue>
    let storeName: String
    let foreignKeySerde: Serde<ForeignKey>
    let keySerde: Serde<Key>
    var context: ProcessorContext<Key, SubscriptionResponseWrapper<ForeignValue>>!
    var subscriptions: SubscriptionStore!

    init(storeName: String, foreignKeySerde: Serde<ForeignKey>, keySerde: Serde<Key>) {
        self.storeName = storeName
        self.foreignKeySerde = foreignKeySerde
        self.keySerde = keySerde
    }

    func initialize(context: ProcessorContext<Key, SubscriptionResponseWrapper<ForeignValue>>) throws {
        self.context = context
        subscriptions = SubscriptionStore(store: try context.getStateStore(storeName))
    }

    func process(_ record: Record<ForeignKey, Change<ForeignValue>>) throws {
        for subscriber in try subscriptions.subscribers(of: try foreignKeySerde.serialize(record.key) ?? []) {
            let key = try keySerde.deserialize(subscriber.primaryKey)
            try context.forward(
                Record(
                    key: key, value: SubscriptionResponseWrapper(hash: subscriber.hash, foreignValue: record.value.newValue),
                    timestamp: max(record.timestamp, subscriber.timestamp), headers: record.headers))
        }
    }
}
