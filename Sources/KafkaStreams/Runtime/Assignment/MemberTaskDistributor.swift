/// Spreads one instance's tasks over its stream threads (its group members): every member
/// gets the same number of tasks give or take one, and a member keeps the tasks it had
/// before whenever balance allows.
package enum MemberTaskDistributor {
    /// Distributes `tasks` over `members`.
    /// - Parameters:
    ///   - tasks: the instance's tasks (all active, or all standby).
    ///   - members: the instance's member ids, in a stable order (ties go to the first).
    ///   - previous: each member's tasks of the same kind before the rebalance.
    /// - Returns: each member's tasks, sorted; every member has an entry.
    package static func distribute(_ tasks: Set<TaskId>, over members: [String], previous: [String: Set<TaskId>])
        -> [String: [TaskId]]
    {
        var result = Dictionary(uniqueKeysWithValues: members.map { ($0, [TaskId]()) })
        guard !members.isEmpty else { return result }
        let ceiling = (tasks.count + members.count - 1) / members.count
        var unassigned: [TaskId] = []
        for task in tasks.sorted() {
            if let owner = members.first(where: { previous[$0]?.contains(task) == true }), result[owner]!.count < ceiling {
                result[owner]!.append(task)
            } else {
                unassigned.append(task)
            }
        }
        func leastLoaded() -> String { members.min { result[$0]!.count < result[$1]!.count }! }
        func mostLoaded() -> String { members.max { result[$0]!.count < result[$1]!.count }! }
        for task in unassigned { result[leastLoaded()]!.append(task) }
        // Sticky owners can leave a gap of two or more (4 tasks, 3 members: 2, 2, 0): move
        // tasks from the most to the least loaded member, those it did not own before first.
        while result[mostLoaded()]!.count - result[leastLoaded()]!.count > 1 {
            let from = mostLoaded()
            let to = leastLoaded()
            let tasks = result[from]!
            let index = tasks.lastIndex { previous[from]?.contains($0) != true } ?? tasks.count - 1
            result[to]!.append(result[from]!.remove(at: index))
        }
        return result.mapValues { $0.sorted() }
    }
}
