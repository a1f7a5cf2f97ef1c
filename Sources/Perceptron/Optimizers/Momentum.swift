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
/// Training runs the classic step fused into backpropagation (``fusedStep(_:on:reduction:)``, through
/// ``step(_:on:reduction:gradients:)``): the weight-gradient product writes `v` itself.
/// Nesterov's step takes the gradients (``update(_:gradients:)``).
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

    /// One training step: ``fusedStep(_:on:reduction:)`` for the classic rule (`gradients` is left
    /// alone); backpropagation into `gradients`, then ``update(_:gradients:)``, for Nesterov's.
    @discardableResult
    public mutating func step(_ network: inout Network<Scalar>, on workspace: inout Workspace<Scalar>,
                              reduction: LossReduction, gradients: inout [DenseGradient<Scalar>]) -> (lossSum: Double, correct: Int) {
        if !nesterov { return fusedStep(&network, on: &workspace, reduction: reduction) }
        let result = network.backpropagate(&workspace, reduction: reduction, into: &gradients)
        update(&network, gradients: gradients)
        return result
    }

    /// One training step on the batch in `workspace` — backpropagation and the classic update — with
    /// the update folded into the backward pass, so that the weight gradient is never written.
    ///
    /// Backpropagation carries the step `Δ = −η·δ` instead of `δ` (all it does to `δ` is linear):
    /// ```
    /// Δᴸ = −η·(softmax(aᴸ) − t)                 (÷ B for the mean reduction)
    /// Δˡ⁻¹ = (Δˡ·Wˡ) ⊙ mˡ ⊙ f′ˡ⁻¹(aˡ⁻¹)          with Wˡ before its update
    /// vˡ ← μ·vˡ + Δˡᵀ·x̃ˡ                        the weight-gradient GEMM with β = μ: vˡ = μvˡ − η∇Wˡ
    /// vˡ ← vˡ − ηλ·Wˡ,   Wˡ ← Wˡ + vˡ           one pass (the first half only when λ ≠ 0)
    /// v_bˡ ← μ·v_bˡ + Σₙ Δˡₙ,   bˡ ← bˡ + v_bˡ
    /// ```
    /// which is ``update(_:gradients:)``'s classic step, `v ← μv − η(∇θ + λθ)`, `θ ← θ + v`, reordered.
    /// Nesterov's step needs the gradient itself: it goes through ``update(_:gradients:)``.
    /// Returns the batch's summed loss and correct count.
    public mutating func fusedStep(_ network: inout Network<Scalar>, on workspace: inout Workspace<Scalar>,
                                   reduction: LossReduction) -> (lossSum: Double, correct: Int) {
        precondition(!nesterov, "Nesterov momentum needs the gradient: use backpropagate(_:reduction:into:) and update(_:gradients:)")
        if velocity.isEmpty { velocity = network.zeroGradients() }
        let (η, μ, λ) = (learningRate, momentum, weightDecay)
        let result = network.forwardAndLoss(&workspace, reduction: reduction, scaledBy: -η)
        for l in stride(from: network.layers.count - 1, through: 0, by: -1) {
            workspace.roundDelta(l)
            if l > 0 { network.propagateDelta(below: l, &workspace) }
            workspace.multiplyDeltaTransposed(ofLayer: l, byInputInto: &velocity[l].weight, beta: μ)
            Matrix.sumRows(of: workspace.deltas[l], into: &velocity[l].bias, beta: μ)
            Self.move(&network.layers[l].weight, by: &velocity[l].weight, decay: η * λ)
            Self.move(&network.layers[l].bias, by: &velocity[l].bias, decay: 0)
        }
        return result
    }

    /// `v ← v − d·θ` (when `d ≠ 0`), then `θ ← θ + v`.
    static func move(_ theta: inout Matrix<Scalar>, by velocity: inout Matrix<Scalar>, decay d: Scalar) {
        let count = theta.elements.count
        velocity.elements.withUnsafeMutableBufferPointer { v in
            theta.elements.withUnsafeMutableBufferPointer { θ in
                guard let v = v.baseAddress, let θ = θ.baseAddress else { return }
                Parallel.forEachRange(count, with: (v, θ, d)) { p, range in
                    let (v, θ, d) = p
                    if d == 0 {
                        for i in range { θ[i] += v[i] }
                    } else {
                        for i in range {
                            v[i] -= d * θ[i]
                            θ[i] += v[i]
                        }
                    }
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
