// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "CardFraud",
    platforms: [.macOS(.v14)],
    dependencies: [
        // A checkout of swift-kafka-streams next to this package.
        .package(path: "../swift-kafka-streams")
    ],
    targets: [
        .target(
            name: "CardFraud",
            dependencies: [.product(name: "KafkaStreams", package: "swift-kafka-streams")]
        ),
        .testTarget(
            name: "CardFraudTests",
            dependencies: [
                "CardFraud",
                .product(name: "KafkaStreams", package: "swift-kafka-streams"),
                .product(name: "KafkaStreamsTesting", package: "swift-kafka-streams"),
            ]
        ),
        .executableTarget(
            name: "card-fraud",
            dependencies: [
                "CardFraud",
                .product(name: "KafkaStreamsService", package: "swift-kafka-streams"),
                .product(name: "KafkaClient", package: "swift-kafka-streams"),
            ]
        ),
    ]
)
