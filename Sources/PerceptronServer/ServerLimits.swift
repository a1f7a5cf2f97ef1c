import NIOCore

/// How long the server waits for a client and how much it takes from one: the timeouts of a
/// connection, the cap on open connections, the sizes of a request's head and body, and how many
/// predictions run at once.
///
/// ```
/// connection accepted ──header──▶ head read ──body──▶ request read ─ the answer ─▶ answered ──idle──▶ next request
///                     (10 s)                 (30 s)                                           (60 s)
/// ```
/// The header timeout runs from a request's first byte (from the accept for a connection's first
/// request), the body timeout from the end of its head, the idle timeout from the end of the last
/// answer on a kept-alive connection. Past one, the connection is closed: with a 408 and
/// `{"error": …}` when part of a request was read, silently when it was idle.
public struct ServerLimits: Sendable, Equatable {
    /// Seconds for a request's line and headers, from its first byte (or from the accept).
    public var headerTimeout: Double = 10
    /// Seconds for a request's body, from the end of its head.
    public var bodyTimeout: Double = 30
    /// Seconds a kept-alive connection may wait for its next request.
    public var idleTimeout: Double = 60
    /// Connections open at once. Past this, a new connection closes the one idle the longest, or,
    /// when none is idle, is answered 503 and closed at once.
    public var maximumConnections = 1024
    /// Predictions (JSON, PNG decoding, the forward pass) computed at once, each on a thread of
    /// its own, away from the threads that read and answer requests: one per core.
    public var predictionThreads = ServerLimits.coreCount
    /// Predictions that may wait for a thread; past this a request is answered 503.
    public var waitingPredictions = 64 * ServerLimits.coreCount

    /// The longest request line (method, URL, version) and the longest header line, in bytes: 8 KB.
    public static let maximumLineSize = 8 * 1024
    /// All of a request's header lines together, in bytes: 32 KB.
    public static let maximumHeadSize = 32 * 1024
    /// The most header fields in one request.
    public static let maximumHeaderCount = 100
    /// How long a closing connection goes on reading (and dropping) what the client still sends
    /// after the last answer, so that the client reads that answer before the connection closes.
    public static let lingerSeconds = 2.0

    public init() {}

    /// The cores of this machine.
    public static var coreCount: Int { max(1, System.coreCount) }
}
