import Dispatch
import NIOConcurrencyHelpers
@testable import PerceptronServer
import Testing

@Suite struct PredictionWorkersTests {
    /// Work that counts itself running, then waits until `gate` lets it finish.
    final class HeldWork: Sendable {
        let gate = DispatchSemaphore(value: 0)
        let counts = NIOLockedValueBox((now: 0, most: 0))

        var running: Int { counts.withLockedValue { $0.now } }

        func body() -> Int {
            counts.withLockedValue { $0.now += 1; $0.most = max($0.most, $0.now) }
            gate.wait()
            counts.withLockedValue { $0.now -= 1 }
            return 1
        }
    }

    @Test("no more than `threads` predictions run at once; the others wait their turn and all complete")
    func boundedConcurrency() async throws {
        let workers = PredictionWorkers(threads: 2, waiting: 10)
        let work = HeldWork()
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<6 { group.addTask { try await workers.run { work.body() } } }
            try await eventually { work.running == 2 && workers.queued == 4 }
            for _ in 0..<6 { work.gate.signal() }
            var total = 0
            for try await value in group { total += value }
            #expect(total == 6)
        }
        #expect(work.counts.withLockedValue { $0.most } == 2)
        #expect(workers.queued == 0)
    }

    @Test("a prediction that finds every thread busy and the queue full is refused at once with 503")
    func busyRefusal() async throws {
        let workers = PredictionWorkers(threads: 1, waiting: 1)
        let work = HeldWork()
        async let first = workers.run { work.body() }
        try await eventually { work.running == 1 }
        async let second = workers.run { work.body() }
        try await eventually { workers.queued == 1 }
        let error = await #expect(throws: APIError.self) { try await workers.run { 0 } }
        #expect(error?.status == .serviceUnavailable)
        #expect(error?.headers[.retryAfter] == "1")
        #expect(error?.message.contains("1 predictions running and 1 waiting") == true)
        work.gate.signal()
        work.gate.signal()
        #expect(try await first == 1)
        #expect(try await second == 1)
    }

    @Test("a prediction's error reaches the request, and its thread is given back")
    func errors() async throws {
        let workers = PredictionWorkers(threads: 1, waiting: 0)
        await #expect(throws: APIError.self) { try await workers.run { throw APIError.badRequest("no") } }
        #expect(try await workers.run { 7 } == 7)
    }
}

/// Waits (up to 10 s, checking every millisecond) until `condition` holds; fails the test if it
/// never does. For a state another thread brings about, not for timing.
func eventually(_ condition: @Sendable () -> Bool, sourceLocation: SourceLocation = #_sourceLocation) async throws {
    for _ in 0..<10_000 {
        if condition() { return }
        try await Task.sleep(for: .milliseconds(1))
    }
    Issue.record("the condition never held", sourceLocation: sourceLocation)
}
