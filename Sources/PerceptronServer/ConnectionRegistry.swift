import Logging
import NIOConcurrencyHelpers

/// The server's open connections, for its cap (`ServerLimits.maximumConnections`): each connection
/// is admitted when it is accepted and leaves when it closes; each says, as it goes, whether it is
/// idle (no request of it being read past its head, none being answered).
///
/// A connection over the cap closes the one idle the longest (an idle keep-alive connection, or
/// one that has sent nothing yet or only part of a head) and takes its place, so that a flood of
/// silent connections cannot keep a new client out; when none is idle, it is refused at once (a
/// 503, then closed). The file descriptors in use stay below the cap plus the few closing.
///
/// Thread-safe: connections on every event loop share one registry.
final class ConnectionRegistry: Sendable {
    /// An open connection, as the registry knows it.
    struct Entry {
        /// When it last became idle (a count of the registry's events, which orders them), or nil
        /// while it is busy.
        var idleSince: UInt64?
        /// Closes it (on its own event loop, if it is still idle then).
        let evict: @Sendable () -> Void
    }

    /// What `admit` decided.
    enum Admission: Equatable {
        case admitted
        /// Over the cap with no idle connection to close: the count open.
        case refused(open: Int)
    }

    private struct State {
        var entries: [Int: Entry] = [:]
        var nextID = 0
        var clock: UInt64 = 0
        /// Refusals since the cap was last reached (for the log).
        var refusedSinceFull = 0
        var full = false
    }

    let maximum: Int
    private let logger: Logger
    private let state = NIOLockedValueBox(State())

    init(maximum: Int, logger: Logger) {
        self.maximum = max(1, maximum)
        self.logger = logger
    }

    /// The connections open (admitted and not yet gone, evicted ones excepted).
    var count: Int { state.withLockedValue { $0.entries.count } }

    /// Admits a new connection, idle, closing the connection idle the longest when the registry is
    /// full; `evict` closes the new one should it later be chosen. Returns its id and the decision.
    func admit(evict: @escaping @Sendable () -> Void) -> (id: Int, admission: Admission) {
        var victim: (@Sendable () -> Void)?
        var note: String?
        let result: (Int, Admission) = state.withLockedValue { state in
            let id = state.nextID
            state.nextID += 1
            if state.entries.count >= maximum {
                var oldest: (id: Int, since: UInt64)?
                for (key, entry) in state.entries {
                    if let since = entry.idleSince, since < oldest?.since ?? .max { oldest = (key, since) }
                }
                guard let oldest else {
                    if !state.full {
                        note = "\(state.entries.count) connections open, the most allowed (--max-connections), none idle: "
                            + "refusing new ones"
                    }
                    state.full = true
                    state.refusedSinceFull += 1
                    return (id, .refused(open: state.entries.count))
                }
                victim = state.entries.removeValue(forKey: oldest.id)?.evict
            }
            if state.full {
                note = "accepting connections again (\(state.refusedSinceFull) refused while full)"
                state.full = false
                state.refusedSinceFull = 0
            }
            state.clock += 1
            state.entries[id] = Entry(idleSince: state.clock, evict: evict)
            return (id, .admitted)
        }
        victim?()
        if let note { logger.warning("\(note)") }
        return result
    }

    /// Says whether connection `id` is idle now.
    func setIdle(_ id: Int, _ idle: Bool) {
        state.withLockedValue { state in
            guard state.entries[id] != nil else { return }
            if idle {
                state.clock += 1
                state.entries[id]!.idleSince = state.clock
            } else {
                state.entries[id]!.idleSince = nil
            }
        }
    }

    /// Connection `id` has closed.
    func remove(_ id: Int) {
        state.withLockedValue { _ = $0.entries.removeValue(forKey: id) }
    }
}
