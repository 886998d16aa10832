import KafkaProtocol
import NIOCore

/// Splits a connection's bytes into request frames: an `int32` size and that many bytes.
/// A negative size or one over the limit closes the connection.
struct BrokerFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer
    let maxFrameSize: Int

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let size = buffer.getInteger(at: buffer.readerIndex, as: Int32.self) else { return .needMoreData }
        guard size >= 0 else { throw ProtocolError(.invalidValue, "frame size \(size) is negative") }
        guard Int(size) <= maxFrameSize else {
            throw ProtocolError(.oversized, "request of \(size) bytes exceeds socket.request.max.bytes \(maxFrameSize)")
        }
        guard buffer.readableBytes >= 4 + Int(size) else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 4)
        guard let frame = buffer.readSlice(length: Int(size)) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(frame))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        try decode(context: context, buffer: &buffer)
    }
}
