// A plain executable running the StatelessPipeline benchmark's work, for profilers
// (valgrind --tool=callgrind, perf) that do not fit inside the benchmark harness.
//
//     swift build -c release --product PipelineProfile
//     .build/release/PipelineProfile [records] [pipeline|pipeline-noread|handwritten]
//
// Pipes `records` records (default 2,000,000) in batches of 1,000, reading the output
// back between batches as the benchmark does (`pipeline-noread`: never reads it, so the
// output log grows; for attributing cost to reading), and prints records/s (reading
// excluded).

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

var measured: UInt64 = 0
switch mode {
case "handwritten":
    let pipeline = HandwrittenPipeline()
    var done = 0
    while done < records {
        let n = min(batch, records - done)
        let start = nowNanos()
        pipeline.pipe(n)
        measured += nowNanos() - start
        pipeline.drain()
        done += n
    }
default:
    let harness = try StatelessPipeline.Harness()
    let read = mode != "pipeline-noread"
    var done = 0
    while done < records {
        let n = min(batch, records - done)
        let start = nowNanos()
        try harness.pipe(n)
        measured += nowNanos() - start
        if read { try harness.drain() }
        done += n
    }
}
let seconds = Double(measured) / 1e9
print("\(mode): \(records) records in \(seconds) s piping = \(Int(Double(records) / seconds)) records/s")
