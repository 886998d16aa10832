import KafkaProtocol
import NIOCore

extension BrokerConnection {
    /// Writes a request at once and returns a future for its response.
    ///
    /// Unlike ``send(_:version:)``, the request is handed to the channel before this
    /// returns, so requests written one after another (from one actor, say) reach the
    /// broker in that order: what the producer needs to keep a partition's batches in
    /// sequence with several requests in flight. The future fails with a
    /// ``KafkaClientError`` like ``send(_:version:)`` throws.
    func write<R: KafkaRequest>(_ request: R, version: Int16) -> EventLoopFuture<R.Response> {
        let promise = channel.eventLoop.makePromise(of: R.Response.self)
        let clientID = config.clientID
        let outgoing = OutgoingRequest(
            api: "\(R.self)",
            encode: { correlationID, buffer in
                try RequestHeader(
                    requestApiKey: R.apiKey, requestApiVersion: version, correlationId: correlationID, clientId: clientID
                )
                .encode(into: &buffer, version: R.requestHeaderVersion(apiVersion: version))
                try request.encode(into: &buffer, version: version)
            },
            responseHeaderVersion: R.responseHeaderVersion(apiVersion: version),
            onResponse: { buffer in promise.succeed(try R.Response(from: &buffer, version: version)) },
            onFailure: { promise.fail($0) },
            timeout: .nanoseconds(config.requestTimeout.timeAmount.nanoseconds))
        channel.writeAndFlush(outgoing, promise: failing(promise))
        return promise.futureResult
    }

    /// Writes a request that gets no response (Produce with acks=0) at once; the future
    /// completes when the bytes are written.
    func writeWithoutResponse<R: KafkaRequest>(_ request: R, version: Int16) -> EventLoopFuture<Void> {
        let promise = channel.eventLoop.makePromise(of: Void.self)
        let clientID = config.clientID
        let outgoing = OutgoingRequest(
            api: "\(R.self)",
            encode: { correlationID, buffer in
                try RequestHeader(
                    requestApiKey: R.apiKey, requestApiVersion: version, correlationId: correlationID, clientId: clientID
                )
                .encode(into: &buffer, version: R.requestHeaderVersion(apiVersion: version))
                try request.encode(into: &buffer, version: version)
            },
            responseHeaderVersion: nil,
            onResponse: { _ in promise.succeed(()) },
            onFailure: { promise.fail($0) },
            timeout: .seconds(0))
        channel.writeAndFlush(outgoing, promise: failing(promise))
        return promise.futureResult
    }

    /// A write promise that fails `promise` when the write fails. A request written to a
    /// channel that has already closed never reaches the client handler (which would fail
    /// it), so without this its response would never come.
    private func failing<T>(_ promise: EventLoopPromise<T>) -> EventLoopPromise<Void> {
        let written = channel.eventLoop.makePromise(of: Void.self)
        let broker = address.description
        written.futureResult.whenFailure { error in
            promise.fail(
                error is KafkaClientError
                    ? error : KafkaClientError(.connection, "cannot write: \(error)", broker: broker, cause: error))
        }
        return written
    }
}
