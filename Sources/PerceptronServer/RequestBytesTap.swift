import NIOCore

/// The first handler of a connection: shows the bytes that arrive to its `ConnectionGuard` before
/// the HTTP decoder reads them (a request's first byte starts its header timeout, and the end of
/// its request line is noted), and drops them while the connection is closing.
final class RequestBytesTap: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    let connection: ConnectionGuard

    init(_ connection: ConnectionGuard) { self.connection = connection }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if connection.bytesArrived(unwrapInboundIn(data)) { context.fireChannelRead(data) }
    }
}
