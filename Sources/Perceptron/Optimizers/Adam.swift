/// Adam (Kingma & Ba, 2015), and AdamW's decoupled weight decay (Loshchilov & Hutter, 2019).
///
/// With `t` the step count (from 1) and `g = ∇θ`:
/// ```
/// g ← g + λθ                                  Adam's L2 (weights only); AdamW leaves g alone
/// m ← β₁m + (1 − β₁)g                         a running mean of the gradient
/// v ← β₂v + (1 − β₂)g²                        a running mean of its square
/// m̂ = m / (1 − β₁ᵗ),  v̂ = v / (1 − β₂ᵗ)         bias correction: m and v start at 0
/// θ ← θ − η·m̂ / (√v̂ + ε)
/// θ ← θ − ηλθ                                 AdamW only (weights only)
/// ```
/// Each parameter gets its own step size, `η / (√v̂ + ε)`: large where gradients are small and
/// steady, small where they are large or noisy.
public struct Adam<Scalar: NetworkScalar>: Optimizer, Equatable {
    /// `η`
    public var learningRate: Scalar
    /// `β₁`, the decay of `m`, the running mean of the gradient.
    public var beta1: Scalar
    /// `β₂`, the decay of `v`, the running mean of the squared gradient.
    public var beta2: Scalar
    /// `ε`
    public var epsilon: Scalar
    /// `λ`
    public var weightDecay: Scalar
    /// AdamW's decoupled decay instead of Adam's L2 term in the gradient.
    public var decoupled: Bool
    /// `m`, the running mean of the gradient: one per layer, shaped like the parameters; empty until
    /// the first update.
    public private(set) var firstMoment: [DenseGradient<Scalar>] = []
    /// `v`, the running mean of the squared gradient `g²` (element-wise): one per layer, shaped like
    /// the parameters; empty until the first update.
    public private(set) var secondMoment: [DenseGradient<Scalar>] = []
    /// `t`, the number of updates so far.
    public private(set) var step = 0
    /// The gradients, written by backpropagation (not state: each step rewrites them).
    private var gradients: [DenseGradient<Scalar>] = []

    /// Adam of step size `η`, moment decays `β₁`, `β₂` and `ε` (by default Kingma & Ba's: `η = 10⁻³`,
    /// `β₁ = 0.9`, `β₂ = 0.999`, `ε = 10⁻⁸`), and weight decay `λ` (none by default): Adam's L2
    /// term, or AdamW's decoupled decay when `decoupled`.
    public init(learningRate: Scalar = 0.001, beta1: Scalar = 0.9, beta2: Scalar = 0.999, epsilon: Scalar = 1e-8,
                weightDecay: Scalar = 0, decoupled: Bool = false) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decoupled = decoupled
    }

    /// The gradients themselves, written out.
    public mutating func withGradientDestination<R>(
        for network: Network<Scalar>,
        _ body: (inout [DenseGradient<Scalar>], GradientAccumulation<Scalar>) throws -> R) rethrows -> R {
        if gradients.isEmpty { gradients = network.zeroGradients() }
        return try body(&gradients, .overwrite)
    }

    public mutating func update(_ network: inout Network<Scalar>) {
        if firstMoment.isEmpty {
            firstMoment = network.zeroGradients()
            secondMoment = network.zeroGradients()
        }
        step += 1
        let t = Scalar(step)
        let coefficients = Coefficients(
            learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
            correction1: 1 - Self.power(beta1, t), correction2: 1 - Self.power(beta2, t))
        for l in network.layers.indices {
            Self.update(&network.layers[l].weight, gradients[l].weight, &firstMoment[l].weight, &secondMoment[l].weight,
                        coefficients, l2: decoupled ? 0 : weightDecay, decay: decoupled ? weightDecay : 0)
            Self.update(&network.layers[l].bias, gradients[l].bias, &firstMoment[l].bias, &secondMoment[l].bias,
                        coefficients, l2: 0, decay: 0)
        }
    }

    struct Coefficients {
        var learningRate, beta1, beta2, epsilon, correction1, correction2: Scalar
    }

    static func power(_ base: Scalar, _ exponent: Scalar) -> Scalar {
        Scalar.exp(exponent * Scalar.log(base))
    }

    @_specialize(where Scalar == Float)
    static func update(_ theta: inout Matrix<Scalar>, _ gradient: Matrix<Scalar>, _ m: inout Matrix<Scalar>, _ v: inout Matrix<Scalar>,
                       _ c: Coefficients, l2: Scalar, decay: Scalar) {
        let count = theta.elements.count
        gradient.elements.withUnsafeBufferPointer { g in
            m.elements.withUnsafeMutableBufferPointer { m in
                v.elements.withUnsafeMutableBufferPointer { v in
                    theta.elements.withUnsafeMutableBufferPointer { θ in
                        guard let g = g.baseAddress, let m = m.baseAddress, let v = v.baseAddress, let θ = θ.baseAddress else { return }
                        for i in 0..<count {
                            let gi = g[i] + l2 * θ[i]
                            m[i] = c.beta1 * m[i] + (1 - c.beta1) * gi
                            v[i] = c.beta2 * v[i] + (1 - c.beta2) * gi * gi
                            let mHat = m[i] / c.correction1
                            let vHat = v[i] / c.correction2
                            θ[i] -= c.learningRate * (mHat / (vHat.squareRoot() + c.epsilon) + decay * θ[i])
                        }
                    }
                }
            }
        }
    }

    /// `adam.m.l.weight`, `adam.v.l.weight`, … and `adam.step` (a 1×1 matrix).
    public var state: [String: Matrix<Scalar>] {
        var state: [String: Matrix<Scalar>] = [:]
        guard !firstMoment.isEmpty else { return state }
        for l in firstMoment.indices {
            state["adam.m.\(l).weight"] = firstMoment[l].weight
            state["adam.m.\(l).bias"] = firstMoment[l].bias
            state["adam.v.\(l).weight"] = secondMoment[l].weight
            state["adam.v.\(l).bias"] = secondMoment[l].bias
        }
        state["adam.step"] = Matrix(rows: 1, columns: 1, elements: [Scalar(step)])
        return state
    }

    public mutating func restore(_ state: [String: Matrix<Scalar>], for network: Network<Scalar>) throws(OptimizerStateError) {
        guard !state.isEmpty else { firstMoment = []; secondMoment = []; step = 0; return }
        var m = network.zeroGradients(), v = network.zeroGradients()
        for l in m.indices {
            for (moment, name) in [("m", "weight"), ("m", "bias"), ("v", "weight"), ("v", "bias")] {
                let key = "adam.\(moment).\(l).\(name)"
                let shape = name == "weight" ? m[l].weight.shape : m[l].bias.shape
                guard let matrix = state[key] else { throw OptimizerStateError("\(key) is missing") }
                guard matrix.shape == shape else { throw OptimizerStateError("\(key) is \(matrix.shape), the layer needs \(shape)") }
                switch (moment, name) {
                case ("m", "weight"): m[l].weight = matrix
                case ("m", _): m[l].bias = matrix
                case (_, "weight"): v[l].weight = matrix
                default: v[l].bias = matrix
                }
            }
        }
        guard let steps = state["adam.step"]?.elements.first, steps >= 0, steps == steps.rounded() else {
            throw OptimizerStateError("adam.step is missing or not a whole number")
        }
        firstMoment = m
        secondMoment = v
        step = Int(steps)
    }
}
