import Metrics

/// Operation counters of one store instance: `kafka_streams_store_operations_total` with
/// dimensions `application_id`, `task_id`, `store` and `operation` (`get`, `put`,
/// `delete`, `range`, `fetch`). Created when the store opens; the metered layers count
/// through it, so a rate is the counter's derivative in the metrics backend.
struct StoreMetrics {
    let get: Counter
    let put: Counter
    let delete: Counter
    let range: Counter

    init(store: String, context: StateStoreContext) {
        func counter(_ operation: String) -> Counter {
            Counter(
                label: "kafka_streams_store_operations_total",
                dimensions: [
                    ("application_id", context.applicationID), ("task_id", "\(context.taskId)"), ("store", store),
                    ("operation", operation),
                ])
        }
        get = counter("get")
        put = counter("put")
        delete = counter("delete")
        range = counter("range")
    }
}
