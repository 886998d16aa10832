// The service module brings what a program using it needs: the library, services and
// graceful shutdown (swift-service-lifecycle), and routes (Hummingbird) for its own
// endpoints.
@_exported import Hummingbird
@_exported import KafkaStreams
@_exported import ServiceLifecycle
