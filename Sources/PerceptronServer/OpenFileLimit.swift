#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's limit on open files (`RLIMIT_NOFILE`), which bounds the connections a server can
/// hold: each is a file descriptor.
public enum OpenFileLimit {
    /// Descriptors kept for what is not a connection: standard streams, the listening socket, the
    /// files read at start, connections closing.
    public static let reserve = 64

    /// Raises the soft limit to the hard one (as far as the system lets it), and returns the soft
    /// limit in force afterwards (nil if it cannot be read).
    @discardableResult
    public static func raiseToHardLimit() -> Int? {
        var limit = rlimit()
        guard getrlimit(resourceType, &limit) == 0 else { return nil }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            #if canImport(Darwin)
            raised.rlim_cur = min(raised.rlim_cur, rlim_t(OPEN_MAX))  // macOS refuses more than OPEN_MAX
            #endif
            if setrlimit(resourceType, &raised) == 0 { limit = raised }
        }
        return Int(clamping: limit.rlim_cur)  // RLIM_INFINITY: Int.max
    }

    /// The most connections a limit of `files` open files leaves room for.
    public static func connections(within files: Int) -> Int { max(1, files - reserve) }

    #if canImport(Glibc)
    private static let resourceType = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    #else
    private static let resourceType = RLIMIT_NOFILE
    #endif
}
