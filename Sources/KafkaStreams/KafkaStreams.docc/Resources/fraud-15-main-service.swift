import CardFraud
import KafkaStreamsService

// Flags (--num-stream-threads 2), environment variables (NUM_STREAM_THREADS=2) and a
// --config-file override these defaults; bootstrap.servers defaults to "embedded".
let configuration = try await ServiceConfiguration.load(defaults: ["application.id": "card-fraud"])
print("card-fraud: HTTP on \(configuration.httpHost):\(configuration.httpPort)")

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
    })

// Runs until SIGTERM or SIGINT, then stops the HTTP endpoint and closes the application.
try await service.run()
