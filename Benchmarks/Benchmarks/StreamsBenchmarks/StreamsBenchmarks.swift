// Throughput and allocation benchmarks of the stream-processing hot path.
//
//     cd Benchmarks && swift package --disable-sandbox benchmark
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
}
