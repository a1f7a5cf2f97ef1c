import Foundation

/// Ctrl-C (SIGINT) and SIGTERM during training: finish the current batch, save, and stop.
enum StopRequest {
    nonisolated(unsafe) private static var requested: sig_atomic_t = 0

    /// Whether a stop was asked for since ``install()``.
    static var isRequested: Bool { requested != 0 }

    /// Catches SIGINT and SIGTERM from now on; a second Ctrl-C stops at once.
    static func install() {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber) { number in
                if StopRequest.requested != 0 { _exit(128 + number) }
                StopRequest.requested = 1
            }
        }
    }
}
