import KafkaProtocol
import NIOCore

/// A request on its way out: how to write it once it has a correlation id, and what to
/// do with its response.
struct OutgoingRequest {
    /// The API's name, for errors.
    let api: String
    /// Writes header and body (without the size prefix) for the given correlation id.
    let encode: (_ correlationID: Int32, _ buffer: inout ByteBuffer) throws -> Void
    /// The response header version, or `nil` when no response is expected (acks=0).
    let responseHeaderVersion: Int16?
    /// Decodes the response body and completes the caller; throwing marks the response
    /// malformed, which closes the connection.
    let onResponse: (inout ByteBuffer) throws -> Void
    /// Fails the caller.
    let onFailure: (any Error) -> Void
    /// How long to wait for the response.
    let timeout: TimeAmount
}

/// Matches pipelined requests with their responses by correlation id, and fails what is
/// in flight when the connection breaks or a request times out.
///
/// All state lives on the channel's event loop.
final class KafkaClientHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = OutgoingRequest
    typealias OutboundOut = ByteBuffer

    struct Pending {
        let request: OutgoingRequest
        let timeout: Scheduled<Void>?
    }

    let broker: String
    private var nextCorrelationID: Int32 = 1
    private var pending: [Int32: Pending] = [:]
    private var closedError: (any Error)?

    init(broker: String) { self.broker = broker }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        if let closedError {
            request.onFailure(closedError)
            promise?.fail(closedError)
            return
        }
        let correlationID = nextCorrelationID
        nextCorrelationID = nextCorrelationID == Int32.max ? 1 : nextCorrelationID + 1
        var buffer = context.channel.allocator.buffer(capacity: 256)
        buffer.writeInteger(Int32(0))
        do {
            try request.encode(correlationID, &buffer)
        } catch {
            request.onFailure(error)
            promise?.fail(error)
            return
        }
        buffer.setInteger(Int32(buffer.readableBytes - 4), at: buffer.readerIndex)
        if request.responseHeaderVersion != nil {
            let timeout = context.eventLoop.scheduleTask(in: request.timeout) { [weak self, weak context] in
                guard let self, let context else { return }
                self.timedOut(correlationID, context: context)
            }
            pending[correlationID] = Pending(request: request, timeout: timeout)
            context.write(wrapOutboundOut(buffer), promise: promise)
        } else {
            let written = context.eventLoop.makePromise(of: Void.self)
            written.futureResult.whenComplete { result in
                switch result {
                case .success:
                    var empty = ByteBuffer()
                    do { try request.onResponse(&empty) } catch { request.onFailure(error) }
                case .failure(let error): request.onFailure(error)
                }
            }
            written.futureResult.cascade(to: promise)
            context.write(wrapOutboundOut(buffer), promise: written)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var frame = unwrapInboundIn(data)
        guard let correlationID = frame.getInteger(at: frame.readerIndex, as: Int32.self) else {
            fail(context: context, KafkaClientError(.protocolViolation, "response frame of \(frame.readableBytes) bytes has no header", broker: broker))
            return
        }
        guard let entry = pending.removeValue(forKey: correlationID) else {
            fail(context: context, KafkaClientError(.protocolViolation, "response for unknown correlation id \(correlationID)", broker: broker))
            return
        }
        entry.timeout?.cancel()
        do {
            _ = try ResponseHeader(from: &frame, version: entry.request.responseHeaderVersion ?? 0)
            try entry.request.onResponse(&frame)
        } catch {
            let violation = KafkaClientError(
                .protocolViolation, "malformed \(entry.request.api) response: \(error)", broker: broker, cause: error)
            entry.request.onFailure(violation)
            fail(context: context, violation)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(closedError ?? KafkaClientError(.connection, "connection closed", broker: broker))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let wrapped: any Error =
            error is ProtocolError
            ? KafkaClientError(.protocolViolation, "invalid bytes from broker: \(error)", broker: broker, cause: error)
            : KafkaClientError(.connection, "connection failed: \(error)", broker: broker, cause: error)
        fail(context: context, wrapped)
    }

    private func timedOut(_ correlationID: Int32, context: ChannelHandlerContext) {
        guard let entry = pending.removeValue(forKey: correlationID) else { return }
        let error = KafkaClientError(
            .timeout, "\(entry.request.api) request got no response within \(entry.request.timeout.nanoseconds / 1_000_000) ms",
            broker: broker)
        entry.request.onFailure(error)
        // Like Kafka's clients: a timed-out connection is closed, so a late response cannot
        // be mistaken for another request's.
        fail(context: context, error)
    }

    private func fail(context: ChannelHandlerContext, _ error: any Error) {
        if closedError == nil { closedError = error }
        failAll(error)
        context.close(promise: nil)
    }

    private func failAll(_ error: any Error) {
        let all = pending
        pending.removeAll()
        for (_, entry) in all.sorted(by: { $0.key < $1.key }) {
            entry.timeout?.cancel()
            entry.request.onFailure(error)
        }
    }
}
