import NIOConcurrencyHelpers
@testable import PerceptronServer
import Testing

@Suite struct ConnectionRegistryTests {
    /// A registry of `maximum` and a record of which connections it evicted.
    func makeRegistry(_ maximum: Int) -> (ConnectionRegistry, NIOLockedValueBox<[Int]>) {
        (ConnectionRegistry(maximum: maximum, logger: quietLogger), NIOLockedValueBox([]))
    }

    @Test("connections are admitted up to the cap; past it the one idle the longest is evicted")
    func evictionOrder() {
        let (registry, evicted) = makeRegistry(3)
        var ids: [Int] = []
        for k in 0..<3 {
            let (id, admission) = registry.admit(evict: { evicted.withLockedValue { $0.append(k) } })
            #expect(admission == .admitted)
            ids.append(id)
        }
        registry.setIdle(ids[0], false)  // busy
        registry.setIdle(ids[1], false)
        registry.setIdle(ids[1], true)  // idle again, after the third
        #expect(registry.admit(evict: {}).admission == .admitted)
        #expect(evicted.withLockedValue { $0 } == [2])
        #expect(registry.admit(evict: {}).admission == .admitted)
        #expect(evicted.withLockedValue { $0 } == [2, 1])
        #expect(registry.count == 3)
    }

    @Test("past the cap with every connection busy, a new one is refused; a closed one makes room")
    func refusal() {
        let (registry, _) = makeRegistry(2)
        let a = registry.admit(evict: {}).id
        let b = registry.admit(evict: {}).id
        registry.setIdle(a, false)
        registry.setIdle(b, false)
        #expect(registry.admit(evict: {}).admission == .refused(open: 2))
        #expect(registry.count == 2)
        registry.remove(a)
        #expect(registry.admit(evict: {}).admission == .admitted)
        #expect(registry.count == 2)
    }

    @Test("news of a connection already gone is ignored")
    func staleUpdates() {
        let (registry, _) = makeRegistry(1)
        let a = registry.admit(evict: {}).id
        registry.remove(a)
        registry.setIdle(a, true)
        registry.remove(a)
        #expect(registry.count == 0)
    }
}
