#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Places tasks on instances: balanced, sticky, and state-aware (Kafka Streams'
/// `HighAvailabilityTaskAssignor`, simplified). Pure: the same input gives the same placement.
///
/// 1. **Quotas.** Every instance may run `tasks × threads / all threads` actives, rounded
///    down, and the remainder are extra slots of one task each for some instances. So
///    instances differ by at most one task per thread.
/// 2. **Sticky.** An instance keeps the active tasks it ran, up to its quota (first those no
///    other instance is caught up on, then the lowest task ids); the instances that ran the
///    most keep one more while extra slots last.
/// 3. **State-aware.** Every other task (most constrained first: fewest caught-up instances)
///    goes to an instance with room: a caught-up one (lag ≤ `acceptableRecoveryLag`) if
///    any, the least loaded (tasks per thread); otherwise the one with the least lag, then
///    the least loaded. Stateless tasks count as caught up everywhere.
/// 4. **Standbys.** Each stateful task gets `numStandbyReplicas` standbys on distinct
///    instances other than the one chosen for its active: least lag first, then the
///    instances that kept it as a standby before, then the fewest standbys per thread;
///    fewer when there are not enough instances.
/// 5. **Warm-ups.** A stateful task whose chosen instance is not caught up while another
///    instance is stays active on a caught-up instance (its previous owner, else the least
///    lag); the chosen instance gets a standby in its place if that instance had one, otherwise
///    a warm-up (at most `maxWarmupReplicas` per assignment). Either way a probing
///    rebalance is requested, which moves the task once the chosen instance has caught up.
package struct HighAvailabilityTaskAssignor: Sendable {
    /// Standby replicas per stateful task.
    package var numStandbyReplicas: Int
    /// The largest lag at which an instance counts as caught up on a task.
    package var acceptableRecoveryLag: Int64
    /// The most warm-up replicas one assignment creates.
    package var maxWarmupReplicas: Int

    /// Creates the assignor.
    package init(numStandbyReplicas: Int, acceptableRecoveryLag: Int64 = 10_000, maxWarmupReplicas: Int = 2) {
        self.numStandbyReplicas = numStandbyReplicas
        self.acceptableRecoveryLag = acceptableRecoveryLag
        self.maxWarmupReplicas = maxWarmupReplicas
    }

    /// Places `tasks` (``TaskLayout/tasks(partitionCounts:)``) on `clients`; tasks in `stateful` have
    /// changelogs (lags, standbys, warm-ups). See the type's description.
    package func assign(tasks: [TaskId], stateful: Set<TaskId>, clients unsorted: [ClientState]) -> TaskPlacement {
        var placement = TaskPlacement()
        let clients = unsorted.sorted { $0.processID.uuidString < $1.processID.uuidString }
        guard !clients.isEmpty else { return placement }
        let all = clients.indices
        let capacity = clients.map { max($0.capacity, 1) }
        let tasks = Set(tasks).sorted()
        func lag(_ client: Int, _ task: TaskId) -> Int64 {
            stateful.contains(task) ? clients[client].lags[task] ?? .max : 0
        }
        func caughtUp(_ client: Int, _ task: TaskId) -> Bool { lag(client, task) <= acceptableRecoveryLag }
        /// Tasks per thread of `client` in `tasks` (equal fractions give equal doubles).
        func load(_ tasks: [Set<TaskId>], _ client: Int) -> Double {
            Double(tasks[client].count) / Double(capacity[client])
        }

        var previousOwner: [TaskId: Int] = [:]
        for client in all {
            for task in clients[client].previousActive where previousOwner[task] == nil { previousOwner[task] = client }
        }
        let known = Set(tasks)
        previousOwner = previousOwner.filter { known.contains($0.key) }

        // 1. Quotas: everyone gets a floor; `extras` instances may take one task more.
        let threads = capacity.reduce(0, +)
        let floor = capacity.map { tasks.count * $0 / threads }
        var extras = tasks.count - floor.reduce(0, +)
        var active = [Set<TaskId>](repeating: [], count: clients.count)
        var chosen: [TaskId: Int] = [:]
        func place(_ task: TaskId, on client: Int) {
            if active[client].count >= floor[client] { extras -= 1 }
            active[client].insert(task)
            chosen[task] = client
        }
        func isOpen(_ client: Int) -> Bool {
            active[client].count < floor[client] || (active[client].count == floor[client] && extras > 0)
        }

        // 2. Sticky: previous tasks up to the floor, then one extra for those that had the most.
        var kept: [[TaskId]] = []
        for client in all {
            let elsewhere = { (task: TaskId) in all.contains { $0 != client && caughtUp($0, task) } ? 1 : 0 }
            let mine = tasks.filter { previousOwner[$0] == client }
                .sorted { (elsewhere($0), $0.subtopology, $0.partition) < (elsewhere($1), $1.subtopology, $1.partition) }
            kept.append(mine)
            for task in mine.prefix(floor[client]) { place(task, on: client) }
        }
        let surplus = all.filter { kept[$0].count > floor[$0] }
            .sorted { (floor[$0] - kept[$0].count, $0) < (floor[$1] - kept[$1].count, $1) }
        for client in surplus where extras > 0 { place(kept[client][floor[client]], on: client) }

        // 3. State-aware placement of the rest.
        let caughtUpCount = Dictionary(
            uniqueKeysWithValues: tasks.map { task in (task, all.filter { caughtUp($0, task) }.count) })
        let rest = tasks.filter { chosen[$0] == nil }.sorted { (caughtUpCount[$0]!, $0) < (caughtUpCount[$1]!, $1) }
        for task in rest {
            let open = all.filter(isOpen)
            func key(_ client: Int) -> (Int, Int64, Double, Int) {
                caughtUp(client, task)
                    ? (0, 0, load(active, client), client) : (1, lag(client, task), load(active, client), client)
            }
            let client = open.min { key($0) < key($1) }!
            place(task, on: client)
        }

        // 4. Standbys, away from the chosen instance.
        var standby = [Set<TaskId>](repeating: [], count: clients.count)
        for task in tasks where stateful.contains(task) {
            for _ in 0..<max(numStandbyReplicas, 0) {
                let candidates = all.filter { $0 != chosen[task] && !standby[$0].contains(task) }
                func key(_ client: Int) -> (Int64, Int, Double, Int) {
                    (lag(client, task), clients[client].previousStandby.contains(task) ? 0 : 1, load(standby, client), client)
                }
                guard let client = candidates.min(by: { key($0) < key($1) }) else { break }
                standby[client].insert(task)
            }
        }

        // 5. Warm-ups: keep the active on a caught-up instance until the chosen one catches up.
        var warmups = [Set<TaskId>](repeating: [], count: clients.count)
        var warmupsLeft = maxWarmupReplicas
        for task in tasks where stateful.contains(task) {
            let target = chosen[task]!
            guard !caughtUp(target, task) else { continue }
            let ready = all.filter { caughtUp($0, task) }
            guard !ready.isEmpty else { continue }
            let holder =
                previousOwner[task].flatMap { ready.contains($0) ? $0 : nil }
                ?? ready.min { (lag($0, task), load(active, $0), $0) < (lag($1, task), load(active, $1), $1) }!
            active[target].remove(task)
            active[holder].insert(task)
            placement.probingRebalanceNeeded = true
            if standby[holder].remove(task) != nil {
                standby[target].insert(task)
            } else if warmupsLeft > 0 {
                warmups[target].insert(task)
                warmupsLeft -= 1
            }
        }

        for client in all {
            let id = clients[client].processID
            placement.active[id] = active[client]
            placement.standby[id] = standby[client]
            placement.warmups[id] = warmups[client]
        }
        return placement
    }
}
