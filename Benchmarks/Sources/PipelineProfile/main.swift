// A plain executable running the benchmarks' work, for profilers (valgrind
// --tool=callgrind, perf) that do not fit inside the benchmark harness, and for the peer
// comparison (compare-peers.sh).
//
//     swift build -c release --product PipelineProfile
//     .build/release/PipelineProfile [records] [mode]
//
// Modes:
//   pipeline          the StatelessPipeline topology (default)
//   handwritten       the stateless work without the library (the floor)
//   count             groupByKey().count() with the default caching store (CountPerKey)
//   count-nocache     the same with caching disabled (CountPerKey+cachingDisabled)
//   windowed          tumbling 1-minute windowed count (WindowedCount)
//   stream-join       stream-stream inner join, 5-minute windows, 10,000 keys (StreamStreamJoin)
//   table-join        stream-table join against a 100,000-row table (StreamTableJoin)
// Every library mode also exists with a `-noread` suffix (`pipeline-noread`, ...): the
// output is never read, so the output log grows; for attributing cost to reading.
//
// Pipes `records` records (default 2,000,000) in batches of 1,000, reading the output
// back between batches as the benchmarks do, and prints records/s (reading excluded).
// The stateful modes first pre-fill their store (one full cycle over the keys, or one
// window, every output checked), outside the timed section, as the benchmarks' setup does.

import PipelineFixture

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

func nowNanos() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

let arguments = CommandLine.arguments
let records = arguments.count > 1 ? Int(arguments[1]) ?? 2_000_000 : 2_000_000
let mode = arguments.count > 2 ? arguments[2] : "pipeline"
let batch = 1_000
let read = !mode.hasSuffix("-noread")
let workload = read ? mode : String(mode.dropLast("-noread".count))

/// Times `pipe` over `records` records in batches, calling `drain` between batches
/// (untimed) when reading; returns the timed nanoseconds.
func run(pipe: (Int) throws -> Void, drain: () throws -> Void) rethrows -> UInt64 {
    var measured: UInt64 = 0
    var done = 0
    while done < records {
        let n = min(batch, records - done)
        let start = nowNanos()
        try pipe(n)
        measured += nowNanos() - start
        if read { try drain() }
        done += n
    }
    return measured
}

let measured: UInt64
switch workload {
case "handwritten":
    let pipeline = HandwrittenPipeline()
    measured = run(pipe: { pipeline.pipe($0) }, drain: { pipeline.drain() })
case "pipeline":
    let harness = try StatelessPipeline.Harness()
    measured = try run(pipe: { try harness.pipe($0) }, drain: { try harness.drain() })
case "count", "count-nocache":
    let harness = try CountPerKey.Harness(caching: workload == "count")
    try harness.prefill()
    measured = try run(pipe: { try harness.pipe($0) }, drain: { try harness.drain() })
case "windowed":
    let harness = try WindowedCount.Harness()
    try harness.prefill()
    measured = try run(pipe: { try harness.pipe($0) }, drain: { try harness.drain() })
case "stream-join":
    let harness = try StreamStreamJoin.Harness()
    try harness.prefill()
    measured = try run(pipe: { try harness.pipe($0) }, drain: { try harness.drain() })
case "table-join":
    let harness = try StreamTableJoin.Harness()
    try harness.prefill()
    measured = try run(pipe: { try harness.pipe($0) }, drain: { try harness.drain() })
default:
    print(
        "unknown mode \(mode): pipeline, handwritten, count, count-nocache, windowed, stream-join, table-join "
            + "(library modes also with -noread)")
    exit(2)
}
let seconds = Double(measured) / 1e9
print("\(mode): \(records) records in \(seconds) s piping = \(Int(Double(records) / seconds)) records/s")
