import Dispatch
import NIOConcurrencyHelpers

/// Runs the work of a prediction (reading the JSON, decoding a PNG, the forward pass) on threads of
/// its own, at most `threads` at once, so that the threads serving requests never wait behind it:
/// `/healthz` and the page answer while large images are decoded.
///
/// A request that finds every thread busy waits, in order of arrival; past `waiting` waiting, it is
/// refused at once with 503 (`APIError.busy`), so that neither the queue nor the bodies it holds
/// grow without end.
final class PredictionWorkers: Sendable {
    let threads: Int
    let waiting: Int
    /// One serial queue per thread. A serial queue runs on Dispatch's overcommitting threads, never
    /// on the few (one per core) that run Swift's tasks, where a concurrent queue's work would go and
    /// hold up every request.
    private let queues: [DispatchQueue]

    private struct State {
        /// The queues not in use.
        var free: [Int]
        var queued: [CheckedContinuation<Int, any Error>] = []
    }

    private let state: NIOLockedValueBox<State>

    init(threads: Int, waiting: Int) {
        self.threads = max(1, threads)
        self.waiting = max(0, waiting)
        queues = (0..<self.threads).map { DispatchQueue(label: "perceptron.prediction.\($0)") }
        state = NIOLockedValueBox(State(free: Array(0..<self.threads)))
    }

    /// The predictions waiting for a thread now.
    var queued: Int { state.withLockedValue { $0.queued.count } }

    /// `work`'s result, computed on one of the threads once one is free.
    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        let slot = try await acquire()
        defer { release(slot) }
        return try await withCheckedThrowingContinuation { continuation in
            queues[slot].async { continuation.resume(with: Result(catching: work)) }
        }
    }

    /// Takes a thread, waiting for one if need be; throws `APIError.busy` when too many wait.
    private func acquire() async throws -> Int {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int, any Error>) in
            let outcome: Result<Int, APIError>? = state.withLockedValue { state in
                if let slot = state.free.popLast() { return .success(slot) }
                guard state.queued.count < waiting else {
                    return .failure(.busy(running: threads, waiting: state.queued.count))
                }
                state.queued.append(continuation)
                return nil
            }
            if let outcome { continuation.resume(with: outcome.mapError { $0 }) }
        }
    }

    /// Gives the thread to the first waiting request, or back.
    private func release(_ slot: Int) {
        let next: CheckedContinuation<Int, any Error>? = state.withLockedValue { state in
            if state.queued.isEmpty {
                state.free.append(slot)
                return nil
            }
            return state.queued.removeFirst()
        }
        next?.resume(returning: slot)
    }
}

extension APIError {
    /// The answer to a prediction that found every thread busy and too many waiting.
    static func busy(running: Int, waiting: Int) -> APIError {
        APIError(.serviceUnavailable, "the server is busy: \(running) predictions running and \(waiting) waiting, the most "
                     + "it holds; try again in a moment", headers: [.retryAfter: "1"])
    }
}
