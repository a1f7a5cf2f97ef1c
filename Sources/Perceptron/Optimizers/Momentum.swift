/// Gradient descent with momentum (Polyak's heavy ball, or Nesterov's look-ahead), with optional
/// L2 weight decay.
///
/// ```
/// g = ∇θ + λθ                    (λθ for weights only: biases are not decayed)
/// v ← μv − ηg
/// θ ← θ + v                      classic
/// θ ← θ + μv − ηg                Nesterov
/// ```
/// `μ = 0` is plain gradient descent. `v` starts at zero.
///
/// The classic rule never writes the gradient: backpropagation writes the velocity itself, asked
/// for `G ← −η·∇ + μ·G` with `G = v` (the weight-gradient product does it), and the update is then
/// `v ← v − ηλW` (with weight decay), `θ ← θ + v`. Nesterov's step reads the gradient: it is
/// written out, and the update does the rest.
public struct Momentum<Scalar: NetworkScalar>: Optimizer, Equatable {
    /// `η`
    public var learningRate: Scalar
    /// `μ`
    public var momentum: Scalar
    /// Nesterov's look-ahead step instead of the classic one.
    public var nesterov: Bool
    /// `λ`
    public var weightDecay: Scalar
    /// `v`, one per layer, shaped like the parameters; empty until the first step.
    public var velocity: [DenseGradient<Scalar>] = []
    /// Nesterov's gradients, written by backpropagation (not state: each step rewrites them).
    private var gradients: [DenseGradient<Scalar>] = []

    /// Momentum of step size `η` and momentum `μ` (0.9 unless given; `μ = 0` is plain gradient
    /// descent), classic or Nesterov's, with L2 weight decay `λ` (none unless given).
    public init(learningRate: Scalar, momentum: Scalar = 0.9, nesterov: Bool = false, weightDecay: Scalar = 0) {
        self.learningRate = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
        self.weightDecay = weightDecay
    }

    public mutating func setMomentum(_ μ: Scalar) { momentum = μ }

    /// Classic: the velocity, `v ← μv − η∇`. Nesterov: the gradient.
    public mutating func withGradientDestination<R>(
        for network: Network<Scalar>,
        _ body: (inout [DenseGradient<Scalar>], GradientAccumulation<Scalar>) throws -> R) rethrows -> R {
        if velocity.isEmpty { velocity = network.zeroGradients() }
        if nesterov {
            if gradients.isEmpty { gradients = network.zeroGradients() }
            return try body(&gradients, .overwrite)
        }
        return try body(&velocity, GradientAccumulation(scale: -learningRate, decay: momentum))
    }

    public mutating func update(_ network: inout Network<Scalar>) {
        let (η, μ, λ) = (learningRate, momentum, weightDecay)
        for l in network.layers.indices {
            if nesterov {
                Self.nesterovStep(&network.layers[l].weight, gradient: gradients[l].weight, velocity: &velocity[l].weight,
                                  learningRate: η, momentum: μ, decay: λ)
                Self.nesterovStep(&network.layers[l].bias, gradient: gradients[l].bias, velocity: &velocity[l].bias,
                                  learningRate: η, momentum: μ, decay: 0)
            } else {
                // The weights' bfloat16 copy, where the step used one, is rewritten by the update.
                var rounded = network.layers[l].roundedWeight
                network.layers[l].roundedWeight = nil  // `rounded` alone holds its buffer
                Self.move(&network.layers[l].weight, by: &velocity[l].weight, decay: η * λ, rounding: &rounded)
                network.layers[l].roundedWeight = rounded
                var none: BFloat16Matrix?
                Self.move(&network.layers[l].bias, by: &velocity[l].bias, decay: 0, rounding: &none)
            }
        }
    }

    /// `v ← v − d·θ` (when `d ≠ 0`), then `θ ← θ + v`; and `r ← bf16(θ)`, when a rounding `r` is
    /// given — in one pass, where the CPU has AVX-512 (``Matrix/add(_:rounding:)``).
    @_specialize(where Scalar == Float)
    static func move(_ theta: inout Matrix<Scalar>, by velocity: inout Matrix<Scalar>, decay d: Scalar,
                     rounding: inout BFloat16Matrix?) {
        if d != 0 { decay(&velocity, by: d, of: theta) }
        theta.add(velocity, rounding: &rounding)
    }

    /// `v ← v − d·θ`.
    @_specialize(where Scalar == Float)
    private static func decay(_ velocity: inout Matrix<Scalar>, by d: Scalar, of theta: Matrix<Scalar>) {
        let count = theta.elements.count
        theta.elements.withUnsafeBufferPointer { θ in
            velocity.elements.withUnsafeMutableBufferPointer { v in
                guard let θ = θ.baseAddress, let v = v.baseAddress else { return }
                Parallel.forEachRange(count, with: (v, θ, d)) { p, range in
                    let (v, θ, d) = p
                    for i in range { v[i] -= d * θ[i] }
                }
            }
        }
    }

    /// `velocity.l.weight` and `velocity.l.bias` for every layer `l`.
    public var state: [String: Matrix<Scalar>] {
        var state: [String: Matrix<Scalar>] = [:]
        for (l, v) in velocity.enumerated() {
            state["velocity.\(l).weight"] = v.weight
            state["velocity.\(l).bias"] = v.bias
        }
        return state
    }

    public mutating func restore(_ state: [String: Matrix<Scalar>], for network: Network<Scalar>) throws(OptimizerStateError) {
        guard !state.isEmpty else { velocity = []; return }
        var restored = network.zeroGradients()
        for l in restored.indices {
            for (name, shape) in [("weight", restored[l].weight.shape), ("bias", restored[l].bias.shape)] {
                guard let matrix = state["velocity.\(l).\(name)"] else { throw OptimizerStateError("velocity.\(l).\(name) is missing") }
                guard matrix.shape == shape else { throw OptimizerStateError("velocity.\(l).\(name) is \(matrix.shape), the layer needs \(shape)") }
                if name == "weight" { restored[l].weight = matrix } else { restored[l].bias = matrix }
            }
        }
        velocity = restored
    }

    /// One parameter tensor's Nesterov step: `g' = g + λθ`, `v ← μv − ηg'`, `θ ← θ + μv − ηg'`.
    @_specialize(where Scalar == Float)
    static func nesterovStep(_ theta: inout Matrix<Scalar>, gradient: Matrix<Scalar>, velocity: inout Matrix<Scalar>,
                             learningRate η: Scalar, momentum μ: Scalar, decay λ: Scalar) {
        let count = theta.elements.count
        gradient.elements.withUnsafeBufferPointer { g in
            velocity.elements.withUnsafeMutableBufferPointer { v in
                theta.elements.withUnsafeMutableBufferPointer { θ in
                    guard let g = g.baseAddress, let v = v.baseAddress, let θ = θ.baseAddress else { return }
                    for i in 0..<count {
                        let step = η * (g[i] + λ * θ[i])
                        v[i] = μ * v[i] - step
                        θ[i] += μ * v[i] - step
                    }
                }
            }
        }
    }
}
