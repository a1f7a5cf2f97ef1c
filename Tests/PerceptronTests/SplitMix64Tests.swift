import Foundation
import Perceptron
import Testing

@Suite("SplitMix64")
struct SplitMix64Tests {
    @Test("seed 0 gives the reference sequence, starting 0xE220A8397B1DCDAF")
    func referenceOutputs() {
        var generator = SplitMix64(seed: 0)
        #expect(generator.next() == 0xE220_A839_7B1D_CDAF)
        #expect(generator.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(generator.next() == 0x06C4_5D18_8009_454F)
        #expect(generator.next() == 0xF88B_B8A8_724C_81EC)
    }

    @Test("the same seed gives the same sequence; another seed another")
    func sameSeedSameSequence() {
        var a = SplitMix64(seed: 42), b = SplitMix64(seed: 42), c = SplitMix64(seed: 43)
        let sa = (0..<100).map { _ in a.next() }
        #expect(sa == (0..<100).map { _ in b.next() })
        #expect(sa != (0..<100).map { _ in c.next() })
        #expect(Set(sa).count == 100)
    }

    @Test("streams: different purposes differ, the same purpose repeats, and the parent does not advance")
    func streams() {
        let root = SplitMix64(seed: 7)
        var a = root.stream("a"), b = root.stream("b"), again = root.stream("a")
        let sa = (0..<10).map { _ in a.next() }
        #expect(sa != (0..<10).map { _ in b.next() })
        #expect(sa == (0..<10).map { _ in again.next() })
        #expect(root == SplitMix64(seed: 7))
        var parent = root
        #expect(!sa.contains(parent.next()))
        var otherRoot = SplitMix64(seed: 8).stream("a")
        #expect(otherRoot.next() != sa[0])
    }

    @Test("Codable keeps the state: a decoded generator continues the sequence")
    func codable() throws {
        var generator = SplitMix64(seed: 3)
        _ = generator.next()
        var decoded = try JSONDecoder().decode(SplitMix64.self, from: JSONEncoder().encode(generator))
        #expect(decoded == generator)
        #expect(decoded.next() == generator.next())
    }

    @Test("nextUnitDouble stays in [0, 1) and averages ½")
    func unitDouble() {
        var generator = SplitMix64(seed: 11)
        let values = (0..<10_000).map { _ in generator.nextUnitDouble() }
        #expect(values.allSatisfy { $0 >= 0 && $0 < 1 })
        #expect(abs(values.reduce(0, +) / 10_000 - 0.5) < 0.015)
    }

    @Test("nextIndex(below:) stays in range and hits every value about equally often", arguments: [1, 2, 7, 10, 1000])
    func nextIndexInRange(bound: Int) {
        var generator = SplitMix64(seed: UInt64(bound))
        let draws = 200 * bound
        var counts = Array(repeating: 0, count: bound)
        for _ in 0..<draws {
            let i = generator.nextIndex(below: bound)
            #expect(i >= 0 && i < bound)
            if i >= 0 && i < bound { counts[i] += 1 }
        }
        #expect(counts.allSatisfy { $0 > 0 }, "never drew \(counts.indices.filter { counts[$0] == 0 })")
        // 200 expected per value: the counts stay well within ±50 %.
        #expect(counts.allSatisfy { $0 > 100 && $0 < 300 })
    }

    @Test("nextIndex(below:) handles bounds near Int.max")
    func nextIndexHugeBound() {
        var generator = SplitMix64(seed: 5)
        let bound = Int.max - 12
        let draws = (0..<1000).map { _ in generator.nextIndex(below: bound) }
        #expect(draws.allSatisfy { $0 >= 0 && $0 < bound })
        // Half of them in the upper half.
        #expect(abs(draws.filter { $0 >= bound / 2 }.count - 500) < 80)
    }

    @Test("shuffle(with:) gives a permutation, the same one for the same seed")
    func shuffle() {
        var g1 = SplitMix64(seed: 21), g2 = SplitMix64(seed: 21), g3 = SplitMix64(seed: 22)
        var a = Array(0..<50), b = Array(0..<50), c = Array(0..<50)
        a.shuffle(with: &g1)
        b.shuffle(with: &g2)
        c.shuffle(with: &g3)
        #expect(a.sorted() == Array(0..<50))
        #expect(a != Array(0..<50))
        #expect(a == b)
        #expect(a != c)
        var single = [7], empty: [Int] = []
        single.shuffle(with: &g1)
        empty.shuffle(with: &g1)
        #expect(single == [7] && empty.isEmpty)
    }

    @Test("shuffling a slice permutes exactly that slice")
    func shuffleSlice() {
        var g = SplitMix64(seed: 4)
        var array = Array(0..<20)
        array[5..<15].shuffle(with: &g)
        #expect(Array(array[0..<5]) == Array(0..<5))
        #expect(Array(array[15...]) == Array(15..<20))
        #expect(array[5..<15].sorted() == Array(5..<15))
        #expect(Array(array[5..<15]) != Array(5..<15))
    }

    @Test("every position is equally likely to receive every element")
    func shuffleIsUniform() {
        var g = SplitMix64(seed: 8)
        var firstCounts = Array(repeating: 0, count: 4)
        for _ in 0..<8000 {
            var a = [0, 1, 2, 3]
            a.shuffle(with: &g)
            firstCounts[a[0]] += 1
        }
        #expect(firstCounts.allSatisfy { abs($0 - 2000) < 200 }, "\(firstCounts)")
    }

    @Test("nextNormal samples have the mean and standard deviation asked for")
    func normal() {
        var g = SplitMix64(seed: 13)
        let values = (0..<20_000).map { _ in g.nextNormal(mean: 3, standardDeviation: 2) }
        let mean = values.reduce(0, +) / Double(values.count)
        let sd = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)).squareRoot()
        #expect(values.allSatisfy { $0.isFinite })
        #expect(abs(mean - 3) < 0.05)
        #expect(abs(sd - 2) < 0.05)
        // About 68 % within one standard deviation.
        let within = values.filter { abs($0 - 3) < 2 }.count
        #expect(abs(Double(within) / 20_000 - 0.6827) < 0.015)
    }
}
