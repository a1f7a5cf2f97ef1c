import Perceptron
import Testing

/// The first layer's products skip the input columns that are zero in the whole batch.
@Suite("Product window (zero input margins)")
struct ProductWindowTests {
    /// 6×6 images whose outer ring is zero, except the last image, whose pixel 2 is lit:
    /// the batch's nonzero columns are 2 ..< 30 of 36.
    static func images() -> LabeledImages {
        var generator = SplitMix64(seed: 7)
        var pixels: [UInt8] = []
        for n in 0..<5 {
            for p in 0..<36 {
                let (r, c) = (p / 6, p % 6)
                let inside = r > 0 && r < 5 && c > 0 && c < 5
                pixels.append(inside ? UInt8(generator.nextIndex(below: 256)) : (n == 4 && p == 2 ? 200 : 0))
            }
        }
        return LabeledImages(images: pixels, labels: [0, 1, 2, 1, 0], rows: 6, columns: 6)
    }

    @Test("load finds the columns outside which the batch is zero; writing the input resets them")
    func inputColumns() {
        var workspace = Workspace<Double>(sizes: [36, 4, 3], batchSize: 5)
        #expect(workspace.inputColumns == 0..<36)
        workspace.load(Self.images(), indices: ArraySlice(0..<5))
        #expect(workspace.inputColumns == 2..<29)  // pixel 2 of the last image … pixel 28 (row 4, column 4)
        workspace.load(Self.images(), indices: [0, 1, 2, 3, 3])
        #expect(workspace.inputColumns == 7..<29)
        workspace.input[0, 0] = 1
        #expect(workspace.inputColumns == 0..<36)
        let empty = LabeledImages(images: [UInt8](repeating: 0, count: 36), labels: [0], rows: 6, columns: 6)
        var one = Workspace<Double>(sizes: [36, 2], batchSize: 1)
        one.load(empty, indices: ArraySlice(0..<1))
        #expect(one.inputColumns.isEmpty)
    }

    @Test("a windowed product equals the whole product where the operands are zero outside",
          arguments: [(false, false), (true, false), (false, true), (true, true)])
    func windowedProduct(transposes: (Bool, Bool)) {
        let (ta, tb) = transposes
        let (m, n, k) = (5, 7, 9)
        var a: Matrix<Double> = randomMatrix(ta ? k : m, ta ? m : k, seed: 1)
        var b: Matrix<Double> = randomMatrix(tb ? n : k, tb ? k : n, seed: 2)
        // Zero the terms outside 2..<6 in A, and B's columns outside 1..<5.
        for i in 0..<m { for p in 0..<k where !(2..<6).contains(p) { if ta { a[p, i] = 0 } else { a[i, p] = 0 } } }
        for p in 0..<k { for j in 0..<n where !(1..<5).contains(j) { if tb { b[j, p] = 0 } else { b[p, j] = 0 } } }
        let c0: Matrix<Double> = randomMatrix(m, n, seed: 3)
        var whole = c0, windowed = c0
        Matrix.multiply(a, b, transposeA: ta, transposeB: tb, into: &whole, alpha: 0.5, beta: 0.25)
        Matrix.multiply(a, b, transposeA: ta, transposeB: tb, into: &windowed, alpha: 0.5, beta: 0.25, terms: 2..<6, columns: 1..<5)
        #expect(isClose(windowed, whole, relative: 1e-14, absolute: 1e-15))
        var empty = c0
        Matrix.multiply(a, b, transposeA: ta, transposeB: tb, into: &empty, beta: 0, terms: 3..<3)
        #expect(empty.elements.allSatisfy { $0 == 0 })
    }

    @Test("backpropagation and the fused step over a loaded batch equal those over the same input set by hand")
    func backpropagationSkipsTheMargin() {
        let images = Self.images()
        let network: Network<Double> = randomNetwork(sizes: [36, 6, 3], hidden: .tanh, seed: 11)
        var loaded = Workspace<Double>(sizes: network.sizes, batchSize: 5)
        loaded.load(images, indices: ArraySlice(0..<5))
        #expect(loaded.inputColumns.count < 36)
        var whole = Workspace<Double>(sizes: network.sizes, batchSize: 5)
        whole.input = loaded.input  // every column
        whole.labels = loaded.labels
        var g1 = network.zeroGradients(), g2 = network.zeroGradients()
        network.backpropagate(&loaded, reduction: .mean, into: &g1)
        network.backpropagate(&whole, reduction: .mean, into: &g2)
        for (x, y) in zip(flatGradients(g1), flatGradients(g2)) { #expect(isClose(x, y, relative: 1e-13, absolute: 1e-15)) }

        var (a, b) = (network, network)
        var (ma, mb) = (Momentum<Double>(learningRate: 0.1, momentum: 0.9), Momentum<Double>(learningRate: 0.1, momentum: 0.9))
        for _ in 0..<3 {
            ma.fusedStep(&a, on: &loaded, reduction: .mean)
            mb.fusedStep(&b, on: &whole, reduction: .mean)
        }
        for (x, y) in zip(flatParameters(a), flatParameters(b)) { #expect(isClose(x, y, relative: 1e-13, absolute: 1e-15)) }
        for (x, y) in zip(flatGradients(ma.velocity), flatGradients(mb.velocity)) { #expect(isClose(x, y, relative: 1e-13, absolute: 1e-15)) }
    }
}
