import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// A minimal HTTP/1.1 client for GET requests on SwiftNIO: what the service needs to
/// route a query to the instance holding the key. One connection per request.
package struct HTTPGetClient: Sendable {
    /// An answer: status, headers and body.
    package struct Response: Sendable {
        package var status: HTTPResponseStatus
        package var headers: HTTPHeaders
        package var body: ByteBuffer

        /// The body as text.
        package var text: String { String(buffer: body) }
    }

    /// Why a request failed before an answer arrived.
    package struct Failure: Error, CustomStringConvertible, Sendable {
        package var description: String
    }

    let group: any EventLoopGroup
    let timeout: TimeAmount

    /// Creates a client on `group` (NIO's shared one by default).
    package init(group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton, timeout: TimeAmount = .seconds(10)) {
        self.group = group
        self.timeout = timeout
    }

    /// GETs `target` (path and query) from `host` (`host:port`).
    package func get(host: String, target: String, headers extra: [(String, String)] = []) async throws -> Response {
        guard let colon = host.lastIndex(of: ":"), let port = Int(host[host.index(after: colon)...]) else {
            throw Failure(description: "\(host) is not host:port")
        }
        let hostname = String(host[..<colon])
        let promise = group.next().makePromise(of: Response.self)
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(timeout)
            .channelInitializer { channel in
                channel.pipeline.addHTTPClientHandlers().flatMap {
                    channel.pipeline.addHandler(ResponseCollector(promise: promise))
                }
            }
        let channel: any Channel
        do { channel = try await bootstrap.connect(host: hostname, port: port).get() } catch {
            let failure = Failure(description: "could not connect to \(host): \(error)")
            promise.fail(failure)
            throw failure
        }
        var headers = HTTPHeaders([("Host", host), ("Connection", "close")])
        headers.add(contentsOf: extra)
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: target, headers: headers)
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        let deadline = channel.eventLoop.scheduleTask(in: timeout) {
            promise.fail(Failure(description: "\(host) did not answer within \(timeout)"))
            channel.close(promise: nil)
        }
        defer { deadline.cancel() }
        do {
            let response = try await promise.futureResult.get()
            channel.close(promise: nil)
            return response
        } catch {
            channel.close(promise: nil)
            throw error
        }
    }
}

/// Collects one response and completes the promise (or fails it if the connection closes first).
private final class ResponseCollector: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPClientResponsePart

    let promise: EventLoopPromise<HTTPGetClient.Response>
    var head: HTTPResponseHead?
    var body = ByteBuffer()

    init(promise: EventLoopPromise<HTTPGetClient.Response>) { self.promise = promise }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): self.head = head
        case .body(var part): body.writeBuffer(&part)
        case .end:
            guard let head else { return }
            promise.succeed(.init(status: head.status, headers: head.headers, body: body))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        promise.fail(HTTPGetClient.Failure(description: "the connection closed before a whole answer"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        promise.fail(error)
        context.close(promise: nil)
    }
}
