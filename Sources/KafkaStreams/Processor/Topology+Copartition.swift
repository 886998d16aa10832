extension Topology {
    /// Groups of topics (source and repartition topics, unprefixed) that must have the same
    /// number of partitions, because a key-based join reads them in one task: records of
    /// one key must land in the same partition number on both sides.
    ///
    /// Each group is the set of topics feeding the two inputs of a stream–stream,
    /// stream–table or table–table join (stream–global-table joins need none). Groups that
    /// share a topic are merged, as Kafka Streams' `copartitionGroups` are enforced
    /// together. The runtime checks them against the topics' partition counts, and creates
    /// repartition topics with the count of their group.
    ///
    /// ```swift
    /// topology.copartitionGroups   // [["cards", "payments"]]
    /// ```
    public var copartitionGroups: [[String]] {
        var index: [String: Int] = [:]
        for (i, node) in nodes.enumerated() { index[node.name] = i }
        func sourceTopics(of name: String) -> Set<String> {
            var topics: Set<String> = []
            var seen: Set<Int> = []
            var stack = index[name].map { [$0] } ?? []
            while let i = stack.popLast() {
                guard seen.insert(i).inserted else { continue }
                if case .source(let t, _, _) = nodes[i].kind {
                    topics.formUnion(t)
                    continue
                }
                stack.append(contentsOf: nodes[i].parents.compactMap { index[$0] })
            }
            return topics
        }
        var groups: [Set<String>] = []
        for nodeGroup in copartitionNodeGroups {
            var group = nodeGroup.reduce(into: Set<String>()) { $0.formUnion(sourceTopics(of: $1)) }
            groups.removeAll { existing in
                guard !existing.isDisjoint(with: group) else { return false }
                group.formUnion(existing)
                return true
            }
            if !group.isEmpty { groups.append(group) }
        }
        return groups.map { $0.sorted() }.sorted { $0.lexicographicallyPrecedes($1) }
    }
}
