import Hummingbird
import NIOCore
import NIOHTTP1
@testable import PerceptronServer
import Testing

/// What the connection layer answers itself: heads that are not HTTP or too large, connections
/// over the cap. Every answer is JSON, says `Connection: close`, is logged once, and the
/// connection closes after it; no route sees the request.
@Suite struct ConnectionRefusalTests {
    static let cases: [(name: String, request: String, status: Int, says: String)] = [
        ("a header line over 8 KB", requestText(headers: ["X-Big: " + String(repeating: "a", count: 9000)]), 431, "headers are too large"),
        ("over 100 header fields", requestText(headers: (0..<120).map { "X-\($0): 1" }), 431, "100 fields"),
        ("headers over 32 KB in all", requestText(headers: (0..<5).map { "X-\($0): " + String(repeating: "b", count: 7000) }), 431, "32 KB"),
        ("a URL over 8 KB", requestText("GET", "/healthz?" + String(repeating: "q", count: 9000)), 414, "URL is longer than 8 KB"),
        ("a Content-Length that is not a number", requestText("POST", "/api/predict", headers: ["Content-Length: ten"]), 400,
         "Content-Length is not a whole number"),
        ("a negative Content-Length", requestText("POST", "/api/predict", headers: ["Content-Length: -5"]), 400, "Content-Length"),
        ("two Content-Length", requestText("POST", "/api/predict", headers: ["Content-Length: 3", "Content-Length: 4"]) + "abcd",
         400, "length twice"),
        ("Content-Length with chunks", requestText("POST", "/api/predict", headers: ["Content-Length: 3", "Transfer-Encoding: chunked"]),
         400, "Transfer-Encoding"),
        ("chunks not last", requestText("POST", "/api/predict", headers: ["Transfer-Encoding: chunked, gzip"]), 400, "Transfer-Encoding"),
        ("an unknown method", requestText("BREW", "/healthz"), 501, "method is not one this server knows"),
        ("another protocol's bytes (TLS)", "\u{16}\u{03}\u{01}\u{00}\u{a5}\u{01}\u{00}", 501, "method"),
        ("HTTP/2.0 in the request line", "GET / HTTP/2.0\r\nHost: localhost\r\n\r\n", 505, "HTTP/1.1"),
        ("a header name with a space", "GET / HTTP/1.1\r\nHost: localhost\r\nBad Name: 1\r\n\r\n", 400, "not valid HTTP/1.1"),
    ]

    @Test("a head the decoder refuses is answered with its status and a JSON reason, once, and the connection closes",
          arguments: cases.indices)
    func refusedHeads(_ index: Int) throws {
        let (name, request, status, says) = Self.cases[index]
        let log = LogRecorder()
        let connection = try TestConnection(logger: log.logger)
        try connection.send(request)
        let answer = try connection.expectClosingAnswer(status)
        #expect(answer.headers["content-type"] == "application/json; charset=utf-8", "\(name)")
        #expect(answer.headers["content-length"] == String(answer.body.utf8.count), "\(name)")
        #expect(answer.error?.contains(says) == true, "\(name): \(answer.error ?? answer.body)")
        #expect(connection.responder.heads.isEmpty, "\(name): no route sees it")
        let lines = log.recorded.filter { $0.message.contains("\(status)") }
        #expect(lines.count == 1, "\(name): logged once, \(log.recorded)")
        #expect(lines.first?.level == .info)
    }

    @Test("a URL and headers within the limits are served")
    func withinTheLimits() throws {
        let connection = try TestConnection()
        try connection.send(requestText("GET", "/healthz?" + String(repeating: "q", count: 8000),
                                        headers: (0..<90).map { "X-\($0): " + String(repeating: "v", count: 200) }))
        #expect(WireAnswer(try connection.received())?.status == 200)
        #expect(connection.responder.heads.count == 1)
        #expect(connection.isOpen)
    }

    @Test("an error inside a body goes to the route reading it, not answered by the connection")
    func errorInsideABody() throws {
        let connection = try TestConnection()
        connection.responder.answers = false
        try connection.send(requestText("POST", "/api/predict", headers: ["Transfer-Encoding: chunked"]) + "zz\r\n")
        #expect(connection.responder.heads.count == 1)
        #expect(connection.responder.errors.first is HTTPParserError)
        #expect(try connection.received().isEmpty)
        connection.responder.answer(status: .badRequest)
        try connection.expectClosingAnswer(400)
    }

    @Test("a client that closes in the middle of a head gets no answer and no log line")
    func clientLeavesMidHead() throws {
        let log = LogRecorder()
        let connection = try TestConnection(logger: log.logger)
        try connection.send("GET /healthz HTTP/1.1\r\nHo")
        connection.channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        #expect(try connection.received().isEmpty)
        #expect(!connection.isOpen)
        #expect(log.recorded.isEmpty)
    }
}

/// The cap on open connections.
@Suite struct ConnectionCapTests {
    @Test("over the cap, a new connection closes the one idle the longest and is served")
    func evictsTheOldestIdle() throws {
        let registry = ConnectionRegistry(maximum: 3, logger: quietLogger)
        let first = try TestConnection(registry: registry)
        let second = try TestConnection(registry: registry)
        let third = try TestConnection(registry: registry)
        try first.send(requestText())  // the first was busy last: the second is now idle the longest
        _ = try first.received()
        let fourth = try TestConnection(registry: registry)
        first.channel.embeddedEventLoop.run()
        second.channel.embeddedEventLoop.run()
        #expect(!second.isOpen)
        #expect(first.isOpen && third.isOpen && fourth.isOpen)
        #expect(registry.count == 3)
        #expect(try fourth.status(answering: requestText()) == 200)
    }

    @Test("over the cap with none idle, a new connection is answered 503 with JSON and closed")
    func refusesWhenNoneIdle() throws {
        let registry = ConnectionRegistry(maximum: 2, logger: quietLogger)
        let busy = try (0..<2).map { _ in try TestConnection(registry: registry) }
        for connection in busy {
            connection.responder.answers = false
            try connection.send(requestText("POST", "/api/predict", headers: ["Content-Length: 10"]) + "{")
        }
        let refused = try TestConnection(registry: registry)
        let answer = try refused.expectClosingAnswer(503)
        #expect(answer.headers["retry-after"] == "1")
        #expect(answer.error?.contains("--max-connections") == true)
        #expect(busy.allSatisfy { $0.isOpen }, "busy connections are never closed to make room")
        #expect(registry.count == 2)
    }
}
