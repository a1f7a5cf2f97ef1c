import Hummingbird
import NIOCore
@testable import PerceptronServer
import Testing

/// The timeouts of one connection, on the event loop's own clock (moved by hand: no waiting).
@Suite struct ConnectionTimeoutTests {
    var limits: ServerLimits {
        var limits = ServerLimits()
        (limits.headerTimeout, limits.bodyTimeout, limits.idleTimeout) = (10, 30, 60)
        return limits
    }

    @Test("a connection that sends nothing is closed, without a word, at the header timeout")
    func silentConnection() throws {
        let connection = try TestConnection(limits: limits)
        connection.wait(9.9)
        #expect(connection.isOpen)
        connection.wait(0.2)
        #expect(!connection.isOpen)
        #expect(try connection.received().isEmpty)
    }

    @Test("a head that stops halfway is answered 408, with JSON, and closed at the header timeout")
    func halfAHead() throws {
        let connection = try TestConnection(limits: limits)
        connection.wait(4)
        try connection.send("GET /healthz HTTP/1.1\r\nHost: local")
        connection.wait(5.9)  // the first request's time runs from the accept
        #expect(connection.isOpen)
        connection.wait(0.2)
        let answer = try connection.expectClosingAnswer(408)
        #expect(answer.headers["content-type"]?.hasPrefix("application/json") == true)
        #expect(answer.error?.contains("did not all arrive within 10 s") == true)
        #expect(connection.responder.heads.isEmpty)
    }

    @Test("a later request's header timeout runs from its first byte")
    func laterHeadTimedFromItsFirstByte() throws {
        let connection = try TestConnection(limits: limits)
        #expect(try connection.status(answering: requestText()) == 200)
        connection.wait(50)
        try connection.send("GET /heal")
        connection.wait(9.9)
        #expect(connection.isOpen)
        connection.wait(0.2)
        #expect(WireAnswer(try connection.received())?.status == 408)
        #expect(!connection.isOpen)
    }

    @Test("a kept-alive connection is closed at the idle timeout after its last answer, not before")
    func idleKeepAlive() throws {
        let connection = try TestConnection(limits: limits)
        #expect(try connection.status(answering: requestText()) == 200)
        connection.wait(59.9)
        #expect(connection.isOpen)
        try connection.send(requestText())  // a second request restarts the wait
        #expect(WireAnswer(try connection.received())?.status == 200)
        connection.wait(59.9)
        #expect(connection.isOpen)
        connection.wait(0.2)
        #expect(!connection.isOpen)
        #expect(try connection.received().isEmpty, "an idle connection is closed without an answer")
        #expect(connection.responder.heads.count == 2)
    }

    @Test("a body that stops is thrown to the route reading it at the body timeout; the connection closes after its answer")
    func slowBody() throws {
        let connection = try TestConnection(limits: limits)
        connection.responder.answers = false
        try connection.send(requestText("POST", "/api/predict", headers: ["Content-Length: 100"]) + #"{"pixels": ["#)
        connection.wait(29.9)
        #expect(connection.responder.errors.isEmpty)
        connection.wait(0.2)
        let error = try #require(connection.responder.errors.first as? ConnectionGuard.BodyTimeout)
        #expect(error.seconds == 30)
        #expect(connection.isOpen, "the route answers first")
        connection.responder.answer(status: .requestTimeout)
        try connection.expectClosingAnswer(408)
    }

    @Test("the body timeout runs from the end of the head, however slowly the head came")
    func bodyTimedFromItsHead() throws {
        let connection = try TestConnection(limits: limits)
        connection.responder.answers = false
        try connection.send("POST /api/predict HTTP/1.1\r\nHost: localhost\r\n")
        connection.wait(9)
        try connection.send("Content-Length: 100\r\n\r\n{")
        connection.wait(29.9)
        #expect(connection.responder.errors.isEmpty)
        connection.wait(0.2)
        #expect(connection.responder.errors.first is ConnectionGuard.BodyTimeout)
    }

    @Test("an answer that says Connection: close closes the connection after it")
    func connectionCloseAnswer() throws {
        let connection = try TestConnection(limits: limits)
        connection.responder.closing = true
        try connection.send(requestText())
        try connection.expectClosingAnswer(200)
    }

    @Test("an answer written before its body is read (a 413) closes the connection, however much body is left")
    func answerBeforeBody() throws {
        let connection = try TestConnection(limits: limits)
        connection.responder.answerAtHead = true
        connection.responder.closing = true
        let request = requestText("POST", "/api/predict", headers: ["Content-Length: 5000000"]) + String(repeating: "1", count: 1000)
        #expect(try connection.status(answering: request) == 200)
        #expect(!connection.isOpen)
    }

    @Test("stopping the server closes an idle connection at once and a busy one after its answer")
    func quiesce() throws {
        let idle = try TestConnection(limits: limits)
        idle.channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        #expect(!idle.isOpen)

        let busy = try TestConnection(limits: limits)
        busy.responder.answers = false
        try busy.send(requestText())
        busy.channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        #expect(busy.isOpen)
        busy.responder.answer()
        try busy.expectClosingAnswer(200)
    }

    @Test("a request is answered however long the route takes: no timeout runs while it works")
    func slowRoute() throws {
        let connection = try TestConnection(limits: limits)
        connection.responder.answers = false
        try connection.send(requestText())
        connection.wait(1000)
        #expect(connection.isOpen)
        connection.responder.answer()
        #expect(WireAnswer(try connection.received())?.status == 200)
        #expect(connection.isOpen)
    }
}
