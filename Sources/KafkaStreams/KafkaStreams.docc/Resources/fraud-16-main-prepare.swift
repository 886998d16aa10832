import CardFraud
import Foundation
import KafkaClient
import KafkaStreamsService

// Flags (--num-stream-threads 2), environment variables (NUM_STREAM_THREADS=2) and a
// --config-file override these defaults; bootstrap.servers defaults to "embedded".
let configuration = try await ServiceConfiguration.load(defaults: ["application.id": "card-fraud"])
print("card-fraud: HTTP on \(configuration.httpHost):\(configuration.httpPort)")

/// Creates the topics (source topics must exist before the application starts).
func createTopics(servers: String) async throws {
    let admin = KafkaAdmin(cluster: KafkaCluster(config: try ClientConfig(bootstrapServers: servers)))
    _ = try await admin.createTopics(
        [
            NewTopic(FraudTopology.paymentsTopic, partitions: 4, replicationFactor: -1),
            NewTopic(FraudTopology.alertsTopic, partitions: 4, replicationFactor: -1),
        ],
        ifNotExists: true)
    await admin.close()
}

/// Sends seven payments of card-0000, two seconds apart: enough for one alert.
func sendSamplePayments(servers: String) async throws {
    let producer = try KafkaProducer(config: ProducerConfig(client: try ClientConfig(bootstrapServers: servers)))
    let start = Int64(Date().timeIntervalSince1970 * 1000)
    for number in 0..<7 {
        let payment = Payment(
            id: "sample-\(start)-\(number)", cardID: "card-0000", merchantID: "m-\(number)", amount: 25,
            location: Location(lat: 48.8566, lon: 2.3522), timestamp: start + Int64(number) * 2_000)
        try await producer.sendAndForget(
            topic: FraudTopology.paymentsTopic, key: Array(payment.cardID.utf8),
            value: Array(try JSONEncoder().encode(payment)), timestamp: payment.timestamp)
    }
    try await producer.flush()
    await producer.close()
}

let service = StreamsService(
    topology: try FraudTopology().build(),
    configuration: configuration,
    stores: [
        .keyValue(FraudTopology.cardRiskStore, key: .string, value: CardRisk.self),
        .window(FraudTopology.velocityStore, key: .string, value: VelocityWindow.self, windowSize: .minutes(1)),
    ],
    routes: { router, routes in
        // The same answer as /stores/card-risk/keys/{card}, under a path of our own.
        router.get("/cards/:card/risk") { request, context -> Response in
            await routes.respondForKey(
                store: FraudTopology.cardRiskStore, key: try context.parameters.require("card"), request: request)
        }
    },
    prepare: { app in
        // With bootstrap.servers = "embedded" this starts the in-process broker and returns
        // its address; with a cluster, it returns the cluster's servers.
        let servers = try await app.startEmbeddedBroker()
        try await createTopics(servers: servers)
        try await sendSamplePayments(servers: servers)
    })

// Runs until SIGTERM or SIGINT, then stops the HTTP endpoint and closes the application.
try await service.run()
