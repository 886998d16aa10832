/// Sends the changes of one logged store to its changelog topic partition,
/// `<application.id>-<store>-changelog`, through the task's record collector.
///
/// Made by the ``ProcessorStateManager`` for each store whose builder enables logging and
/// whose changelog is not a reused source topic; it also remembers the offset of the last
/// change written, which the next checkpoint records.
package final class StoreChangelogger {
    /// The changelog topic (with the application-id prefix).
    package let topic: String
    /// The changelog partition: the task's partition.
    package let partition: Int32
    let collector: any RecordCollector
    /// The timestamp of the record being processed (for stores whose values carry none).
    let currentTimestamp: () -> Int64
    /// Called with the offset of each change whose offset is known at once.
    let written: (Int64) -> Void

    init(
        topic: String, partition: Int32, collector: any RecordCollector, currentTimestamp: @escaping () -> Int64,
        written: @escaping (Int64) -> Void
    ) {
        self.topic = topic
        self.partition = partition
        self.collector = collector
        self.currentTimestamp = currentTimestamp
        self.written = written
    }

    /// Logs a change; `value == nil` logs a tombstone.
    /// - Throws: ``StreamsError`` if the collector cannot send it.
    func log(key: [UInt8], value: ArraySlice<UInt8>?, timestamp: Int64) throws {
        if let offset = try collector.sendChangelog(
            topic: topic, partition: partition, key: key, value: value, timestamp: timestamp)
        {
            written(offset)
        }
    }
}

/// A store made of layers (metered → caching → change-logging → bytes store) exposes the
/// next layer down, so the state manager can find the layer that restores and the one that
/// syncs to disk.
package protocol WrappedStateStore: StateStore {
    /// The store this one wraps.
    var wrappedStore: any StateStore { get }
}

/// A layer that can rebuild its store from changelog records: the change-logging layers,
/// which know how the changelog encodes keys and values.
package protocol ChangelogRestorable: StateStore {
    /// Writes a batch of changelog records into the store underneath (not to the changelog).
    /// - Throws: ``StreamsError`` if a record cannot be decoded or written.
    func restore(_ records: [ChangelogRecord]) throws
}

/// A store that buffers writes in memory and can make them durable on disk (RocksDB).
package protocol SyncableStore: StateStore {
    /// Makes every write so far durable against a crash (before a checkpoint is written).
    /// - Throws: ``StreamsError`` naming the store and path on I/O failure.
    func sync() throws
}

extension StateStore {
    /// This store and the layers under it, outermost first.
    package var layers: [any StateStore] {
        var result: [any StateStore] = [self]
        var current: any StateStore = self
        while let wrapped = current as? any WrappedStateStore {
            current = wrapped.wrappedStore
            result.append(current)
        }
        return result
    }
}
