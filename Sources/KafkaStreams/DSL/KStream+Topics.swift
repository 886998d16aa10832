extension KStream {
    /// Writes every record to a topic; a terminal operation.
    ///
    /// Serdes default to the stream's; ``StreamsBuilder/build()`` fails naming the sink if
    /// the stream has none for its current types. Processor name: `KSTREAM-SINK-<n>`.
    public func to(
        _ topic: String, key: Serde<Key>? = nil, value: Serde<Value>? = nil,
        partitioner: StreamPartitioner<Key, Value>? = nil, named: Named? = nil
    ) {
        to(.topic(topic), Produced(key: key, value: value, partitioner: partitioner, named: named))
    }

    /// Writes every record to a topic with production options.
    public func to(_ topic: String, _ produced: Produced<Key, Value>) { to(.topic(topic), produced) }

    /// Writes each record to the topic `extractor` chooses for it.
    public func to(_ extractor: TopicNameExtractor<Key, Value>, _ produced: Produced<Key, Value> = Produced()) {
        let name = builder.name(produced.named, "KSTREAM-SINK-")
        let parent = self.name
        let key = produced.key ?? keySerde
        let value = produced.value ?? valueSerde
        builder.add(name, parents: [parent]) { topology in
            let (key, value) = try Self.requireSerdes(key, value, node: name, purpose: "sink \(name)")
            topology.addSink(name, topic: extractor, key: key, value: value, partitioner: produced.partitioner, parents: [parent])
        }
    }

    static func requireSerdes(_ key: Serde<Key>?, _ value: Serde<Value>?, node: String, purpose: String) throws -> (
        Serde<Key>, Serde<Value>
    ) {
        guard let key = key ?? Serde<Key>.inferred else {
            throw StreamsError(
                .invalidTopology, "\(purpose) has no key serde for \(Key.self); pass key: (no built-in serde fits this type)",
                context: .init(node: node))
        }
        guard let value = value ?? Serde<Value>.inferred else {
            throw StreamsError(
                .invalidTopology,
                "\(purpose) has no value serde for \(Value.self); pass value: (no built-in serde fits this type)",
                context: .init(node: node))
        }
        return (key, value)
    }

    /// Writes the stream through an internal topic, `<application.id>-<name>-repartition`,
    /// and reads it back, so records are partitioned by their current key.
    ///
    /// Records keep key, value, timestamp and headers. Processors: `<name>-repartition-sink`
    /// and `<name>-repartition-source`, with `<name>` the given name or a generated
    /// `KSTREAM-REPARTITION-<n>`.
    public func repartition(_ options: Repartitioned<Key, Value> = Repartitioned()) -> KStream {
        let base = builder.name(options.named, "KSTREAM-REPARTITION-")
        let topic = "\(base)-repartition"
        let sinkName = "\(base)-repartition-sink"
        let sourceName = "\(base)-repartition-source"
        let parent = self.name
        let key = options.key ?? keySerde
        let value = options.value ?? valueSerde
        builder.add(sinkName, parents: [parent]) { topology in
            let (key, value) = try Self.requireSerdes(key, value, node: sinkName, purpose: "repartition \(base)")
            topology.markInternal(topic, .repartition)
            topology.addSink(sinkName, topic: topic, key: key, value: value, partitioner: options.partitioner, parents: [parent])
            topology.addSource(sourceName, topics: [topic], key: key, value: value)
        }
        return derived(sourceName, key: key, value: value, repartition: false)
    }

    /// Runs a ``Processor`` on every record; it may forward any records it likes.
    /// Marks the stream for repartitioning (the processor may change keys).
    ///
    /// - Parameters:
    ///   - named: the processor name (default `KSTREAM-PROCESSOR-<n>`).
    ///   - stores: names of stores added with ``StreamsBuilder/addStateStore(_:)`` that the
    ///     processor uses.
    ///   - supplier: makes one processor per task.
    public func process<P: Processor>(
        named: Named? = nil, stores: [String] = [], _ supplier: @escaping @Sendable () -> P
    ) -> KStream<P.OutKey, P.OutValue> where P.InKey == Key, P.InValue == Value {
        derived(addProcessor(named, "KSTREAM-PROCESSOR-", stores: stores, supplier), key: nil, value: nil, repartition: true)
    }

    /// Runs a ``FixedKeyProcessor`` on every record; keys cannot change, so no repartition.
    ///
    /// Processor name: `KSTREAM-PROCESSVALUES-<n>` by default.
    public func processValues<P: FixedKeyProcessor>(
        named: Named? = nil, stores: [String] = [], _ supplier: @escaping @Sendable () -> P
    ) -> KStream<Key, P.OutValue> where P.Key == Key, P.InValue == Value {
        derived(
            addFixedKeyProcessor(named, "KSTREAM-PROCESSVALUES-", stores: stores, supplier), key: keySerde, value: nil,
            repartition: repartitionRequired)
    }
}
