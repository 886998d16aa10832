import Foundation
import KafkaStreams
import Logging
import NIOCore

/// Answers store queries for the HTTP endpoint: locally when this instance holds the key,
/// otherwise by forwarding the request to the instance that does (its
/// `application.server`); scans are answered by every instance and merged.
///
/// Never a wrong answer: while the assignment is unknown, the key's owner is moving, or an
/// owner cannot be reached, the answer is ``QueryError/unavailable(_:)`` (503, retry).
struct StoreQueryRouter: Sendable {
    /// The request header that marks a request as forwarded by another instance, so that it
    /// is answered locally or refused, never forwarded again.
    static let forwardedHeader = "X-KStreams-Forwarded"

    let application: StreamsApplication
    let stores: [String: QueryableStore]
    let client: HTTPGetClient
    let logger: Logger

    /// This instance's `application.server`, if set.
    var selfHost: String? { application.config.applicationServer }

    /// What the endpoint answers.
    enum Outcome: Sendable {
        /// Answered here: the store's answer.
        case local(StoreAnswer)
        /// Answered by another instance: its status and body, passed on as they are.
        case remote(status: Int, body: ByteBuffer, host: String)
    }

    func store(_ name: String) throws -> QueryableStore {
        guard let store = stores[name] else {
            throw QueryError.notFound(
                "no queryable store named \(name); the service exposes \(stores.keys.sorted().joined(separator: ", "))")
        }
        return store
    }

    /// `GET /stores/{store}/keys/{key}` from `target` (the request's path and query).
    func queryKey(store name: String, key: String, query: QueryParameters, target: String, forwarded: Bool) async throws -> Outcome {
        let store = try store(name)
        if application.topology.isGlobalStore(name) {
            return .local(try await store.queryKey(application, key, query))  // every instance holds all of it
        }
        let metadata = try await store.locate(application, key)
        if let me = selfHost {
            guard let owner = metadata.activeHost else {
                throw QueryError.unavailable("the owner of key \(key) (partition \(metadata.partition)) is not known yet")
            }
            if owner != me {
                guard !forwarded else {
                    throw QueryError.unavailable("key \(key) moved to \(owner) while the request was forwarded")
                }
                return try await forward(to: owner, target: target)
            }
        }
        return .local(try await store.queryKey(application, key, query))
    }

    /// A scan (`range`, `windows`): this instance's entries merged with every other
    /// instance's (unless `local`, which a forwarded scan is).
    func scan(store name: String, query: QueryParameters, target: String, local: Bool) async throws -> Outcome {
        let store = try store(name)
        guard let scan = store.scan else {
            throw QueryError.badRequest("store \(name) is a \(store.kind.rawValue) store: query its keys (/stores/\(name)/keys/{key})")
        }
        var remote: [ByteBuffer] = []
        if !local, !application.topology.isGlobalStore(name), let me = selfHost {
            let hosts = await application.streamsClientHosts()
            guard !hosts.isEmpty else { throw QueryError.unavailable("the instances of the application are not known yet") }
            let separator = target.contains("?") ? "&" : "?"
            for host in hosts where host != me {
                switch try await forward(to: host, target: target + separator + "scope=local") {
                case .remote(let status, let body, _) where status == 200: remote.append(body)
                case .remote(let status, let body, let host):
                    throw QueryError.unavailable("\(host) answered \(status): \(String(buffer: body))")
                case .local: break
                }
            }
        }
        return .local(try await scan(application, query, remote))
    }

    func forward(to host: String, target: String) async throws -> Outcome {
        do {
            let response = try await client.get(host: host, target: target, headers: [(Self.forwardedHeader, "1")])
            return .remote(status: Int(response.status.code), body: response.body, host: host)
        } catch {
            logger.debug("forwarding \(target) to \(host) failed: \(error)")
            throw QueryError.unavailable("the instance holding it (\(host)) cannot be reached: \(error)")
        }
    }
}
