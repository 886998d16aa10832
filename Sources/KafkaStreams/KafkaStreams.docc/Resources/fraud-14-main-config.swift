import CardFraud
import KafkaStreamsService

// Flags (--num-stream-threads 2), environment variables (NUM_STREAM_THREADS=2) and a
// --config-file override these defaults; bootstrap.servers defaults to "embedded".
let configuration = try await ServiceConfiguration.load(defaults: ["application.id": "card-fraud"])
print("card-fraud: HTTP on \(configuration.httpHost):\(configuration.httpPort)")
