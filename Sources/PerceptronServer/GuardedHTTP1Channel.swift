import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// The server's HTTP/1.1 connections: Hummingbird's `HTTP1Channel`, with the `ConnectionGuard` in
/// place of its idle handler, the decoder's limits of `ServerLimits`, and the cap of a
/// `ConnectionRegistry`.
///
/// ```
/// bytes ─▶ RequestBytesTap ─▶ HTTP/1 decoder/encoder ─▶ HTTP types ─▶ ConnectionGuard ─▶ Hummingbird's responder
/// ```
struct GuardedHTTP1Channel: ServerChildChannel, HTTPChannelHandler {
    typealias Value = NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>

    let responder: HTTPChannelHandler.Responder
    let limits: ServerLimits
    let registry: ConnectionRegistry
    let logger: Logger

    func setup(channel: any Channel, logger _: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let connection = ConnectionGuard(limits: limits, logger: logger)
            let (id, admission) = registry.admit(evict: connection.evictor(on: channel.eventLoop))
            switch admission {
            case .admitted: connection.registry = (registry, id)
            case .refused(let open): connection.refusal = .tooManyConnections(open)
            }
            try Self.configure(channel.pipeline.syncOperations, connection)
            return try NIOAsyncChannel(wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
        }
    }

    /// Adds the handlers of a connection kept by `connection` to `pipeline`: bytes in, HTTP
    /// request parts out (answer parts in the other direction).
    static func configure(_ pipeline: ChannelPipeline.SynchronousOperations, _ connection: ConnectionGuard) throws {
        var decoderLimits = NIOHTTPDecoderLimitConfiguration()
        decoderLimits.maxHeaderFieldSize = ServerLimits.maximumLineSize
        decoderLimits.maxHeaderListSize = ServerLimits.maximumHeadSize
        decoderLimits.maxHeaderFieldCount = ServerLimits.maximumHeaderCount
        try pipeline.addHandler(RequestBytesTap(connection))
        try pipeline.configureHTTPServerPipeline(
            withPipeliningAssistance: false,  // Hummingbird reads one request after another
            withErrorHandling: false,  // the ConnectionGuard answers errors
            withOutboundHeaderValidation: false,  // HTTP types validate the answers' fields
            withEncoderConfiguration: .init(),
            withDecoderLimitConfiguration: decoderLimits
        )
        try pipeline.addHandler(HTTP1ToHTTPServerCodec(secure: false))
        try pipeline.addHandler(connection)
    }

    func handle(value: Value, logger: Logger) async {
        await handleHTTP(asyncChannel: value, logger: logger)
    }
}
