import Foundation
import Perceptron

/// The products of one training step, each timed alone on the engine's own primitive, and beside
/// it the best a bare product of the same shape reaches on this CPU (`dnnl_sgemm` and the matmul
/// primitive without post-ops; where the second operand is a weight matrix, with either of its
/// layouts): `perceptron bench`'s "products alone" and "product efficiency" lines.
///
/// The step of a network `sizes` with batch `B`, as ``Network/backpropagate(_:reduction:into:accumulating:)``
/// runs it under classic momentum: for each layer `in → out`, the forward `f(x·Wᵀ + b)`, the
/// weight gradient into a velocity (`β = μ`), the bias gradient `1ᵀ·δ` into its velocity and, above
/// the first layer, the input gradient `δ·W`.
struct ProductTiming {
    let sizes: [Int]
    let activation: Activation
    let batchSize: Int
    let precision: Precision
    let momentum: Float

    /// What a product computes in the step, and for which layer `l`.
    enum Role: CustomStringConvertible {
        case forward(Int), inputGradient(Int), weightGradient(Int), biasGradient(Int)

        var layer: Int {
            switch self { case .forward(let l), .inputGradient(let l), .weightGradient(let l), .biasGradient(let l): l }
        }

        /// Whether its B is a weight matrix, which could be stored the other way (its transpose);
        /// the weight and bias gradients' B is a layer's input or δ, written row by row by the pass.
        var readsWeights: Bool {
            switch self { case .forward, .inputGradient: true; case .weightGradient, .biasGradient: false }
        }

        /// `forward 0`, `input gradient 1`, …
        var description: String {
            switch self {
            case .forward(let l): "forward \(l)"
            case .inputGradient(let l): "input gradient \(l)"
            case .weightGradient(let l): "weight gradient \(l)"
            case .biasGradient(let l): "bias gradient \(l)"
            }
        }
    }

    struct Measurement {
        var product: Product
        var role: Role
        var implementation: String
        var seconds: Double
        var best: String
        var bestSeconds: Double
        var gflops: Double { product.flops / seconds / 1e9 }
        var bestGFLOPS: Double { product.flops / bestSeconds / 1e9 }
        var efficiency: Double { min(bestSeconds / seconds, 1) }
        var json: [String: Any] {
            ["product": product.description, "role": role.description, "implementation": implementation, "seconds": seconds,
             "gflops": gflops, "best_bare": best, "best_bare_gflops": bestGFLOPS, "efficiency": efficiency]
        }
    }

    /// The products of one step, in the order the step runs them.
    var products: [(Product, Role)] {
        var list: [(Product, Role)] = []
        let layers = sizes.count - 1
        // In bf16 a hidden layer's forward product and the input gradient below a layer write bfloat16.
        let rounds = { (l: Int) in precision == .bf16 && l < layers - 1 }
        for l in 0..<layers {
            list.append((Product(m: batchSize, n: sizes[l + 1], k: sizes[l], transposeB: true, precision: precision,
                                 bias: true, activation: l == layers - 1 ? .identity : activation, bf16Result: rounds(l)), .forward(l)))
        }
        for l in stride(from: layers - 1, through: 0, by: -1) {
            if l > 0 {
                list.append((Product(m: batchSize, n: sizes[l], k: sizes[l + 1], precision: precision, bf16Result: rounds(l - 1)),
                             .inputGradient(l)))
            }
            list.append((Product(m: sizes[l + 1], n: sizes[l], k: batchSize, transposeA: true, precision: precision, beta: Double(momentum)),
                         .weightGradient(l)))
            list.append((Product(m: 1, n: sizes[l + 1], k: batchSize, precision: precision, beta: Double(momentum)),
                         .biasGradient(l)))
        }
        return list
    }

    /// Each product of the step and its bare alternatives, timed in turn, round after round (7
    /// rounds of about 10 ms each), so that every comparison is made back to back; medians.
    func measure() -> [Measurement] {
        products.map { product, role in
            let layouts = role.readsWeights ? [false, true] : [false]
            var candidates: [(String, () -> Double)] = [("ours", { Self.time(product) })]
            for flipped in layouts {
                let bare = flipped ? Self.flipped(Self.bare(product)) : Self.bare(product)
                candidates.append((flipped ? "matmul, B other layout" : "matmul", { Self.time(bare, onPrimitive: true) }))
            }
            if product.precision == .fp32 {
                for flipped in layouts {
                    candidates.append((flipped ? "sgemm, B other layout" : "sgemm", { Self.timeSGEMM(product, flipped: flipped) }))
                }
            }
            var rounds = Array(repeating: [Double](), count: candidates.count)
            for _ in 0..<7 {
                for (i, candidate) in candidates.enumerated() { rounds[i].append(candidate.1()) }
            }
            let medians = rounds.map { $0.sorted()[$0.count / 2] }
            let best = (1..<candidates.count).min { medians[$0] < medians[$1] }!
            return Measurement(product: product, role: role, implementation: product.implementation, seconds: medians[0],
                               best: candidates[best].0, bestSeconds: medians[best])
        }
    }

    /// The same product without post-ops (what a bare GEMM computes).
    static func bare(_ p: Product) -> Product {
        Product(m: p.m, n: p.n, k: p.k, transposeA: p.transposeA, transposeB: p.transposeB, precision: p.precision, beta: p.beta,
                bf16Result: p.bf16Result)
    }

    /// The same product with B stored the other way (its transpose).
    static func flipped(_ p: Product) -> Product {
        var q = p
        q.transposeB.toggle()
        return q
    }

    /// The products of `steps` training steps run in the order and on the buffers a step uses (each
    /// layer's own weights, velocity, activations and δ, so that the caches see what training
    /// shows them), nothing else between them: the epoch's "products alone", in seconds.
    func secondsInOrder(steps: Int) -> Double {
        let element = precision == .bf16 ? 2 : 4
        // Mapped, not from malloc, so that unmapping them hands their pages back: the peak RSS
        // `perceptron bench` reads after a replay is training's again.
        var buffers: [(UnsafeMutableRawPointer, Int)] = []
        func buffer(_ count: Int) -> UnsafeMutableRawPointer {
            let bytes = max(count, 1) * 4
            let mapped = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
            guard let b = mapped, b != UnsafeMutableRawPointer(bitPattern: -1) else { fatalError("cannot map \(bytes) bytes for the replay") }
            b.initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
            buffers.append((b, bytes))
            return b
        }
        defer { buffers.forEach { munmap($0.0, $0.1) } }
        let layers = sizes.count - 1
        let weights = (0..<layers).map { buffer(sizes[$0] * sizes[$0 + 1] * element / 4 + 1) }
        let velocities = (0..<layers).map { buffer(sizes[$0] * sizes[$0 + 1]) }
        let inputs = (0..<layers).map { buffer(batchSize * sizes[$0] * element / 4 + 1) }  // x̃ₗ as the products read it
        let outputs = (0..<layers).map { buffer(batchSize * sizes[$0 + 1]) }                // aₗ (float32)
        let deltas = (0..<layers).map { buffer(batchSize * sizes[$0 + 1] * element / 4 + 1) }
        let below = (0..<layers).map { buffer(batchSize * sizes[$0]) }                      // δₗ₋₁ (float32)
        let bias = buffer(sizes.max()!).assumingMemoryBound(to: Float.self)
        let ones = buffer(batchSize)                                                         // 1 [1, B]
        let biasVelocities = (0..<layers).map { buffer(sizes[$0 + 1]) }
        let step = products
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<steps {
            for (product, role) in step {
                let l = role.layer
                switch role {
                case .forward: product.run(a: inputs[l], b: weights[l], bias: bias, into: product.bf16Result ? inputs[l + 1] : outputs[l])
                case .inputGradient: product.run(a: deltas[l], b: weights[l], bias: nil as UnsafePointer<Float>?, into: product.bf16Result ? deltas[l - 1] : below[l])
                case .biasGradient: product.run(a: ones, b: deltas[l], bias: nil as UnsafePointer<Float>?, into: biasVelocities[l])
                case .weightGradient: product.run(a: deltas[l], b: inputs[l], bias: nil as UnsafePointer<Float>?, into: velocities[l])
                }
            }
        }
        return (clock.now - start).seconds
    }

    /// The mean time of one call, over enough calls for about 10 ms (after 3 not timed); `onPrimitive`:
    /// on its matmul primitive even where the engine runs it on sgemm (``Product/runsOnSGEMM``).
    static func time(_ product: Product, onPrimitive: Bool = false) -> Double {
        let element = product.precision == .bf16 ? 2 : 4
        let a = UnsafeMutableRawPointer.allocate(byteCount: product.m * product.k * element, alignment: 64)
        let b = UnsafeMutableRawPointer.allocate(byteCount: product.k * product.n * element, alignment: 64)
        let c = UnsafeMutablePointer<Float>.allocate(capacity: product.m * product.n)
        let bias = UnsafeMutablePointer<Float>.allocate(capacity: product.n)
        defer { a.deallocate(); b.deallocate(); c.deallocate(); bias.deallocate() }
        a.initializeMemory(as: UInt8.self, repeating: 0, count: product.m * product.k * element)
        b.initializeMemory(as: UInt8.self, repeating: 0, count: product.k * product.n * element)
        c.initialize(repeating: 0, count: product.m * product.n)
        bias.initialize(repeating: 0, count: product.n)
        let biasOperand = product.bias ? UnsafePointer(bias) : nil
        if onPrimitive {
            return repeatedly(flops: product.flops) { product.runOnMatmulPrimitive(a: a, b: b, bias: biasOperand, into: c) }
        }
        return repeatedly(flops: product.flops) { product.run(a: a, b: b, bias: biasOperand, into: c) }
    }

    static func timeSGEMM(_ p: Product, flipped: Bool) -> Double {
        let a = [Float](repeating: 0, count: p.m * p.k), b = [Float](repeating: 0, count: p.k * p.n)
        var c = [Float](repeating: 0, count: p.m * p.n)
        let transposeB = flipped ? !p.transposeB : p.transposeB
        return a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    repeatedly(flops: p.flops) {
                        OneDNN.sgemm(transposeA: p.transposeA, transposeB: transposeB, m: p.m, n: p.n, k: p.k, alpha: 1,
                                     a: a.baseAddress!, lda: p.lda, b: b.baseAddress!, ldb: transposeB ? p.k : p.n,
                                     beta: Float(p.beta), c: c.baseAddress!, ldc: p.n)
                    }
                }
            }
        }
    }

    static func repeatedly(flops: Double, _ body: () -> Void) -> Double {
        let calls = max(20, min(Int(5e9 / max(flops, 1)), 20_000))  // about 10 ms at 500 GFLOP/s, or 20,000 calls
        for _ in 0..<3 { body() }
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<calls { body() }
        return (clock.now - start).seconds / Double(calls)
    }

    /// The CPU's model name (`/proc/cpuinfo`), e.g. `AMD EPYC`.
    static var cpuModel: String {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
              let colon = line.firstIndex(of: ":") else { return "unknown CPU" }
        return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
}
