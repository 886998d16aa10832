import Foundation
import HTTPTypes
import Hummingbird
import KafkaStreams
import Logging
import NIOCore

/// The service's HTTP routes: health, metrics, topology and interactive queries.
///
/// | Route | Answer |
/// |---|---|
/// | `GET /health/live` | 200 unless the instance is in `ERROR` or stopped |
/// | `GET /health/ready` | 200 in `RUNNING`, 503 otherwise (with the state) |
/// | `GET /metrics` | Prometheus text format |
/// | `GET /topology` | `describe()` as text; `?format=mermaid` as a Mermaid flowchart |
/// | `GET /stores` | the queryable stores and their kinds |
/// | `GET /stores/{store}/keys/{key}` | a key's value (key-value), windows (`?from=&to=` ms) or sessions |
/// | `GET /stores/{store}/range?from=&to=` | key-value entries with keys in `from...to`, of every instance |
/// | `GET /stores/{store}/windows?from=&to=` | every key's windows starting in `from...to`, of every instance |
enum ServiceEndpoints {
    static let json: HTTPFields = [.contentType: "application/json"]
    static let text: HTTPFields = [.contentType: "text/plain; charset=utf-8"]

    static func add(to router: Router<BasicRequestContext>, application: StreamsApplication, queries: StoreQueryRouter) {
        router.get("/health/live") { _, _ -> Response in
            let state = application.state
            let live = state != .error && state != .notRunning && state != .pendingError
            return answer(live ? .ok : .serviceUnavailable, ["state": state.rawValue, "live": live ? "true" : "false"])
        }
        router.get("/health/ready") { _, _ -> Response in
            let state = application.state
            let ready = state == .running
            var response = answer(ready ? .ok : .serviceUnavailable, ["state": state.rawValue, "ready": ready ? "true" : "false"])
            if !ready { response.headers[.retryAfter] = "1" }
            return response
        }
        router.get("/metrics") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: ServiceMetrics.registry.emitToBuffer())))
        }
        router.get("/topology") { request, _ -> Response in
            let description = application.topology.describe()
            switch request.uri.queryParameters["format"].map(String.init) ?? "text" {
            case "text": return Response(status: .ok, headers: text, body: .init(byteBuffer: ByteBuffer(string: "\(description)")))
            case "mermaid": return Response(status: .ok, headers: text, body: .init(byteBuffer: ByteBuffer(string: description.mermaid)))
            case let other: return problem(.badRequest, "format must be text or mermaid, got \"\(other)\"")
            }
        }
        router.get("/stores") { _, _ -> Response in
            let list = queries.stores.values.sorted { $0.name < $1.name }.map { ["name": $0.name, "kind": $0.kind.rawValue] }
            return (try? Response(status: .ok, headers: json, body: .init(byteBuffer: JSONBody.encode(["stores": list]))))
                ?? problem(.internalServerError, "could not encode the store list")
        }
        router.get("/stores/:store/keys/:key") { request, context -> Response in
            await respond(application: application) {
                let store = try context.parameters.require("store")
                let raw = try context.parameters.require("key")
                let key = raw.removingPercentEncoding ?? raw
                return try await queries.queryKey(
                    store: store, key: key, query: parameters(request), target: target(request), forwarded: isForwarded(request))
            }
        }
        for scan in ["range", "windows"] {
            router.get("/stores/:store/\(scan)") { request, context -> Response in
                await respond(application: application) {
                    let store = try context.parameters.require("store")
                    let kind = try queries.store(store).kind
                    guard (scan == "range") == (kind == .keyValue) else {
                        throw QueryError.badRequest("/\(scan) does not apply to \(kind.rawValue) store \(store)")
                    }
                    let local = isForwarded(request) || request.uri.queryParameters["scope"] == "local"
                    return try await queries.scan(store: store, query: parameters(request), target: target(request), local: local)
                }
            }
        }
    }

    /// Runs a query and turns its outcome or error into a response.
    static func respond(application: StreamsApplication, _ body: () async throws -> StoreQueryRouter.Outcome) async -> Response {
        do {
            switch try await body() {
            case .local(.found(let buffer)): return Response(status: .ok, headers: json, body: .init(byteBuffer: buffer))
            case .local(.notFound(let reason)): return problem(.notFound, reason)
            case .remote(let status, let buffer, let host):
                var headers = json
                headers[HTTPField.Name("X-KStreams-Answered-By")!] = host
                if status == 503 { headers[.retryAfter] = "1" }
                return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: buffer))
            }
        } catch let error as QueryError {
            switch error {
            case .badRequest(let reason): return problem(.badRequest, reason)
            case .notFound(let reason): return problem(.notFound, reason)
            case .unavailable(let reason): return problem(.serviceUnavailable, reason + "; retry shortly")
            }
        } catch let error as StreamsError {
            switch error.code {
            case .storeNotAvailable: return problem(.serviceUnavailable, error.message)
            case .serialization: return problem(.badRequest, error.message)
            case .stateStore: return problem(.notFound, error.message)
            default: return problem(.internalServerError, error.message)
            }
        } catch let error as HTTPError {
            return problem(.init(code: Int(error.status.code)), error.body ?? "\(error)")
        } catch {
            return problem(.internalServerError, "\(error)")
        }
    }

    /// A JSON error answer `{"error": reason}`; 503 carries `Retry-After: 1`.
    static func problem(_ status: HTTPResponse.Status, _ reason: String) -> Response {
        var response = answer(status, ["error": reason])
        if status == .serviceUnavailable { response.headers[.retryAfter] = "1" }
        return response
    }

    static func answer(_ status: HTTPResponse.Status, _ fields: [String: String]) -> Response {
        let body = (try? JSONBody.encode(fields)) ?? ByteBuffer(string: "{}")
        return Response(status: status, headers: json, body: .init(byteBuffer: body))
    }

    static func parameters(_ request: Request) -> QueryParameters {
        var values: [String: String] = [:]
        for (name, value) in request.uri.queryParameters { values[String(name)] = String(value) }
        return QueryParameters(values: values)
    }

    static func target(_ request: Request) -> String { request.uri.description }

    static func isForwarded(_ request: Request) -> Bool {
        request.headers[HTTPField.Name(StoreQueryRouter.forwardedHeader)!] != nil
    }
}
