/// What the DSL knows about one table operator while the graph is being declared: its
/// store, and whether a downstream operator needs old values from it.
///
/// Flags are read when ``StreamsBuilder/build()`` writes the graph, so an operator added
/// later can still ask an earlier table for old values (Kafka Streams' `sendOldValues`).
final class TableNode {
    let name: String
    let parent: TableNode?
    /// The store holding this table's current rows, if it is materialized.
    var storeName: String?
    /// Whether the store name was given by the user (so the table is queryable).
    var queryable = false
    /// For a source table: a store is required even though the user asked for none.
    var forceMaterialization = false
    /// Whether changes carry old values.
    private(set) var sendOldValues = false
    /// Whether this operator's old values are computed from its own store (materialized
    /// filter and mapValues, sources, aggregations) rather than from its parent's.
    let oldValuesFromOwnStore: Bool
    /// Runs when old values are first requested, for operators with more than one parent
    /// (a table–table join asks both of its inputs).
    var onSendOldValues: (() -> Void)?

    init(name: String, parent: TableNode?, storeName: String?, queryable: Bool, oldValuesFromOwnStore: Bool) {
        self.name = name
        self.parent = parent
        self.storeName = storeName
        self.queryable = queryable
        self.oldValuesFromOwnStore = oldValuesFromOwnStore
    }

    /// Makes this table send old values, materializing a source or asking the parent as
    /// needed.
    func enableSendingOldValues() {
        guard !sendOldValues else { return }
        sendOldValues = true
        onSendOldValues?()
        if parent == nil {
            forceMaterialization = true
        } else if !oldValuesFromOwnStore {
            parent?.enableSendingOldValues()
        }
    }
}
