import Hummingbird
import KafkaStreams

/// What a program's own routes get to answer with (``StreamsService``'s `routes`): the
/// application, and store queries answered like `/stores/{store}/keys/{key}`, routed to the
/// instance holding the key.
///
/// ```swift
/// routes: { router, routes in
///     router.get("/cards/:card/risk") { request, context in
///         await routes.respondForKey(store: "card-risk", key: try context.parameters.require("card"), request: request)
///     }
/// }
/// ```
public struct ServiceRoutes: Sendable {
    /// The streams application.
    public let application: StreamsApplication
    let queries: StoreQueryRouter

    /// Answers a key query on `store` as `GET /stores/{store}/keys/{key}` does: JSON, 404
    /// for a missing key, 503 while rebalancing, forwarded to the instance holding the key
    /// (with the same path, so every instance must serve the route).
    public func respondForKey(store: String, key: String, request: Request) async -> Response {
        await ServiceEndpoints.respond(application: application) {
            try await queries.queryKey(
                store: store, key: key, query: ServiceEndpoints.parameters(request), target: ServiceEndpoints.target(request),
                forwarded: ServiceEndpoints.isForwarded(request))
        }
    }
}
