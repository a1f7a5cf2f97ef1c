import Foundation
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOEmbedded
import NIOHTTPTypes
@testable import PerceptronServer
import Testing

/// The route side of a test connection: answers each request with 200 `{"ok":true}` once its end
/// is read (or as soon as its head is, with `answerAtHead`), and keeps what it is shown.
final class TestResponder: ChannelInboundHandler {
    typealias InboundIn = HTTPRequestPart
    typealias OutboundOut = HTTPResponsePart

    var heads: [HTTPRequest] = []
    var errors: [any Error] = []
    var answerAtHead = false
    /// Whether the answer says `Connection: close`.
    var closing = false
    /// Whether to answer at all (false: the test answers with `answer`).
    var answers = true
    private var context: ChannelHandlerContext?

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            heads.append(head)
            if answerAtHead, answers { answer() }
        case .body:
            break
        case .end:
            if !answerAtHead, answers { answer() }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) { errors.append(error) }

    /// Writes a 200 answer, `{"ok":true}`.
    func answer(status: HTTPResponse.Status = .ok) {
        guard let context else { return }
        var fields: HTTPFields = [.contentType: "application/json", .contentLength: "11"]
        if closing { fields[.connection] = "close" }
        context.write(wrapOutboundOut(.head(HTTPResponse(status: status, headerFields: fields))), promise: nil)
        context.write(wrapOutboundOut(.body(ByteBuffer(string: #"{"ok":true}"#))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }
}

/// A connection as the server makes it (`GuardedHTTP1Channel.configure`), in memory: bytes in,
/// bytes out, the event loop's clock moved by hand.
struct TestConnection {
    let channel: EmbeddedChannel
    let guardian: ConnectionGuard
    let responder: TestResponder

    init(limits: ServerLimits = ServerLimits(), registry: ConnectionRegistry? = nil, logger: Logger = quietLogger) throws {
        channel = EmbeddedChannel()
        guardian = ConnectionGuard(limits: limits, logger: logger)
        if let registry {
            let (id, admission) = registry.admit(evict: guardian.evictor(on: channel.eventLoop))
            switch admission {
            case .admitted: guardian.registry = (registry, id)
            case .refused(let open): guardian.refusal = .tooManyConnections(open)
            }
        }
        try GuardedHTTP1Channel.configure(channel.pipeline.syncOperations, guardian)
        responder = TestResponder()
        try channel.pipeline.syncOperations.addHandler(responder)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9)).wait()
    }

    /// Sends `text` as the client.
    func send(_ text: String) throws {
        try channel.writeInbound(ByteBuffer(string: text))
    }

    /// Sends `request` and returns the status of the answer written to it (nil for none).
    func status(answering request: String) throws -> Int? {
        try send(request)
        return WireAnswer(try received())?.status
    }

    /// Moves the clock by `seconds`.
    func wait(_ seconds: Double) {
        channel.embeddedEventLoop.advanceTime(by: .nanoseconds(Int64(seconds * 1e9)))
    }

    /// Everything written to the client since the last call.
    func received() throws -> String {
        var text = ""
        while let data = try channel.readOutbound(as: IOData.self) {
            if case .byteBuffer(let buffer) = data { text += String(buffer: buffer) }
        }
        return text
    }

    var isOpen: Bool { channel.isActive }

    /// Expects the answer written since the last read to have `status`, to say `Connection: close`,
    /// and the connection to be closed after it; returns it.
    @discardableResult
    func expectClosingAnswer(_ status: Int, sourceLocation: SourceLocation = #_sourceLocation) throws -> WireAnswer {
        let answer = try #require(WireAnswer(try received()), sourceLocation: sourceLocation)
        #expect(answer.status == status, sourceLocation: sourceLocation)
        #expect(answer.headers["connection"] == "close", "the answer says the connection closes", sourceLocation: sourceLocation)
        #expect(!isOpen, sourceLocation: sourceLocation)
        return answer
    }
}

/// A request for `path` with the given extra header lines.
func requestText(_ method: String = "GET", _ path: String = "/healthz", headers: [String] = [], body: String = "") -> String {
    var lines = ["\(method) \(path) HTTP/1.1", "Host: localhost"] + headers
    if !body.isEmpty { lines.append("Content-Length: \(body.utf8.count)") }
    return lines.joined(separator: "\r\n") + "\r\n\r\n" + body
}

/// An answer as written on the wire: its status code, headers (lower-cased names) and body.
struct WireAnswer {
    var status: Int
    var headers: [String: String]
    var body: String

    init?(_ text: String) {
        guard let split = text.range(of: "\r\n\r\n") else { return nil }
        let lines = text[..<split.lowerBound].components(separatedBy: "\r\n")
        guard let first = lines.first, let code = Int(first.split(separator: " ").dropFirst().first ?? "") else { return nil }
        status = code
        headers = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        body = String(text[split.upperBound...])
    }

    /// The `error` of a JSON error body.
    var error: String? {
        guard let data = body.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        return object["error"] as? String
    }
}

/// A logger whose lines are kept, to count them.
final class LogRecorder: Sendable {
    private let lines = NIOLockedValueBox<[(Logger.Level, String)]>([])

    var logger: Logger {
        Logger(label: "test") { _ in RecordingHandler(recorder: self) }
    }

    var recorded: [(level: Logger.Level, message: String)] { lines.withLockedValue { $0 } }

    func record(_ level: Logger.Level, _ message: String) { lines.withLockedValue { $0.append((level, message)) } }

    struct RecordingHandler: LogHandler {
        let recorder: LogRecorder
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) { recorder.record(event.level, "\(event.message)") }
    }
}
