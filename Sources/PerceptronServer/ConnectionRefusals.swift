import Hummingbird
import NIOHTTP1
import NIOHTTPTypesHTTP1

/// The answers of the connection layer (`ConnectionGuard`) to what never reaches a route, each
/// saying `Connection: close`: a request head that is not HTTP or is too large, a timeout, a
/// connection over the cap.
extension APIError {
    /// The answer to a request head the HTTP decoder refused, or nil when there is no one to answer
    /// (the client closed the connection in the middle of its head). `inRequestLine`: the error
    /// came before the end of the request's first line, so an overflow is the URL's.
    static func refusing(_ error: any Error, inRequestLine: Bool) -> APIError? {
        let line = ServerLimits.maximumLineSize
        switch error {
        case HTTPParserError.invalidEOFState:
            return nil
        case HTTPParserError.headerOverflow where inRequestLine:
            return APIError(.uriTooLong, "the URL is longer than \(line / 1024) KB (\(line) bytes), the most this server reads").closing
        case HTTPParserError.headerOverflow:
            let head = ServerLimits.maximumHeadSize
            return APIError(.requestHeaderFieldsTooLarge,
                            "the request's headers are too large: at most \(line / 1024) KB (\(line) bytes) a line, "
                                + "\(head / 1024) KB (\(head) bytes) in all and \(ServerLimits.maximumHeaderCount) fields").closing
        case HTTPParserError.invalidContentLength:
            return APIError.badRequest("Content-Length is not a whole number of bytes").closing
        case HTTPParserError.unexpectedContentLength:
            return APIError.badRequest("the request gives its body's length twice (two Content-Length, or Content-Length "
                                           + "with Transfer-Encoding): give one").closing
        case HTTPParserError.invalidMethod, HTTP1TypeConversionError.invalidMethod as HTTP1TypeConversionError:
            return APIError(.notImplemented, "the request's method is not one this server knows: it answers GET and HEAD, "
                                + "and POST on /api/predict").closing
        case HTTPParserError.invalidVersion:
            return APIError(.httpVersionNotSupported, "the request is not HTTP/1.0 or HTTP/1.1, which this server speaks").closing
        case HTTPParserError.unknown:  // llhttp's errors that NIO names not, Transfer-Encoding's among them
            return APIError.badRequest("the request is not valid HTTP/1.1: look at its Transfer-Encoding, Content-Length "
                                           + "and line endings").closing
        case HTTP1TypeConversionError.missingPath as HTTP1TypeConversionError:
            return APIError.badRequest("the request has no path").closing
        case let error as HTTPParserError:
            return APIError.badRequest("the request is not valid HTTP/1.1 (\(error.debugDescription))").closing
        default:
            return APIError.badRequest("the request could not be read (\(error))").closing
        }
    }

    /// The answer to a request whose line and headers did not all come within `seconds`.
    static func headTimeout(_ seconds: Double) -> APIError {
        APIError(.requestTimeout, "the request's line and headers did not all arrive within \(secondsText(seconds)) "
                     + "(--header-timeout)").closing
    }

    /// The answer to a request whose body did not all come within `seconds` of its head.
    static func bodyTimeout(_ seconds: Double) -> APIError {
        APIError(.requestTimeout, "the request's body did not all arrive within \(secondsText(seconds)) of its headers "
                     + "(--body-timeout)").closing
    }

    /// The answer to a connection over the cap, when none open is idle.
    static func tooManyConnections(_ open: Int) -> APIError {
        APIError(.serviceUnavailable, "the server has \(open) connections open, the most it keeps (--max-connections), "
                     + "and none is idle: try again in a moment", headers: [.retryAfter: "1"]).closing
    }

    /// `10 s`, `0.5 s`.
    static func secondsText(_ seconds: Double) -> String {
        seconds == seconds.rounded() && abs(seconds) < 1e15 ? "\(Int(seconds)) s" : "\(seconds) s"
    }
}
