/// The end of a foreign-key join, `KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-RESOLVER-PROCESSOR-<n>`
/// (Kafka Streams' `ResponseJoinProcessorSupplier`): joins each response with the left
/// row it answers, as that row is now.
///
/// A response whose value hash differs from the current row's was sent for an older
/// version of the row (its foreign key has changed since, or it was deleted) and is
/// discarded, so out-of-order responses never resurrect stale results. Otherwise it
/// forwards `joiner(row, foreignRow)`, or a delete (`nil`) when the row is gone or, in an
/// inner join, the foreign row is.
final class ResponseJoinProcessor<Key, Value, ForeignValue, Result>: Processor {
    typealias InKey = Key
    typealias InValue = SubscriptionResponseWrapper<ForeignValue>
    typealias OutKey = Key
    typealias OutValue = Result?
    let lookup: TableGetterSupplier<Key, Value>
    let valueSerde: Serde<Value>
    let leftJoin: Bool
    let joiner: (Value, ForeignValue?) throws -> Result
    var context: ProcessorContext<Key, Result?>!
    var get: ((Key) throws -> ValueAndTimestamp<Value>?)!

    init(
        lookup: TableGetterSupplier<Key, Value>, valueSerde: Serde<Value>, leftJoin: Bool,
        joiner: @escaping (Value, ForeignValue?) throws -> Result
    ) {
        self.lookup = lookup
        self.valueSerde = valueSerde
        self.leftJoin = leftJoin
        self.joiner = joiner
    }

    func initialize(context: ProcessorContext<Key, Result?>) throws {
        self.context = context
        get = try lookup.make(context.storeAccess)
    }

    func process(_ record: Record<Key, SubscriptionResponseWrapper<ForeignValue>>) throws {
        let current = try get(record.key)?.value
        let currentHash = valueHash(try current.flatMap { try valueSerde.serialize($0) })
        guard currentHash == record.value.hash else {
            context.task.logger.debug("discarding a foreign-key join response for an outdated row [node \(context.nodeName)]")
            return
        }
        let result: Result?
        if let current, record.value.foreignValue != nil || leftJoin {
            result = try joiner(current, record.value.foreignValue)
        } else {
            result = nil
        }
        try context.forward(record.withValue(result))
    }
}
