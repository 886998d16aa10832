// swift-tools-version: 6.1
import PackageDescription

// Benchmarks for swift-kafka-streams, kept as their own package so the library does not
// depend on package-benchmark. Run from this directory:
//
//     swift package --disable-sandbox benchmark
//
// See ../docs/performance.md for what is measured and the latest figures.
let package = Package(
    name: "swift-kafka-streams-benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "swift-kafka-streams", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        // The raw RocksDB C API, to compare the library's store with in the same run.
        .systemLibrary(name: "CRocksDBRaw", path: "Sources/CRocksDBRaw", pkgConfig: "rocksdb"),
        // The measured pipeline and its hand-written floor, shared by the benchmark and
        // the profiling executable.
        .target(
            name: "PipelineFixture",
            dependencies: [
                .product(name: "KafkaStreams", package: "swift-kafka-streams"),
                .product(name: "KafkaStreamsTesting", package: "swift-kafka-streams"),
                .product(name: "NIOCore", package: "swift-nio"),
                "CRocksDBRaw",
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        // Runs the same work outside the benchmark harness, for callgrind / perf.
        .executableTarget(
            name: "PipelineProfile",
            dependencies: ["PipelineFixture"],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .executableTarget(
            name: "StreamsBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                "PipelineFixture",
            ],
            path: "Benchmarks/StreamsBenchmarks",
            swiftSettings: [.swiftLanguageMode(.v6)],
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    ]
)
