/// The memory budget shared by the caching stores of one stream thread (or of the test
/// driver's task): `statestore.cache.max.bytes`.
///
/// Each caching store keeps its own dirty entries; this object only counts their bytes.
/// When a write takes the total over the budget, the writing store evicts (flushes
/// downstream) its oldest entries until the total fits again, as Kafka Streams' thread
/// cache does. A budget of 0 disables caching: every write is forwarded at once.
package final class RecordCache {
    /// The budget in bytes.
    package let maxBytes: Int
    /// Bytes currently held by all caching stores.
    package internal(set) var usedBytes = 0

    /// Creates a cache with a budget.
    package init(maxBytes: Int) { self.maxBytes = maxBytes }

    var isOverBudget: Bool { usedBytes > maxBytes }
}
