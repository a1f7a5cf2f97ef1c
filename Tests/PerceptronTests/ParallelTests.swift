import Perceptron
import Testing

@Suite("Parallel passes")
struct ParallelTests {
    @Test("every index is visited exactly once, in ranges that start on multiples of 16",
          arguments: [0, 1, 31, 32, 100, 65_535, 65_536, 100_003, 1 << 20])
    func coversEveryIndexOnce(count: Int) {
        let visits = UnsafeMutablePointer<Int32>.allocate(capacity: max(count, 1))
        defer { visits.deallocate() }
        visits.initialize(repeating: 0, count: max(count, 1))
        let starts = UnsafeMutablePointer<Int>.allocate(capacity: 64)
        defer { starts.deallocate() }
        starts.initialize(repeating: -1, count: 64)
        Parallel.forEachRange(count, with: (visits, starts)) { p, range in
            let (visits, starts) = p
            for i in range { visits[i] += 1 }
            starts[range.lowerBound / 16 % 64] = range.lowerBound
        }
        #expect((0..<count).allSatisfy { visits[$0] == 1 })
        #expect((0..<64).allSatisfy { starts[$0] == -1 || starts[$0] % 16 == 0 })
    }

    @Test("a split pass gives exactly what a plain loop gives")
    func sameResultAsALoop() {
        let z: Matrix<Float> = randomMatrix(300, 700, seed: 1)  // 210,000 elements: split
        let bias: Matrix<Float> = randomMatrix(1, 700, seed: 2)
        var split = z
        Activation.sigmoid.apply(to: &split, addingBias: bias)
        var loop = z
        for r in 0..<300 { for c in 0..<700 { loop[r, c] = Sigmoid.value(z[r, c] + bias[0, c]) } }
        #expect(split == loop)
    }
}
