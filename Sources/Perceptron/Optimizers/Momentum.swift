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
public struct Momentum<Scalar: NetworkScalar>: Optimizer, Equatable {
    /// `η`
    public var learningRate: Scalar
    /// `μ`
    public var momentum: Scalar
    /// Nesterov's look-ahead step instead of the classic one.
    public var nesterov: Bool
    /// `λ`
    public var weightDecay: Scalar
    /// `v`, one per layer, shaped like the parameters; empty until the first update.
    public var velocity: [DenseGradient<Scalar>] = []

    public init(learningRate: Scalar, momentum: Scalar = 0.9, nesterov: Bool = false, weightDecay: Scalar = 0) {
        self.learningRate = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
        self.weightDecay = weightDecay
    }

    public mutating func update(_ network: inout Network<Scalar>, gradients: [DenseGradient<Scalar>]) {
        if velocity.isEmpty { velocity = network.zeroGradients() }
        let (η, μ, λ, nesterov) = (learningRate, momentum, weightDecay, nesterov)
        for l in network.layers.indices {
            Self.step(&network.layers[l].weight, gradient: gradients[l].weight, velocity: &velocity[l].weight,
                      learningRate: η, momentum: μ, decay: λ, nesterov: nesterov)
            Self.step(&network.layers[l].bias, gradient: gradients[l].bias, velocity: &velocity[l].bias,
                      learningRate: η, momentum: μ, decay: 0, nesterov: nesterov)
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

    /// One parameter tensor's step (see the type's description).
    static func step(_ theta: inout Matrix<Scalar>, gradient: Matrix<Scalar>, velocity: inout Matrix<Scalar>,
                     learningRate η: Scalar, momentum μ: Scalar, decay λ: Scalar, nesterov: Bool) {
        let count = theta.elements.count
        gradient.elements.withUnsafeBufferPointer { g in
            velocity.elements.withUnsafeMutableBufferPointer { v in
                theta.elements.withUnsafeMutableBufferPointer { θ in
                    guard let g = g.baseAddress, let v = v.baseAddress, let θ = θ.baseAddress else { return }
                    if nesterov {
                        for i in 0..<count {
                            let step = η * (g[i] + λ * θ[i])
                            v[i] = μ * v[i] - step
                            θ[i] += μ * v[i] - step
                        }
                    } else {
                        for i in 0..<count {
                            v[i] = μ * v[i] - η * (g[i] + λ * θ[i])
                            θ[i] += v[i]
                        }
                    }
                }
            }
        }
    }
}
