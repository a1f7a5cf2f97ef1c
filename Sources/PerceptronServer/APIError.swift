import Hummingbird

/// A request the API refuses: the status, and `{"error": message}` saying what was wrong.
///
/// Routes throw it (`APIMiddleware` answers it); the connection layer (`ConnectionGuard`) writes
/// the same answer itself for what never reaches a route: a malformed or oversized head, a timeout,
/// a connection over the cap.
public struct APIError: HTTPResponseError, Sendable, CustomStringConvertible {
    public var status: HTTPResponse.Status
    public var message: String
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, _ message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.message = message
        self.headers = headers
    }

    public static func badRequest(_ message: String) -> APIError { APIError(.badRequest, message) }

    /// The same refusal, saying `Connection: close`: the server closes the connection after it.
    var closing: APIError {
        var error = self
        error.headers[.connection] = "close"
        return error
    }

    /// Whether the server closes the connection after this answer.
    var closesConnection: Bool { headers[.connection]?.lowercased() == "close" }

    public var description: String { "\(status.code) \(message)" }

    /// The answer's head: the status, `headers`, and the JSON content type.
    var head: HTTPResponse {
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        return HTTPResponse(status: status, headerFields: fields)
    }

    /// The answer's body: `{"error": message}`.
    var body: ByteBuffer { ByteBuffer(bytes: JSONWriter.error(message)) }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(status: status, headers: head.headerFields, body: .init(byteBuffer: body))
    }
}
