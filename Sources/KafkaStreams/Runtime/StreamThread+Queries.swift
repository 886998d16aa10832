extension StreamThread {
    /// Runs `body` on each store named `name` of this thread's processing active tasks
    /// (global stores: the thread's copy), on the thread, and returns the results.
    func query<R: Sendable>(_ name: String, global includeGlobal: Bool, _ body: @Sendable (any StateStore) throws -> R) throws -> [R] {
        var results: [R] = []
        if let globalStore = global?.stores[name] {
            if includeGlobal { results.append(try body(globalStore)) }
            return results
        }
        for (id, task) in active.sorted(by: { $0.key < $1.key }) {
            guard let store = task.task.ownedStores[name] else { continue }
            guard !restoringTasks.contains(id) else {
                throw StreamsError(
                    .storeNotAvailable, "store \(name) of task \(id) is restoring; retry shortly",
                    context: .init(store: name, taskId: id))
            }
            results.append(try body(store))
        }
        return results
    }

    /// Whether this thread owns the active task `id`.
    func hasActiveTask(_ id: TaskId) -> Bool { active[id] != nil }
}
