/// The branches of a split stream, added one predicate at a time.
///
/// Each record goes to the first branch whose predicate holds, or to the default branch,
/// or nowhere. End with ``defaultBranch(_:)`` or ``noDefaultBranch()`` to get the branches
/// by name.
///
/// ```swift
/// let branches = payments.split(named: "pay-")
///     .branch({ _, p in p.amount > 1_000 }, .as("large"))
///     .defaultBranch(.as("normal"))
/// branches["pay-large"]?.to("review")
/// ```
public final class BranchedKStream<Key, Value> {
    let source: KStream<Key, Value>
    let splitName: String
    private var predicates: [@Sendable (Key, Value) throws -> Bool] = []
    private var branchNames: [String] = []
    private var defaultName: String?
    private var result: [String: KStream<Key, Value>] = [:]

    init(source: KStream<Key, Value>, splitName: String) {
        self.source = source
        self.splitName = splitName
        let parent = source.name
        source.builder.add(splitName, parents: [parent]) { [self] topology in
            let predicates = self.predicates
            let names = self.branchNames
            let fallback = self.defaultName
            topology.addProcessor(splitName, parents: [parent]) {
                SplitProcessor(predicates: predicates, branchNames: names, defaultBranch: fallback)
            }
        }
    }

    /// Adds a branch for the records matching `predicate` (and no earlier predicate).
    @discardableResult
    public func branch(
        _ predicate: @escaping @Sendable (Key, Value) throws -> Bool, _ branched: Branched<Key, Value> = Branched()
    ) -> BranchedKStream {
        predicates.append(predicate)
        let name = splitName + (branched.name ?? String(predicates.count))
        branchNames.append(name)
        addBranch(name, branched)
        return self
    }

    /// Adds the branch for records no predicate matched, and returns every branch by name.
    public func defaultBranch(_ branched: Branched<Key, Value> = Branched()) -> [String: KStream<Key, Value>] {
        let name = splitName + (branched.name ?? "0")
        defaultName = name
        addBranch(name, branched)
        return result
    }

    /// Returns every branch by name; records no predicate matched are dropped.
    public func noDefaultBranch() -> [String: KStream<Key, Value>] { result }

    private func addBranch(_ name: String, _ branched: Branched<Key, Value>) {
        let parent = splitName
        source.builder.add(name, parents: [parent]) {
            $0.addProcessor(name, parents: [parent]) { PassThroughProcessor<Key, Value>() }
        }
        let stream = source.derived(name, key: source.keySerde, value: source.valueSerde, repartition: source.repartitionRequired)
        switch branched.action {
        case .none: result[name] = stream
        case .consume(let consumer): consumer(stream)
        case .transform(let function): if let transformed = function(stream) { result[name] = transformed }
        }
    }
}
