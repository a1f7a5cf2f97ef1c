import Hummingbird
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

/// Wraps every route (and the router's not-found answer): refuses a request whose `Host` is not
/// allowed (421, see `HostAllowList`), turns every error into a JSON answer — `{"error": …}` with
/// its status, 404 for an unknown path, 405 with `Allow` for a known path asked with another
/// method, 413 for a body over the limit, 408 for a body too slow, 500 for anything unexpected —
/// and logs one line per request: method, path, status, time taken, and for an error what was
/// wrong. A client that leaves in the middle of its body is logged once, as such.
struct APIMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The methods each path answers (HEAD too, for those that answer GET).
    let routes: [String: [HTTPRequest.Method]]
    /// The names a request's `Host` may give (the port is set once the server listens).
    let hosts: NIOLockedValueBox<HostAllowList>
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var problem: String?
        let response: Response
        do {
            try checkHost(request)
            response = try await next(request, context)
        } catch let error as APIError {
            problem = error.message
            response = try error.response(from: request, context: context)
        } catch {
            if Self.isAbort(error) {
                let elapsed = Self.text(ContinuousClock.now - start)
                logger.info("\(request.method) \(request.uri) abandoned after \(elapsed): the client closed the connection before its body was complete")
                return try APIError.badRequest("the body ended early").closing.response(from: request, context: context)
            }
            let apiError = translate(error, request: request)
            problem = apiError.message
            if apiError.status == .internalServerError {
                logger.error("\(request.method) \(request.uri): unexpected error: \(String(reflecting: error))")
            }
            response = try apiError.response(from: request, context: context)
        }
        let elapsed = Self.text(ContinuousClock.now - start)
        logger.info("\(request.method) \(request.uri) \(response.status.code) \(elapsed)\(problem.map { ": \($0)" } ?? "")")
        return response
    }

    /// Throws 421 for a `Host` not in the list, 400 for none.
    func checkHost(_ request: Request) throws {
        guard let authority = request.head.authority, !authority.isEmpty else {
            throw APIError.badRequest("the request has no Host header").closing
        }
        let hosts = hosts.withLockedValue { $0 }
        guard hosts.allows(authority) else {
            throw APIError(.misdirectedRequest, "this server answers to \(hosts.described), not to Host \"\(authority)\" "
                               + "(start it with --allow-host NAME to add a name)").closing
        }
    }

    /// Whether `error`, met while reading a body, says the client went away.
    static func isAbort(_ error: any Error) -> Bool {
        switch error {
        case HTTPParserError.invalidEOFState, is IOError, is ChannelError: true
        default: false
        }
    }

    /// An `APIError` for an error thrown by Hummingbird, a library, or the connection.
    func translate(_ error: any Error, request: Request) -> APIError {
        switch error {
        case let error as HTTPError where error.status == .notFound:
            let path = request.uri.path
            if let methods = routes[path] {
                let allowed = methods.map(\.rawValue).joined(separator: ", ")
                return APIError(.methodNotAllowed, "\(path) does not answer \(request.method); it answers \(allowed)",
                                headers: [.allow: allowed])
            }
            return APIError(.notFound, "no such path: \(path)")
        case is NIOTooManyBytesError:
            return APIError.bodyTooLarge
        case let error as ConnectionGuard.BodyTimeout:
            return APIError.bodyTimeout(error.seconds)
        case let error as HTTPParserError:
            return APIError.badRequest("the request's body is not valid HTTP/1.1 (\(error.debugDescription))").closing
        case let error as HTTPError:
            return APIError(error.status, error.body ?? error.status.reasonPhrase)
        case let error as any HTTPResponseError:
            return APIError(error.status, error.status.reasonPhrase)
        default:
            return APIError(.internalServerError, "internal error")
        }
    }

    /// `0.21 ms` below 10 ms, `12 ms` above.
    static func text(_ elapsed: Duration) -> String {
        let microseconds = elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
        return microseconds < 10_000
            ? "\(microseconds / 1000).\(String(microseconds % 1000 / 10).leftPadded(2, with: "0")) ms"
            : "\(microseconds / 1000) ms"
    }
}

extension APIError {
    /// The answer to a body over `DigitServer.maximumBodySize`.
    static var bodyTooLarge: APIError {
        APIError(.contentTooLarge, "the request body is larger than 1 MB (\(DigitServer.maximumBodySize) bytes), the most accepted")
            .closing
    }
}

extension String {
    func leftPadded(_ width: Int, with pad: Character = " ") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
