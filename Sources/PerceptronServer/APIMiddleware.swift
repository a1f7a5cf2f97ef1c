import Hummingbird
import Logging
import NIOCore

/// Wraps every route (and the router's not-found answer): turns every error into a JSON answer —
/// `{"error": …}` with its status, 404 for an unknown path, 405 with `Allow` for a known path asked
/// with another method, 413 for a body over the limit, 500 for anything unexpected — and logs one
/// line per request: method, path, status, time taken, and for an error what was wrong.
struct APIMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The methods each path answers (HEAD too, for those that answer GET).
    let routes: [String: [HTTPRequest.Method]]
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var problem: String?
        let response: Response
        do {
            response = try await next(request, context)
        } catch let error as APIError {
            problem = error.message
            response = try error.response(from: request, context: context)
        } catch {
            let apiError = translate(error, request: request)
            problem = apiError.message
            if apiError.status == .internalServerError {
                logger.error("\(request.method) \(request.uri): unexpected error: \(String(reflecting: error))")
            }
            response = try apiError.response(from: request, context: context)
        }
        let elapsed = ContinuousClock.now - start
        let microseconds = elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
        let time = microseconds < 10_000
            ? "\(microseconds / 1000).\(String(microseconds % 1000 / 10).leftPadded(2, with: "0")) ms"
            : "\(microseconds / 1000) ms"
        logger.info("\(request.method) \(request.uri) \(response.status.code) \(time)\(problem.map { ": \($0)" } ?? "")")
        return response
    }

    /// An `APIError` for an error thrown by Hummingbird or a library.
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
        case let error as HTTPError:
            return APIError(error.status, error.body ?? error.status.reasonPhrase)
        case let error as any HTTPResponseError:
            return APIError(error.status, error.status.reasonPhrase)
        default:
            return APIError(.internalServerError, "internal error")
        }
    }
}

extension APIError {
    /// The answer to a body over `DigitServer.maximumBodySize`.
    static var bodyTooLarge: APIError {
        APIError(.contentTooLarge, "the request body is larger than 1 MB (\(DigitServer.maximumBodySize) bytes), the most accepted",
                 headers: [.connection: "close"])
    }
}

extension String {
    func leftPadded(_ width: Int, with pad: Character = " ") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
