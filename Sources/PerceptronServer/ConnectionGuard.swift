import Hummingbird
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// One connection's keeper, in its pipeline after the HTTP decoder (request parts in, answer parts
/// out): it times the connection, answers what never reaches a route, and closes the connection
/// when it should.
///
/// - **Timeouts** (`ServerLimits`): a request's line and headers must come within the header
///   timeout of its first byte (of the accept, for the first request), its body within the body
///   timeout of its head, the next request within the idle timeout of the last answer. An idle
///   connection past its time is closed; a half-read head is answered 408 and closed; a late body
///   is thrown to the route reading it as `BodyTimeout` (which answers 408).
/// - **Refusals**: a head the decoder refuses (too large, not HTTP, a bad `Content-Length`, an
///   unknown method) is answered with `APIError.refusing`, a connection over the cap with 503;
///   each is logged once. An error inside a body goes on to the route, which is reading it.
/// - **Closing**: an answer saying `Connection: close` closes the connection after it. Closing
///   shuts the output first and keeps reading (and dropping) for `ServerLimits.lingerSeconds`, so
///   that a client still sending its body reads the answer instead of a reset.
/// - **The cap**: it tells the `ConnectionRegistry` when the connection is idle, and closes it
///   when the registry needs its place.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// What a route reading a body sees when the body did not come within the body timeout.
    struct BodyTimeout: Error, CustomStringConvertible {
        let seconds: Double
        var description: String { "the body did not come within \(APIError.secondsText(seconds))" }
    }

    /// Where the connection's current request is.
    enum RequestState: Equatable {
        /// No byte of a next request yet.
        case none
        /// Bytes of a head, not all of it.
        case head
        /// The head is read; the body is not complete.
        case body
    }

    /// The timer running, one at a time.
    enum Timer: Equatable {
        case header, body, idle, writeStall, linger
    }

    let limits: ServerLimits
    let logger: Logger
    /// The registry of the server's connections and this one's id there; nil for none.
    var registry: (registry: ConnectionRegistry, id: Int)?
    /// Set for a connection over the cap: the answer it gets instead of being served.
    var refusal: APIError?

    private var context: ChannelHandlerContext?
    private(set) var request = RequestState.none
    /// The length of the request line of the request now coming, so far, and whether it is still
    /// open (no line feed read yet): a head that overflows while it is open, or after it turned
    /// out longer than a line may be, has a URL too long.
    private var requestLineLength = 0
    private var requestLineOpen = true
    private var firstRequest = true
    /// Requests whose answer has not been written to its end.
    private(set) var unanswered = 0
    private var answerStarted = false
    private var bodyBytes = 0
    private var closeAfterAnswer = false
    private(set) var closing = false
    private var writable = true
    private(set) var timer: Timer?
    private var scheduled: Scheduled<Void>?
    private var toldIdle: Bool?
    private var started = false

    init(limits: ServerLimits, logger: Logger) {
        self.limits = limits
        self.logger = logger
    }

    /// A closure that closes this connection on its event loop if it is still idle then (the
    /// registry's eviction).
    func evictor(on eventLoop: any EventLoop) -> @Sendable () -> Void {
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        return {
            eventLoop.execute {
                let connection = bound.value
                connection.registry = nil  // it has left the registry already
                if connection.isIdle { connection.close() }
            }
        }
    }

    /// Idle: nothing of a request being read past its head, nothing being answered.
    var isIdle: Bool { !closing && unanswered == 0 && request != .body }

    // MARK: Lifecycle

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { start() }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelTimer()
        self.context = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        start()
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelTimer()
        if let registry { registry.registry.remove(registry.id) }
        registry = nil
        context.fireChannelInactive()
    }

    private func start() {
        guard !started else { return }
        started = true
        if let refusal {
            refuse(refusal)
        } else {
            update()
        }
    }

    // MARK: Reading

    /// Bytes arrived, before the decoder reads them (from `RequestBytesTap`); false: drop them
    /// (the connection is closing).
    func bytesArrived(_ buffer: ByteBuffer) -> Bool {
        if closing { return false }
        if request == .none { request = .head }
        if requestLineOpen {
            buffer.withUnsafeReadableBytes { bytes in
                var start = 0
                if requestLineLength == 0 {  // empty lines before a request line are allowed
                    while start < bytes.count, bytes[start] == 13 || bytes[start] == 10 { start += 1 }
                }
                if let newline = bytes[start...].firstIndex(of: 10) {
                    requestLineOpen = false
                    requestLineLength += newline - start
                } else {
                    requestLineLength += bytes.count - start
                }
            }
        }
        update()
        return true
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if closing { return }
        switch unwrapInboundIn(data) {
        case .head:
            request = .body
            firstRequest = false
            unanswered += 1
            answerStarted = false
            bodyBytes = 0
        case .body(let bytes):
            bodyBytes += bytes.readableBytes
            // A body no route reads (its answer is written) is not read past the limit.
            if unanswered == 0, bodyBytes > DigitServer.maximumBodySize {
                close()
                return
            }
        case .end:
            request = .none
            requestLineOpen = true
            requestLineLength = 0
        }
        update()
        context.fireChannelRead(data)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard error is HTTPParserError || error is HTTP1TypeConversionError else {
            context.fireErrorCaught(error)
            return
        }
        if closing { return }
        if request == .body {
            // Inside a body: the route reading it answers (an early end is the client's abort).
            closeAfterAnswer = true
            if unanswered == 0 { close() } else { context.fireErrorCaught(error) }
            return
        }
        if unanswered > 0 {
            // A broken head behind a request still being answered: close after that answer.
            closeAfterAnswer = true
            return
        }
        let inRequestLine = requestLineOpen || requestLineLength > ServerLimits.maximumLineSize
        guard let answer = APIError.refusing(error, inRequestLine: inRequestLine) else {
            close()  // the client closed the connection in the middle of a head
            return
        }
        refuse(answer)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case is ChannelShouldQuiesceEvent:
            // The server is stopping: close now if idle, else after the answer.
            if isIdle { close() } else { closeAfterAnswer = true }
        case let event as ChannelEvent where event == .inputClosed:
            // The client has sent all it will: answer what it asked, then close.
            if closing || isIdle { close() } else { closeAfterAnswer = true }
            context.fireUserInboundEventTriggered(event)
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        writable = context.channel.isWritable
        update()
        context.fireChannelWritabilityChanged()
    }

    // MARK: Writing

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var head):
            answerStarted = true
            if closeAfterAnswer || head.headerFields[.connection]?.lowercased() == "close" {
                closeAfterAnswer = true
                head.headerFields[.connection] = "close"
            }
            context.write(wrapOutboundOut(.head(head)), promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            unanswered = max(0, unanswered - 1)
            context.writeAndFlush(data, promise: promise)
            if closeAfterAnswer, unanswered == 0 { beginClosing() } else { update() }
        }
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        // The server's side finished writing (a request that said `Connection: close`): linger.
        if mode == .output, !closing {
            closing = true
            update()
        }
        context.close(mode: mode, promise: promise)
    }

    // MARK: Answers and closing

    /// Answers `answer` itself (nothing of this request reached a route) and closes; logs it once.
    private func refuse(_ answer: APIError) {
        guard let context else { return }
        let peer = context.channel.remoteAddress.map { "\($0.ipAddress ?? "?"):\($0.port ?? 0)" } ?? "?"
        logger.info("connection \(peer) \(answer.status.code): \(answer.message)")
        var head = answer.closing.head
        let body = answer.body
        head.headerFields[.contentLength] = String(body.readableBytes)
        request = .none
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        beginClosing()
    }

    /// Shuts the output once what is written has gone, and drops what comes in until the client
    /// closes or the linger time is over.
    private func beginClosing() {
        guard let context, !closing else { return }
        closing = true
        closeAfterAnswer = false
        context.close(mode: .output, promise: nil)
        update()
    }

    /// Closes the connection now.
    func close() {
        guard let context else { return }
        cancelTimer()
        closing = true
        context.close(promise: nil)
    }

    // MARK: Timers

    /// The timer this state wants.
    var wantedTimer: Timer? {
        if closing { return .linger }
        switch request {
        case .head: return .header
        case .body: return .body
        case .none:
            if unanswered > 0 { return writable ? nil : .writeStall }
            return firstRequest ? .header : .idle
        }
    }

    /// Starts the timer the state wants (each timer runs from the moment it is wanted) and tells
    /// the registry whether the connection is idle.
    private func update() {
        let wanted = wantedTimer
        if wanted != timer {
            cancelTimer()
            timer = wanted
            if let wanted, let context {
                let seconds = duration(of: wanted)
                scheduled = context.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(Int64(seconds * 1e9))) {
                    self.expired(wanted)
                }
            }
        }
        let idle = isIdle
        if let registry, toldIdle != idle {
            toldIdle = idle
            registry.registry.setIdle(registry.id, idle)
        }
    }

    private func duration(of timer: Timer) -> Double {
        switch timer {
        case .header: limits.headerTimeout
        case .body: limits.bodyTimeout
        case .idle, .writeStall: limits.idleTimeout
        case .linger: ServerLimits.lingerSeconds
        }
    }

    private func cancelTimer() {
        scheduled?.cancel()
        scheduled = nil
        timer = nil
    }

    private func expired(_ expired: Timer) {
        scheduled = nil
        timer = nil
        switch expired {
        case .header where request == .head && unanswered == 0:
            refuse(.headTimeout(limits.headerTimeout))
        case .body where unanswered > 0 && !answerStarted:
            // The route is reading the body: it answers 408, and the connection closes after.
            closeAfterAnswer = true
            request = .none
            update()
            context?.fireErrorCaught(BodyTimeout(seconds: limits.bodyTimeout))
        default:
            close()
        }
    }
}
