// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "swift-kafka-streams",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "KafkaStreams", targets: ["KafkaStreams"]),
        .library(name: "KafkaStreamsTesting", targets: ["KafkaStreamsTesting"]),
        .library(name: "KafkaStreamsEmbedded", targets: ["KafkaStreamsEmbedded"]),
        .library(name: "KafkaProtocol", targets: ["KafkaProtocol"]),
        .library(name: "KafkaClient", targets: ["KafkaClient"]),
        .executable(name: "word-count", targets: ["WordCountApp"]),
        .executable(name: "kstreams", targets: ["kstreams"]),
        .library(name: "KafkaStreamsService", targets: ["KafkaStreamsService"]),
        .executable(name: "fraud-detection", targets: ["FraudDetectionService"]),
        .executable(name: "clickstream", targets: ["ClickstreamService"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(
            url: "https://github.com/apple/swift-configuration.git", from: "1.4.0",
            traits: [.defaults, "YAML", "CommandLineArguments"]),
    ],
    targets: [
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CZstd", path: "Sources/CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CLZ4", path: "Sources/CLZ4", pkgConfig: "liblz4", providers: [.apt(["liblz4-dev"])]),
        .systemLibrary(name: "CSnappy", path: "Sources/CSnappy", pkgConfig: "snappy", providers: [.apt(["libsnappy-dev"])]),
        .systemLibrary(name: "CRocksDB", path: "Sources/CRocksDB", pkgConfig: "rocksdb", providers: [.apt(["librocksdb-dev"])]),
        .target(
            name: "KafkaProtocol",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                "CZlib", "CZstd", "CLZ4", "CSnappy",
            ],
            exclude: ["Definitions"]
        ),
        .target(
            name: "KafkaSecurity",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")]
        ),
        .testTarget(
            name: "KafkaSecurityTests",
            dependencies: ["KafkaSecurity"]
        ),
        .target(
            name: "KafkaClient",
            dependencies: [
                "KafkaProtocol",
                "KafkaSecurity",
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "KafkaClientTests",
            dependencies: ["KafkaClient", "KafkaProtocol", .product(name: "NIOCore", package: "swift-nio")]
        ),
        .executableTarget(
            name: "kafka-producer-bench",
            dependencies: ["KafkaClient", "KafkaProtocol", .product(name: "NIOCore", package: "swift-nio")],
            path: "Sources/ProducerBench"
        ),
        .executableTarget(
            name: "kafka-consumer-bench",
            dependencies: ["KafkaClient", "KafkaProtocol", .product(name: "NIOCore", package: "swift-nio")],
            path: "Sources/ConsumerBench"
        ),
        .executableTarget(
            name: "streams-bench",
            dependencies: ["KafkaStreams", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Sources/StreamsBench"
        ),
        .executableTarget(
            name: "ProtocolFuzzer",
            dependencies: ["KafkaProtocol", "KafkaBroker", .product(name: "NIOCore", package: "swift-nio")]
        ),
        .testTarget(
            name: "KafkaProtocolTests",
            dependencies: ["KafkaProtocol", .product(name: "NIOCore", package: "swift-nio")]
        ),
        .target(
            name: "KafkaStreams",
            dependencies: [
                "CRocksDB",
                "KafkaClient",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "KafkaStreamsEmbedded",
            dependencies: ["KafkaStreams", "KafkaBroker", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "KafkaTestSupport",
            dependencies: ["KafkaBroker", "KafkaClient", .product(name: "NIOCore", package: "swift-nio")],
            path: "Tests/KafkaTestSupport"
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "KafkaTestSupport",
                "KafkaStreams", "KafkaStreamsEmbedded", "KafkaBroker", "KafkaClient", "KafkaProtocol", "WordCount",
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .target(
            name: "KafkaStreamsTesting",
            dependencies: ["KafkaStreams", .product(name: "NIOCore", package: "swift-nio")]
        ),
        .target(
            name: "WordCount",
            dependencies: ["KafkaStreams"],
            path: "Examples/WordCount/Sources/WordCount"
        ),
        .executableTarget(
            name: "WordCountApp",
            dependencies: [
                "WordCount", "KafkaStreams", "KafkaStreamsTesting", "KafkaStreamsEmbedded", "KafkaClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Examples/WordCount/Sources/WordCountApp"
        ),
        .testTarget(
            name: "KafkaStreamsTests",
            dependencies: [
                "KafkaStreams", "KafkaStreamsTesting",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "KafkaStreamsTestingTests",
            dependencies: ["KafkaStreams", "KafkaStreamsTesting"]
        ),
        .testTarget(
            name: "WordCountTests",
            dependencies: ["WordCount", "KafkaStreams", "KafkaStreamsTesting"],
            path: "Examples/WordCount/Tests/WordCountTests"
        ),
        .target(
            name: "ExampleSupport",
            dependencies: [
                "KafkaClient",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            path: "Examples/Shared/Sources/ExampleSupport"
        ),
        .target(
            name: "FraudDetection",
            dependencies: ["KafkaStreams", "ExampleSupport"],
            path: "Examples/FraudDetection/Sources/FraudDetection"
        ),
        .testTarget(
            name: "FraudDetectionTests",
            dependencies: ["FraudDetection", "KafkaStreams", "KafkaStreamsTesting"],
            path: "Examples/FraudDetection/Tests/FraudDetectionTests"
        ),
        .target(
            name: "Clickstream",
            dependencies: ["KafkaStreams", "ExampleSupport"],
            path: "Examples/Clickstream/Sources/Clickstream"
        ),
        .testTarget(
            name: "ClickstreamTests",
            dependencies: ["Clickstream", "KafkaStreams", "KafkaStreamsTesting"],
            path: "Examples/Clickstream/Tests/ClickstreamTests"
        ),
        .target(
            name: "KafkaBroker",
            dependencies: [
                "KafkaProtocol",
                "KafkaSecurity",
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "kafka-broker",
            dependencies: [
                "KafkaBroker",
                "KafkaSecurity",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "kstreams",
            dependencies: [
                "KafkaClient", "KafkaStreams", "KafkaStreamsEmbedded", "WordCount", "FraudDetection", "Clickstream",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "KStreamsToolTests",
            dependencies: [
                "KafkaTestSupport", "KafkaBroker", "KafkaClient", "KafkaStreams", "KafkaStreamsEmbedded", "WordCount",
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .target(
            name: "KafkaStreamsService",
            dependencies: [
                "KafkaStreams", "KafkaStreamsEmbedded", "KafkaClient",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        .testTarget(
            name: "KafkaStreamsServiceTests",
            dependencies: [
                "KafkaTestSupport", "KafkaStreamsService", "KafkaStreams", "KafkaStreamsEmbedded", "KafkaBroker",
                "KafkaClient", "WordCount", "FraudDetection", "Clickstream",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "FraudDetectionService",
            dependencies: [
                "FraudDetection", "KafkaStreamsService", "KafkaStreams", "KafkaClient",
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Examples/FraudDetection/Sources/FraudDetectionService"
        ),
        .executableTarget(
            name: "ClickstreamService",
            dependencies: [
                "Clickstream", "KafkaStreamsService", "KafkaStreams", "KafkaClient",
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Examples/Clickstream/Sources/ClickstreamService"
        ),
        .testTarget(
            name: "KafkaBrokerTests",
            dependencies: [
                "KafkaTestSupport", "KafkaBroker", "KafkaClient", "KafkaProtocol", "KafkaSecurity",
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
