import CDNNLShim
import Perceptron
import Testing

/// The engine's products, `C ← f(op(A)·op(B) + b) + β·C`, on oneDNN's matmul primitives (Float)
/// against the reference loops (Double), for every layout, post-op and precision the passes use.
@Suite("Products on oneDNN")
struct ProductTests {
    static let noBF16 = "this CPU has no bfloat16 instructions (oneDNN: \(OneDNN.instructionSet))"

    /// Runs `product` on Float operands through oneDNN and on the same values in Double through
    /// ``referenceProduct(_:a:b:bias:c:)``; returns both results.
    func both(_ product: Product, seed: UInt64) -> (Matrix<Float>, Matrix<Double>) {
        let (m, n, k) = (product.m, product.n, product.k)
        let a: Matrix<Float> = randomMatrix(product.transposeA ? k : m, product.transposeA ? m : k, seed: seed, in: -1...1)
        let b: Matrix<Float> = randomMatrix(product.transposeB ? n : k, product.transposeB ? k : n, seed: seed + 1, in: -1...1)
        let bias: Matrix<Float> = randomMatrix(1, n, seed: seed + 2, in: -1...1)
        let start: Matrix<Float> = randomMatrix(m, n, seed: seed + 3, in: -1...1)
        var c = start
        var exact: Matrix<Double> = start.converted()
        let biasD: Matrix<Double> = bias.converted()
        func reference(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) {
            biasD.elements.withUnsafeBufferPointer { bias in
                exact.elements.withUnsafeMutableBufferPointer {
                    referenceProduct(product, a: a.baseAddress!, b: b.baseAddress!, bias: bias.baseAddress, c: $0.baseAddress!)
                }
            }
        }
        switch product.precision {
        case .fp32:  // the reference reads the same values in Double
            let (aD, bD): (Matrix<Double>, Matrix<Double>) = (a.converted(), b.converted())
            run(product, a.elements, b.elements, bias, &c)
            aD.elements.withUnsafeBytes { a in bD.elements.withUnsafeBytes { b in reference(a, b) } }
        case .bf16:  // both read the same bfloat16 bits
            let (ra, rb) = (BFloat16Matrix(a), BFloat16Matrix(b))
            run(product, ra.bits, rb.bits, bias, &c)
            ra.bits.withUnsafeBytes { a in rb.bits.withUnsafeBytes { b in reference(a, b) } }
        }
        return (c, exact)
    }

    func run<E>(_ product: Product, _ a: [E], _ b: [E], _ bias: Matrix<Float>, _ c: inout Matrix<Float>) {
        a.withUnsafeBytes { a in
            b.withUnsafeBytes { b in
                bias.elements.withUnsafeBufferPointer { bias in
                    c.elements.withUnsafeMutableBufferPointer {
                        product.run(a: a.baseAddress!, b: b.baseAddress!, bias: product.bias ? bias.baseAddress : nil, into: $0.baseAddress!)
                    }
                }
            }
        }
    }

    static let layouts = [(false, false), (false, true), (true, false), (true, true)]

    @Test("fp32 products with every layout, bias, activation and β agree with the reference",
          arguments: layouts, Activation.allCases)
    func fp32(layout: (Bool, Bool), activation: Activation) {
        for (bias, beta) in [(false, 0.0), (true, 0), (false, 0.9), (true, 0.25)] {
            let product = Product(m: 19, n: 17, k: 29, transposeA: layout.0, transposeB: layout.1, bias: bias,
                                  activation: activation, beta: beta)
            let (c, exact) = both(product, seed: 100)
            #expect(maxDifference(c.converted(to: Double.self), exact) < 1e-5, "\(product)")
        }
    }

    @Test("a thin float32 product with nothing fused but β (m or k ≤ 16: a bias gradient 1ᵀ·δ, the top layer's δᵀ·x and δ·W) runs on sgemm, and agrees with the reference",
          arguments: layouts)
    func thinProducts(layout: (Bool, Bool)) {
        for (m, k) in [(1, 128), (10, 128), (16, 40), (128, 10), (40, 16)] {
            for beta in [0.0, 0.9, 1] {
                let product = Product(m: m, n: 37, k: k, transposeA: layout.0, transposeB: layout.1, beta: beta)
                #expect(product.runsOnSGEMM && product.implementation == "sgemm", "\(product)")
                let (c, exact) = both(product, seed: 150)
                #expect(maxDifference(c.converted(to: Double.self), exact) < 1e-5, "\(product)")
            }
        }
        // Anything fused, a wider product, another precision: a matmul primitive.
        #expect(!Product(m: 1, n: 37, k: 128, bias: true).runsOnSGEMM)
        #expect(!Product(m: 128, n: 10, k: 800, transposeB: true, bias: true).runsOnSGEMM)  // the top layer's forward (transposed)
        #expect(!Product(m: 1, n: 37, k: 128, activation: .relu).runsOnSGEMM)
        #expect(!Product(m: 17, n: 37, k: 17).runsOnSGEMM)
        #expect(!Product(m: 1, n: 37, k: 128, precision: .bf16).runsOnSGEMM)
        #expect(!Product(m: 1, n: 37, k: 128, precision: .bf16, bf16Result: true).runsOnSGEMM)
    }

    @Test("a narrow, deep float32 forward product (x̃·Wᵀ + b with at most 16 outputs and at least 256 inputs: B's and C's top layer) runs as its transpose on sgemm, and agrees with the reference")
    func narrowForwardProducts() {
        for (m, k, n) in [(128, 1024, 10), (1, 800, 10), (19, 256, 16), (7, 300, 1)] {
            for bias in [true, false] {
                let product = Product(m: m, n: n, k: k, transposeB: true, bias: bias)
                #expect(product.runsTransposedOnSGEMM && !product.runsOnSGEMM && product.implementation == "sgemm of the transpose", "\(product)")
                let (c, exact) = both(product, seed: 160)
                #expect(maxDifference(c.converted(to: Double.self), exact) < 1e-4, "\(product)")
            }
        }
        // Another layout, anything fused but the bias, β, another precision, a wider layer: not this way.
        #expect(!Product(m: 128, n: 10, k: 800, bias: true).runsTransposedOnSGEMM)
        #expect(!Product(m: 128, n: 10, k: 800, transposeA: true, transposeB: true, bias: true).runsTransposedOnSGEMM)
        #expect(!Product(m: 128, n: 10, k: 800, transposeB: true, bias: true, activation: .relu).runsTransposedOnSGEMM)
        #expect(!Product(m: 128, n: 10, k: 800, transposeB: true, beta: 0.9).runsTransposedOnSGEMM)
        #expect(!Product(m: 128, n: 10, k: 800, transposeB: true, precision: .bf16, bias: true).runsTransposedOnSGEMM)
        #expect(!Product(m: 128, n: 17, k: 800, transposeB: true, bias: true).runsTransposedOnSGEMM)
        #expect(!Product(m: 128, n: 10, k: 100, transposeB: true, bias: true).runsTransposedOnSGEMM)  // A's: too shallow
    }

    @Test("an accumulating product as large as a weight gradient (C ← δᵀ·x + 0.9·C) agrees with the reference; on oneDNN's gemm, bit for bit with C ← 0.9·C, then C ← δᵀ·x + C")
    func largeAccumulation() {
        let product = Product(m: 320, n: 210, k: 64, transposeA: true, beta: 0.9)  // 67,200 elements of C
        let (c, exact) = both(product, seed: 170)
        #expect(maxDifference(c.converted(to: Double.self), exact) < 1e-5)
        guard product.implementation.hasPrefix("gemm") else { return }  // brgemm accumulates in its kernel
        #expect(product.implementation.hasSuffix("β·C apart"))
        // The gemm's own two steps (its scalar loop, then β = 1), which the split runs as they are.
        let added = Product(m: 320, n: 210, k: 64, transposeA: true, beta: 1)
        let a: Matrix<Float> = randomMatrix(64, 320, seed: 170, in: -1...1)
        let b: Matrix<Float> = randomMatrix(64, 210, seed: 171, in: -1...1)
        var twoSteps: Matrix<Float> = randomMatrix(320, 210, seed: 173, in: -1...1)
        twoSteps.elements = twoSteps.elements.map { Float(0.9) * $0 }
        run(added, a.elements, b.elements, Matrix(rows: 1, columns: 210), &twoSteps)
        #expect(c.elements == twoSteps.elements)
    }

    @Test("bf16 products agree with the reference on the same bfloat16 values",
          .enabled(if: OneDNN.supportsBF16, "\(noBF16)"), arguments: layouts)
    func bf16(layout: (Bool, Bool)) {
        for (activation, beta) in [(Activation.identity, 0.0), (.relu, 0), (.sigmoid, 0), (.identity, 0.9)] {
            let product = Product(m: 19, n: 11, k: 37, transposeA: layout.0, transposeB: layout.1, precision: .bf16,
                                  bias: activation != .identity, activation: activation, beta: beta)
            let (c, exact) = both(product, seed: 200)
            #expect(maxDifference(c.converted(to: Double.self), exact) < 1e-4, "\(product)")
        }
    }

    @Test("a float32 forward product wider than 16 outputs (x̃·Wᵀ + b, ReLU or none) agrees with the reference, through its transpose on an Intel CPU and directly elsewhere")
    func float32ForwardWide() {
        for (m, k, n) in [(128, 784, 800), (1, 64, 17), (19, 37, 33)] {
            for (activation, bias) in [(Activation.relu, true), (.identity, true), (.identity, false)] {
                let product = Product(m: m, n: n, k: k, transposeB: true, bias: bias, activation: activation)
                let thin = m <= Product.narrowest && !bias  // nothing fused: sgemm's (thinProducts, above)
                #expect(product.runsOnSGEMM == thin, "\(product)")
                #expect(product.runsThroughTranspose == (OneDNN.cpuIsIntel && !thin), "\(product)")
                #expect(product.implementation.hasSuffix(" of the transpose") == (OneDNN.cpuIsIntel && !thin), "\(product)")
                let (c, exact) = both(product, seed: 220)
                #expect(maxDifference(c.converted(to: Double.self), exact) < 1e-4, "\(product)")
            }
        }
    }

    @Test("a bf16 forward product wider than 16 outputs (x̃·Wᵀ + b, ReLU or none) runs through its transpose and agrees with the reference, written in float32 or in bfloat16",
          .enabled(if: OneDNN.supportsBF16, "\(noBF16)"))
    func bf16ForwardThroughTranspose() {
        for (m, k, n) in [(128, 784, 800), (1, 64, 17), (19, 37, 33)] {
            for (activation, bias) in [(Activation.relu, true), (.identity, true), (.identity, false)] {
                let product = Product(m: m, n: n, k: k, transposeB: true, precision: .bf16, bias: bias, activation: activation)
                #expect(product.runsThroughTranspose && product.implementation.hasSuffix(" of the transpose"), "\(product)")
                let (c, exact) = both(product, seed: 210)
                #expect(maxDifference(c.converted(to: Double.self), exact) < 1e-3, "\(product)")
                // Written in bfloat16: the float32 result rounded, within half a bfloat16 step.
                let rounded = Product(m: m, n: n, k: k, transposeB: true, precision: .bf16, bias: bias, activation: activation, bf16Result: true)
                #expect(rounded.runsThroughTranspose)
                let a = BFloat16Matrix(randomMatrix(m, k, seed: 210, in: -1...1) as Matrix<Float>)
                let w = BFloat16Matrix(randomMatrix(n, k, seed: 211, in: -1...1) as Matrix<Float>)
                let b: Matrix<Float> = randomMatrix(1, n, seed: 212, in: -1...1)
                var bits = [UInt16](repeating: 0xFFFF, count: m * n)
                a.bits.withUnsafeBytes { a in
                    w.bits.withUnsafeBytes { w in
                        b.elements.withUnsafeBufferPointer { b in
                            bits.withUnsafeMutableBytes { rounded.run(a: a.baseAddress!, b: w.baseAddress!, bias: bias ? b.baseAddress : nil, into: $0.baseAddress!) }
                        }
                    }
                }
                let worst = zip(bits, exact.elements).map { abs(Double(float(bfloat16Bits: $0)) - $1) - abs($1) / 256 }.max() ?? 0
                #expect(worst < 1e-3, "\(rounded)")
                // Exactly the float32 result of the same operands, rounded by bfloat16Bits.
                var floats = [Float](repeating: .nan, count: m * n)
                a.bits.withUnsafeBytes { a in
                    w.bits.withUnsafeBytes { w in
                        b.elements.withUnsafeBufferPointer { b in
                            floats.withUnsafeMutableBytes { product.run(a: a.baseAddress!, b: w.baseAddress!, bias: bias ? b.baseAddress : nil, into: $0.baseAddress!) }
                        }
                    }
                }
                #expect(bits == floats.map(bfloat16Bits), "\(rounded)")
            }
        }
        // Float32 only on an Intel CPU; β, a transposed A, another activation, a narrow layer: the direct way.
        #expect(Product(m: 128, n: 800, k: 784, transposeB: true, bias: true, activation: .relu).runsThroughTranspose == OneDNN.cpuIsIntel)
        #expect(!Product(m: 128, n: 800, k: 784, transposeB: true, precision: .bf16, beta: 0.9).runsThroughTranspose)
        #expect(!Product(m: 128, n: 800, k: 784, transposeA: true, transposeB: true, precision: .bf16).runsThroughTranspose)
        #expect(!Product(m: 128, n: 800, k: 784, transposeB: true, precision: .bf16, bias: true, activation: .sigmoid).runsThroughTranspose)
        #expect(!Product(m: 128, n: 800, k: 784, precision: .bf16, bias: true, activation: .relu).runsThroughTranspose)
        #expect(!Product(m: 128, n: 10, k: 800, transposeB: true, precision: .bf16, bias: true).runsThroughTranspose)
    }

    @Test("oneDNN's derivative equals the activation's own, element by element", arguments: [Activation.relu, .sigmoid, .tanh])
    func derivative(activation: Activation) {
        let z: Matrix<Float> = randomMatrix(9, 31, seed: 300, in: -3...3)
        var a = z
        activation.apply(to: &a, addingBias: Matrix(rows: 1, columns: 31))
        let delta: Matrix<Float> = randomMatrix(9, 31, seed: 301)
        var viaOneDNN = delta
        var reference = delta
        let count = delta.elements.count
        a.elements.withUnsafeBufferPointer { a in
            viaOneDNN.elements.withUnsafeMutableBufferPointer { Float.multiplyByDerivative(of: activation, $0.baseAddress!, outputs: a.baseAddress!, count: count) }
            reference.elements.withUnsafeMutableBufferPointer { activation.multiplyByDerivative($0.baseAddress!, outputs: a.baseAddress!, count: count) }
        }
        #expect(maxDifference(viaOneDNN, reference) < 1e-6)
    }

    @Test("the bf16 ReLU derivative has the bits of oneDNN's element-wise backward primitive, on ±0, negatives, NaNs and infinities",
          .enabled(if: OneDNN.supportsBF16, "\(noBF16)"))
    func bf16ReLUDerivative() throws {
        var generator = SplitMix64(seed: 302)
        let special: [UInt16] = [0x0000, 0x8000, 0x3F80, 0xBF80, 0x7F80, 0xFF80, 0x7FC1, 0xFFC1, 0x7F81, 0xFF81, 0x0080, 0x8080]
        let count = 1_000 + 37  // blocks of 32 and a tail
        let outputs = (0 ..< count).map { _ in special[Int(generator.next() % UInt64(special.count))] }
        let deltas = (0 ..< count).map { i in
            i % 3 == 0 ? special[Int(generator.next() % UInt64(special.count))] : bfloat16Bits(Float(Int(generator.next() % 2001) - 1000) / 100)
        }
        var ours = deltas, oneDNN = deltas
        outputs.withUnsafeBufferPointer { a in
            ours.withUnsafeMutableBufferPointer { Float.multiplyByDerivative(of: .relu, bfloat16: $0.baseAddress!, outputs: a.baseAddress!, count: count) }
        }
        let primitive = try #require(perceptron_derivative_create(perceptron_activation_relu, Int64(count), 0, 1, nil, 0))
        defer { perceptron_derivative_destroy(primitive) }
        #expect(perceptron_derivative_run(primitive, outputs, &oneDNN) == 0)
        #expect(ours == oneDNN)
        #expect(ours.enumerated().contains { $0.element != deltas[$0.offset] } && ours.enumerated().contains { $0.element == deltas[$0.offset] },
                "the ReLU stops some δ and passes others")
    }

    @Test("rounding a Float matrix on oneDNN gives the bits of bfloat16Bits (normal numbers)")
    func rounding() {
        var values: [Float] = randomMatrix(7, 9, seed: 400, in: -5...5).elements
        values += [0, -0, 1, -1, 0x1.00_8p0, 0x1.01_8p0, .infinity, -.infinity, 3.3895e38, 1e-30]
        let m = Matrix(rows: 1, columns: values.count, elements: values)
        #expect(BFloat16Matrix(m).bits == values.map(bfloat16Bits))
    }
}
