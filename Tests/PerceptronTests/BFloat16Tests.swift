import Foundation
import Perceptron
import Testing

@Suite("bfloat16")
struct BFloat16Tests {
    static let noBF16 = "this CPU has no bfloat16 instructions (oneDNN's ISA lacks avx512_core_bf16): bf16 falls back to fp32"

    @Test("rounding to bfloat16: exact values stay, ties go to even, NaN stays NaN, overflow is infinity")
    func rounding() {
        #expect(bfloat16Bits(1) == 0x3F80)
        #expect(bfloat16Bits(-2) == 0xC000)
        #expect(bfloat16Bits(0) == 0x0000)
        #expect(bfloat16Bits(-0.0) == 0x8000)
        // 1 + 2⁻⁸ lies halfway between 1 (even: …0) and 1 + 2⁻⁷ (odd): ties to 1.
        #expect(bfloat16Bits(1 + 0x1p-8) == 0x3F80)
        // 1 + 3·2⁻⁸ lies halfway between 1 + 2⁻⁷ (odd) and 1 + 2⁻⁶ (even): ties to 1 + 2⁻⁶.
        #expect(bfloat16Bits(1 + 3 * 0x1p-8) == 0x3F82)
        // Just above the halfway point rounds up; just below, down.
        #expect(bfloat16Bits(Float(1 + 0x1p-8).nextUp) == 0x3F81)
        #expect(bfloat16Bits(Float(1 + 0x1p-8).nextDown) == 0x3F80)
        // A carry out of the significand moves the exponent: 2 − 2⁻⁹ rounds to 2.
        #expect(bfloat16Bits(2 - 0x1p-9) == 0x4000)
        #expect(bfloat16Bits(.infinity) == 0x7F80)
        #expect(bfloat16Bits(-.infinity) == 0xFF80)
        #expect(bfloat16Bits(.greatestFiniteMagnitude) == 0x7F80)
        #expect(float(bfloat16Bits: bfloat16Bits(.nan)).isNaN)
        #expect(float(bfloat16Bits: bfloat16Bits(Float(bitPattern: 0x7F80_0001))).isNaN, "a NaN whose payload is in the low bits")
        #expect(float(bfloat16Bits: 0x3FC0) == 1.5)
    }

    @Test("a rounded matrix is within half a bfloat16 unit (2⁻⁸ relative) of the original, and scales first")
    func roundedMatrix() {
        let m: Matrix<Float> = randomMatrix(7, 9, seed: 1, in: -3...3)
        let rounded = BFloat16Matrix(m)
        for (r, x) in zip(rounded.converted(to: Float.self).elements, m.elements) {
            // 8 significant bits: the spacing is at most 2⁻⁷|x|, half of it 2⁻⁸|x|.
            #expect(abs(r - x) <= abs(x) * 0x1p-8)
        }
        var scaled = BFloat16Matrix(rows: 7, columns: 9)
        scaled.round(m, scaledBy: -0.25)
        #expect(scaled.bits == m.elements.map { bfloat16Bits(-0.25 * $0) })
    }

    /// A large matrix is rounded over the cores (AVX-512 where the CPU has it), a small one on the
    /// calling thread: both must be the bits of `bfloat16Bits`, which the fused momentum update
    /// writes too, or a resumed bf16 run would differ from an uninterrupted one.
    @Test("rounding a matrix gives bfloat16Bits' bits at every size: ties, NaN, infinity, subnormals",
          arguments: [37, 70_003])
    func roundingEveryElement(count: Int) {
        var m: Matrix<Float> = randomMatrix(1, count, seed: 44, in: -4...4)
        // Ties (odd and even), a quiet and a signalling NaN, ±∞, subnormals that round to a subnormal
        // bfloat16 (a conversion that takes them as zero gives 0), the largest float, −0.
        let special: [Float] = [Float(bitPattern: 0x3F80_8000), Float(bitPattern: 0x3F81_8000), .nan,
                                Float(bitPattern: 0x7F80_0001), .infinity, -.infinity, Float(bitPattern: 0x0040_0000),
                                Float(bitPattern: 0x8001_8000), .greatestFiniteMagnitude, -0.0]
        for (i, x) in special.enumerated() { m.elements[i * 3] = x }
        let rounded = BFloat16Matrix(m)
        #expect(rounded.bits == m.elements.map(bfloat16Bits))
        #expect(rounded.bits[6 * 3] == 0x0040 && rounded.bits[7 * 3] == 0x8002, "subnormals kept")
    }

    /// `op(A)·op(B) + β·C` in bf16 on oneDNN against the exact products of the same bfloat16 values
    /// (Double), for every transpose and β: only float32 accumulation separates them.
    @Test("the bf16 GEMM (oneDNN matmul) equals the reference product of the same bfloat16 values",
          .enabled(if: OneDNN.supportsBF16, "\(noBF16)"),
          arguments: [(false, false), (true, false), (false, true), (true, true)], [Float(0), 0.9])
    func gemmAgreesWithReference(transposes: (Bool, Bool), beta: Float) {
        let (m, n, k) = (37, 45, 70)
        let (ta, tb) = transposes
        let a = BFloat16Matrix(randomMatrix(ta ? k : m, ta ? m : k, seed: 2, in: -1...1, as: Float.self))
        let b = BFloat16Matrix(randomMatrix(tb ? n : k, tb ? k : n, seed: 3, in: -1...1, as: Float.self))
        let c0: Matrix<Float> = randomMatrix(m, n, seed: 4)
        var c = c0
        Matrix.multiply(a, b, transposeA: ta, transposeB: tb, into: &c, beta: beta)
        var exact: Matrix<Double> = c0.converted()
        Matrix.multiply(a, b, transposeA: ta, transposeB: tb, into: &exact, beta: Double(beta))
        #expect(maxDifference(c.converted(), exact) < 1e-5, "float32 accumulation of 70 products of size ≤ 1")
    }

    /// A momentum warm-up changes β at every step: each β gets its own primitive.
    @Test("the bf16 GEMM is right when β changes at every call, and when it settles",
          .enabled(if: OneDNN.supportsBF16, "\(noBF16)"))
    func changingBeta() {
        let (m, n, k) = (19, 23, 41)
        let a = BFloat16Matrix(randomMatrix(k, m, seed: 21, in: -1...1, as: Float.self))
        let b = BFloat16Matrix(randomMatrix(k, n, seed: 22, in: -1...1, as: Float.self))
        var c: Matrix<Float> = randomMatrix(m, n, seed: 23)
        var exact: Matrix<Double> = c.converted()
        for beta in [0.5, 0.55, 0.6, 0.65, 0.65, 0.65, 0.9, 0.0, 1.0] as [Float] {
            Matrix.multiply(a, b, transposeA: true, into: &c, beta: beta)
            Matrix.multiply(a, b, transposeA: true, into: &exact, beta: Double(beta))
            #expect(maxDifference(c.converted(), exact) < 1e-4, "β = \(beta)")
        }
    }

    @Test("the bf16 GEMM's result depends on its operands only, not on the βs asked for before it",
          .enabled(if: OneDNN.supportsBF16, "\(noBF16)"))
    func historyIndependent() {
        // A resumed run starts with no primitives made; it must repeat the uninterrupted run exactly.
        let (m, n, k) = (37, 29, 53)
        let a = BFloat16Matrix(randomMatrix(k, m, seed: 31, in: -1...1, as: Float.self))
        let b = BFloat16Matrix(randomMatrix(k, n, seed: 32, in: -1...1, as: Float.self))
        let start: Matrix<Float> = randomMatrix(m, n, seed: 33)
        func product(after earlier: [Float]) -> [UInt32] {
            var scratch = start
            for beta in earlier { Matrix.multiply(a, b, transposeA: true, into: &scratch, beta: beta) }
            var c = start
            Matrix.multiply(a, b, transposeA: true, into: &c, beta: 0.7)
            return c.elements.map(\.bitPattern)
        }
        let first = product(after: [])
        #expect(product(after: [0.7]) == first)
        #expect(product(after: [0.3, 0.7, 0.7]) == first)
        #expect(product(after: [0.7, 0.7, 0.7]) == first)
    }

    @Test("the bf16 GEMM is within bfloat16 rounding of the float32 product",
          .enabled(if: OneDNN.supportsBF16, "\(noBF16)"))
    func gemmCloseToFloat() {
        let (m, n, k) = (128, 80, 300)
        let a: Matrix<Float> = randomMatrix(m, k, seed: 5, in: 0...1)
        let b: Matrix<Float> = randomMatrix(n, k, seed: 6, in: -1...1)
        var fp32 = Matrix<Float>(rows: m, columns: n)
        Matrix.multiply(a, b, transposeB: true, into: &fp32)
        var bf16 = Matrix<Float>(rows: m, columns: n)
        Matrix.multiply(BFloat16Matrix(a), BFloat16Matrix(b), transposeB: true, into: &bf16)
        // Each rounded operand is within 2⁻⁸ of its value, so each product within (2·2⁻⁸ + 2⁻¹⁶)
        // of its own: |C − Cᵦ| ≤ 2⁻⁷·Σₚ|aₚ||bₚ| (+ float32 accumulation, far smaller).
        for i in 0..<m {
            for j in 0..<n {
                let magnitude = (0..<k).reduce(0.0) { $0 + abs(Double(a[i, $1]) * Double(b[j, $1])) }
                #expect(abs(Double(bf16[i, j]) - Double(fp32[i, j])) <= (0x1p-7 + 0x1p-15) * magnitude + 1e-5)
            }
        }
        #expect(maxDifference(bf16, fp32) > 0, "the operands were rounded")
    }

    @Test("a workspace computes in bf16 where the CPU can, else falls back to fp32")
    func workspaceFallsBack() {
        let workspace = Workspace<Float>(sizes: [4, 3, 2], batchSize: 5, precision: .bf16)
        #expect(workspace.precision == (OneDNN.supportsBF16 ? .bf16 : .fp32))
        #expect(Precision.bf16.supported == (OneDNN.supportsBF16 ? .bf16 : .fp32))
        #expect(Precision.fp32.isSupported)
        #expect(workspace.roundedWeights.map(\.shape) == (OneDNN.supportsBF16 ? [[3, 4], [2, 3]] : []))
    }

    @Test("training defaults to bf16 only where the CPU has it and it outruns fp32")
    func preferredPrecision() {
        #expect(Precision.preferred.isSupported)
        #expect(Precision.preferred == (OneDNN.supportsBF16 && OneDNN.bf16OutrunsFP32 ? .bf16 : .fp32))
        #expect(!OneDNN.bf16OutrunsFP32 || OneDNN.supportsBF16, "no outrunning without bf16 instructions")
        #expect(TrainingOptions().precision == Precision.preferred)
    }

    /// The layer sizes of the backpropagation checks below.
    static let sizes = [30, 40, 20, 10]

    /// `network`'s gradient on a fixed batch of 32 (seeds 8 and 9), computed in `S` with `precision`
    /// products and the dropout `masks` given, as Doubles.
    static func gradients<S: NetworkScalar>(_ network: Network<Double>, _ precision: Precision, _: S.Type,
                                            masks: [Matrix<Double>?] = []) -> [Double] {
        var workspace = Workspace<S>(sizes: sizes, batchSize: 32, precision: precision)
        workspace.input = randomMatrix(32, 30, seed: 8, in: 0...1)
        workspace.labels = randomLabels(32, classes: 10, seed: 9)
        workspace.setMasks(masks.map { $0?.converted() })
        let n: Network<S> = network.converted()
        var g = n.zeroGradients()
        n.backpropagate(&workspace, reduction: .mean, into: &g)
        return flatGradients(g).map(Double.init)
    }

    /// Backpropagation in bf16 (Float on oneDNN) against the exact gradient (Double, fp32 products):
    /// within bfloat16 rounding, and against the Double bf16 path (the same roundings, exact sums): closer.
    @Test("bf16 backpropagation is within bfloat16 rounding of the exact gradient",
          .enabled(if: OneDNN.supportsBF16, "\(noBF16)"))
    func backpropagation() {
        let network: Network<Double> = randomNetwork(sizes: Self.sizes, hidden: .relu, seed: 7)
        let exact = Self.gradients(network, .fp32, Double.self)
        let bf16 = Self.gradients(network, .bf16, Float.self)
        let bf16Exact = Self.gradients(network, .bf16, Double.self)
        let scale = exact.map(abs).max()!
        let errorToExact = zip(bf16, exact).map { abs($0 - $1) }.max()!
        let errorToSameRounding = zip(bf16, bf16Exact).map { abs($0 - $1) }.max()!
        #expect(errorToExact < 0.02 * scale, "bf16 keeps about 3 significant digits per operand")
        #expect(errorToExact > 0, "bf16 rounds")
        #expect(errorToSameRounding < errorToExact, "the Double bf16 path rounds the same operands")
    }

    @Test("in bf16 a hidden layer's product writes bf16(a) itself: the bits of rounding the float32 product of the same operands",
          .enabled(if: OneDNN.supportsBF16, "\(noBF16)"))
    func hiddenLayersWriteBF16() {
        let sizes = [30, 40, 20, 10]
        let network: Network<Float> = randomNetwork(sizes: sizes, hidden: .relu, seed: 17)
        var workspace: Workspace<Float> = randomBatch(sizes: sizes, batchSize: 16, precision: .bf16, seed: 18)
        network.forward(&workspace)
        #expect(workspace.writesRounded(0) && workspace.writesRounded(1) && !workspace.writesRounded(2), "the logits stay float32")
        for l in 0..<2 {
            let layer = network.layers[l]
            let product = Product(m: 16, n: layer.outputSize, k: layer.inputSize, transposeB: true, precision: .bf16,
                                  bias: true, activation: .relu)
            var float32 = Matrix<Float>(rows: 16, columns: layer.outputSize)
            workspace.roundedInputs[l].bits.withUnsafeBytes { x in
                workspace.roundedWeights[l].bits.withUnsafeBytes { w in
                    float32.elements.withUnsafeMutableBufferPointer { product.run(a: x.baseAddress!, b: w.baseAddress!, bias: layer.bias.elements, into: $0.baseAddress!) }
                }
            }
            var rounded = BFloat16Matrix(rows: 16, columns: layer.outputSize)
            rounded.roundEachElement(float32)
            #expect(workspace.roundedInputs[l + 1] == rounded, "layer \(l)")
        }
    }

    @Test("bf16 backpropagation with dropout masks (float32 below a mask, then rounded) is within bfloat16 rounding of the exact gradient",
          .enabled(if: OneDNN.supportsBF16, "\(noBF16)"))
    func backpropagationWithMasks() {
        let network: Network<Double> = randomNetwork(sizes: Self.sizes, hidden: .sigmoid, seed: 27)
        var generator = SplitMix64(seed: 30)
        // The second layer's input, the first hidden layer's output, is dropped: that layer writes float32.
        let mask: Matrix<Double> = Matrix(rows: 32, columns: 40, elements: (0..<(32 * 40)).map { _ in generator.next() % 4 == 0 ? 0 : 4.0 / 3 })
        let exact = Self.gradients(network, .fp32, Double.self, masks: [nil, mask])
        let bf16 = Self.gradients(network, .bf16, Float.self, masks: [nil, mask])
        var workspace = Workspace<Float>(sizes: Self.sizes, batchSize: 32, precision: .bf16)
        workspace.setMasks([nil, mask.converted()])
        #expect(!workspace.writesRounded(0) && workspace.writesRounded(1))
        let scale = exact.map(abs).max()!
        #expect(zip(bf16, exact).map { abs($0 - $1) }.max()! < 0.02 * scale)
    }

    @Test("bf16 training steps: a momentum step agrees with backpropagate + update in bf16",
          .enabled(if: OneDNN.supportsBF16, "\(noBF16)"))
    func fusedStepInBF16() {
        let sizes = [20, 24, 10]
        let start: Network<Float> = randomNetwork(sizes: sizes, hidden: .relu, seed: 11)
        var workspace: Workspace<Float> = randomBatch(sizes: sizes, batchSize: 16, precision: .bf16, seed: 12)
        var fused = Momentum<Float>(learningRate: 0.05, momentum: 0.9)
        var plain = fused
        var (a, b) = (start, start)
        for _ in 0..<3 {
            var gradients = b.zeroGradients()
            b.backpropagate(&workspace, reduction: .mean, into: &gradients)
            plain.update(&b, gradients: gradients)
            fused.step(&a, on: &workspace, reduction: .mean)
        }
        // The two round δ and Δ = −ηδ separately: they agree to bfloat16 precision in each step's change.
        let change = zip(flatParameters(b), flatParameters(start)).map { abs($0 - $1) }.max()!
        let difference = zip(flatParameters(a), flatParameters(b)).map { abs($0 - $1) }.max()!
        #expect(difference < 0.02 * change)
    }
}

@Suite("bfloat16 weights written by the update")
struct RoundedWeightTests {
    @Test("after a bf16 momentum step each layer's rounded weights are exactly bf16 of its new weights",
          .enabled(if: OneDNN.supportsBF16, "this CPU has no bfloat16 instructions"))
    func updateRoundsAsItWrites() {
        let sizes = [12, 9, 4]
        var network: Network<Float> = randomNetwork(sizes: sizes, hidden: .relu, seed: 61)
        var workspace: Workspace<Float> = randomBatch(sizes: sizes, batchSize: 8, precision: .bf16, seed: 62)
        var optimizer = Momentum<Float>(learningRate: 0.1, momentum: 0.9, weightDecay: 0.01)
        for _ in 0..<3 {
            optimizer.step(&network, on: &workspace, reduction: .mean)
            for layer in network.layers {
                #expect(layer.roundedWeight?.bits == layer.weight.elements.map(bfloat16Bits))
            }
        }
    }

    @Test("any change to the weights drops their rounding, which is not part of a layer's value",
          .enabled(if: OneDNN.supportsBF16, "this CPU has no bfloat16 instructions"))
    func changeDropsRounding() {
        let sizes = [6, 5, 3]
        let start: Network<Float> = randomNetwork(sizes: sizes, hidden: .tanh, seed: 64)
        var workspace = Workspace<Float>(sizes: sizes, batchSize: 4, precision: .bf16)
        workspace.input = randomMatrix(4, 6, seed: 65, in: 0...1)
        workspace.labels = [0, 1, 2, 0]
        var viaAdam = start
        var adam = Adam<Float>(learningRate: 0.01)
        adam.step(&viaAdam, on: &workspace, reduction: .mean)
        #expect(viaAdam.layers.allSatisfy { $0.roundedWeight == nil }, "Adam's update does not round: the next step rounds again")

        var viaMomentum = start
        var momentum = Momentum<Float>(learningRate: 0.1)
        momentum.step(&viaMomentum, on: &workspace, reduction: .mean)
        #expect(viaMomentum.layers.allSatisfy { $0.roundedWeight != nil })
        var changed = viaMomentum
        changed.layers[0].weight[0, 0] += 1
        #expect(changed.layers[0].roundedWeight == nil && changed.layers[1].roundedWeight != nil)
        var reassigned = viaMomentum
        reassigned.layers[1].weight = viaMomentum.layers[1].weight
        #expect(reassigned.layers[1].roundedWeight == nil)
        #expect(reassigned == viaMomentum, "equal parameters, one rounded and one not: equal layers")
    }
}
