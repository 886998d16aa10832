// Throughput and allocation benchmarks of the stream-processing hot path.
//
//     cd Benchmarks && swift package --disable-sandbox benchmark
//
// Benchmarks: StatelessPipeline, StatelessPipeline+readValue, HandwrittenBaseline,
// CountPerKey, CountPerKey+cachingDisabled, WindowedCount, StreamStreamJoin, StreamTableJoin;
// state stores: KVStore/{put,get,range}/{library,raw}, CountPerKeyStore/{rocksDB,inMemory},
// CountPerKey+rocksDB, ManyTaskStores/{shared,perStore}.
//
// Every benchmark pipes 1,000 records per iteration (`scalingFactor: .kilo`), so the
// figures the tool prints with a `*` (throughput, mallocs) are per record:
// throughput = records/s, malloc (total) = allocations per record. See
// ../docs/performance.md for the figures and how to read them.

import Benchmark
import PipelineFixture

let benchmarks: @Sendable () -> Void = {
    // 1,000 records per measured iteration; per-record figures come from the scaling.
    let configuration = Benchmark.Configuration(
        metrics: [.throughput, .wallClock, .mallocCountTotal, .peakMemoryResident],
        warmupIterations: 20,
        scalingFactor: .kilo,
        maxDuration: .seconds(3),
        maxIterations: 100_000
    )

    // Setup (not measured): topology, driver, topic handles and the prebuilt keys and
    // values. A short run checks the output is what the pipeline must produce, so the
    // benchmarks cannot measure a broken pipeline.
    let harness: StatelessPipeline.Harness
    let harnessWithReads: StatelessPipeline.Harness
    do {
        harness = try StatelessPipeline.Harness()
        harnessWithReads = try StatelessPipeline.Harness()
        let check = try StatelessPipeline.Harness()
        try check.pipe(2_500)
        try check.verify(from: 0, count: 2_500)
        try check.pipe(10)
        try check.verify(from: 2_500, count: 10)
    } catch {
        fatalError("benchmark setup failed: \(error)")
    }

    // Pipe only. The output records of the previous iteration are read back before the
    // measurement starts, so the test driver's output log (which reuses its buffer once
    // every record has been read) stays bounded and reading is not measured: this is the
    // cost of processing — source deserialization, filter, mapValues, sink serialization —
    // plus the test driver's per-record work.
    Benchmark("StatelessPipeline", configuration: configuration) { benchmark in
        try harness.drain()
        benchmark.startMeasurement()
        try harness.pipe(benchmark.scaledIterations.count)
        benchmark.stopMeasurement()
    }

    // Pipe and read every output value back with `readValue()` (one String per record):
    // what a test pays end to end.
    Benchmark("StatelessPipeline+readValue", configuration: configuration) { benchmark in
        try harnessWithReads.pipe(benchmark.scaledIterations.count)
        let read = try harnessWithReads.drain()
        precondition(read == benchmark.scaledIterations.count)
    }

    // The same per-record work written by hand without the library: the floor.
    let handwritten = HandwrittenPipeline()
    Benchmark("HandwrittenBaseline", configuration: configuration) { benchmark in
        handwritten.drain()
        benchmark.startMeasurement()
        handwritten.pipe(benchmark.scaledIterations.count)
        benchmark.stopMeasurement()
        precondition(handwritten.written == benchmark.scaledIterations.count)
    }

    // Stateful benchmarks. Their harnesses are built and pre-filled (one full cycle over
    // the keys, or one full window; every output checked) in the benchmark's setup hook,
    // so only the benchmark being run pays for it, and it is never measured. Measured
    // loops: pipe 1,000 records; the previous iteration's output is read back before
    // `startMeasurement()`, as in `StatelessPipeline`.

    // groupByKey().count() with the default caching store: the driver commits after every
    // record, so the cache flushes every record and forwards the update from the flush.
    let countCached = Prepared { () throws -> CountPerKey.Harness in
        let harness = try CountPerKey.Harness(caching: true)
        try harness.prefill()
        return harness
    }
    Benchmark(
        "CountPerKey", configuration: configuration,
        closure: { benchmark in
            let harness = try countCached.value()
            try harness.drain()
            benchmark.startMeasurement()
            try harness.pipe(benchmark.scaledIterations.count)
            benchmark.stopMeasurement()
        }, setup: { _ = try countCached.value() })

    // The same with `count(Materialized().withCachingDisabled())`: updates are forwarded
    // from `process`, without the cache.
    let countUncached = Prepared { () throws -> CountPerKey.Harness in
        let harness = try CountPerKey.Harness(caching: false)
        try harness.prefill()
        return harness
    }
    Benchmark(
        "CountPerKey+cachingDisabled", configuration: configuration,
        closure: { benchmark in
            let harness = try countUncached.value()
            try harness.drain()
            benchmark.startMeasurement()
            try harness.pipe(benchmark.scaledIterations.count)
            benchmark.stopMeasurement()
        }, setup: { _ = try countUncached.value() })

    // windowedBy(.tumbling(every: 1 min)).count(): 10,000 keys, 1 ms per record.
    let windowed = Prepared { () throws -> WindowedCount.Harness in
        let harness = try WindowedCount.Harness()
        try harness.prefill()
        return harness
    }
    Benchmark(
        "WindowedCount", configuration: configuration,
        closure: { benchmark in
            let harness = try windowed.value()
            try harness.drain()
            benchmark.startMeasurement()
            try harness.pipe(benchmark.scaledIterations.count)
            benchmark.stopMeasurement()
        }, setup: { _ = try windowed.value() })

    // left.join(right, 5-minute windows): 10,000 keys, pairs interleaved, one match per pair.
    let streamJoin = Prepared { () throws -> StreamStreamJoin.Harness in
        let harness = try StreamStreamJoin.Harness()
        try harness.prefill()
        return harness
    }
    Benchmark(
        "StreamStreamJoin", configuration: configuration,
        closure: { benchmark in
            let harness = try streamJoin.value()
            try harness.drain()
            benchmark.startMeasurement()
            try harness.pipe(benchmark.scaledIterations.count)
            benchmark.stopMeasurement()
        }, setup: { _ = try streamJoin.value() })

    // stream.join(table): every record finds its row in a 100,000-row table.
    let tableJoin = Prepared { () throws -> StreamTableJoin.Harness in
        let harness = try StreamTableJoin.Harness()
        try harness.prefill()
        return harness
    }
    Benchmark(
        "StreamTableJoin", configuration: configuration,
        closure: { benchmark in
            let harness = try tableJoin.value()
            try harness.drain()
            benchmark.startMeasurement()
            try harness.pipe(benchmark.scaledIterations.count)
            benchmark.stopMeasurement()
        }, setup: { _ = try tableJoin.value() })

    stateStoreBenchmarks()
}


/// The state-store benchmarks (docs/performance.md, "State stores"): the RocksDB
/// key-value store against the raw C API, the count's store work on RocksDB with the
/// record cache, the count topology on RocksDB through the driver, and the memory of 100
/// tasks' stores under the shared budget.
func stateStoreBenchmarks() {
    let configuration = Benchmark.Configuration(
        metrics: [.throughput, .wallClock, .mallocCountTotal],
        warmupIterations: 20,
        scalingFactor: .kilo,
        maxDuration: .seconds(3),
        maxIterations: 100_000
    )
    let library = Prepared { try StoreBench.Library() }
    let raw = Prepared { try StoreBench.Raw() }
    for (name, operation) in [("put", 0), ("get", 1), ("range", 2)] {
        Benchmark(
            "KVStore/\(name)/library", configuration: configuration,
            closure: { benchmark in
                let store = try library.value()
                switch operation {
                case 0: try store.put(benchmark.scaledIterations.count)
                case 1: blackHole(try store.get(benchmark.scaledIterations.count))
                default: blackHole(try store.range(benchmark.scaledIterations.count))
                }
            }, setup: { _ = try library.value() })
        Benchmark(
            "KVStore/\(name)/raw", configuration: configuration,
            closure: { benchmark in
                let store = try raw.value()
                switch operation {
                case 0: try store.put(benchmark.scaledIterations.count)
                case 1: blackHole(try store.get(benchmark.scaledIterations.count))
                default: blackHole(try store.range(benchmark.scaledIterations.count))
                }
            }, setup: { _ = try raw.value() })
    }

    for rocksDB in [true, false] {
        let harness = Prepared { () throws -> CountPerKeyStore in
            let harness = try CountPerKeyStore(rocksDB: rocksDB)
            try harness.pipe(CountPerKey.distinctKeys + 1_000)
            try harness.verify()
            return harness
        }
        Benchmark(
            "CountPerKeyStore/\(rocksDB ? "rocksDB" : "inMemory")", configuration: configuration,
            closure: { benchmark in try harness.value().pipe(benchmark.scaledIterations.count) },
            setup: { _ = try harness.value() })
    }

    // The CountPerKey topology through the driver on RocksDB with the record cache (and
    // its changelog captured, drained with the output outside the measurement).
    let countRocks = Prepared { () throws -> CountPerKey.Harness in
        let harness = try CountPerKey.Harness(caching: true, store: .rocksDB)
        try harness.prefill()
        return harness
    }
    Benchmark(
        "CountPerKey+rocksDB", configuration: configuration,
        closure: { benchmark in
            let harness = try countRocks.value()
            try harness.drain()
            benchmark.startMeasurement()
            try harness.pipe(benchmark.scaledIterations.count)
            benchmark.stopMeasurement()
        }, setup: { _ = try countRocks.value() })

    // 100 tasks' stores; each iteration writes 1,000 records of 1 KB (10 per store). The
    // metric is the process's peak resident memory, and RocksDB's own accounting.
    let memoryConfiguration = Benchmark.Configuration(
        metrics: [.peakMemoryResident, .custom("RocksDB memory (bytes)", polarity: .prefersSmaller, useScalingFactor: false)],
        warmupIterations: 0,
        maxDuration: .seconds(60),
        maxIterations: 300
    )
    for shared in [true, false] {
        let tasks = Prepared { try ManyTaskStores(shared: shared) }
        Benchmark(
            "ManyTaskStores/\(shared ? "shared" : "perStore")", configuration: memoryConfiguration,
            closure: { benchmark in
                let tasks = try tasks.value()
                try tasks.write(1_000)
                benchmark.measurement(.custom("RocksDB memory (bytes)"), tasks.rocksDBMemory)
            }, setup: { _ = try tasks.value() })
    }
}

/// A value made on first use (in a benchmark's setup hook), so that registering every
/// benchmark does not build every harness.
final class Prepared<Value>: @unchecked Sendable {
    private let make: () throws -> Value
    private var made: Value?

    init(_ make: @escaping () throws -> Value) { self.make = make }

    func value() throws -> Value {
        if let made { return made }
        let value = try make()
        made = value
        return value
    }
}
