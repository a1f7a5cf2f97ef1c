import Perceptron

/// The update rule of the question that started this project, exactly as its code wrote it:
///
/// ```
/// θ ← θ − η·∇θ
/// θ ← −η·∇θ + μ·θ          (so θ ← μ·θ − (1 + μ)·η·∇θ)
/// ```
/// It is meant to be momentum, but it keeps no velocity: the second line multiplies the weights
/// themselves by `μ`. With `μ = 0.9` every step shrinks every weight by 10 % towards 0, whatever the
/// gradient — weight decay of 10 % a step — and the network cannot learn. The training doctor names
/// it (`weight_decay`) from the direction and size of the steps.
struct TheQuestionsMomentum: Optimizer {
    var learningRate: Float
    /// `μ`
    var momentum: Float
    private var gradients: [DenseGradient<Float>] = []

    init(learningRate: Float, momentum: Float) {
        self.learningRate = learningRate
        self.momentum = momentum
    }

    mutating func withGradientDestination<R>(
        for network: Network<Float>,
        _ body: (inout [DenseGradient<Float>], GradientAccumulation<Float>) throws -> R) rethrows -> R {
        if gradients.isEmpty { gradients = network.zeroGradients() }
        return try body(&gradients, .overwrite)
    }

    mutating func update(_ network: inout Network<Float>) {
        for l in network.layers.indices {
            step(&network.layers[l].weight, gradients[l].weight)
            step(&network.layers[l].bias, gradients[l].bias)
        }
    }

    private func step(_ theta: inout Matrix<Float>, _ g: Matrix<Float>) {
        for i in theta.elements.indices {
            theta.elements[i] -= learningRate * g.elements[i]
            theta.elements[i] = -learningRate * g.elements[i] + momentum * theta.elements[i]
        }
    }

    /// No state: the rule's only memory is the weights.
    var state: [String: Matrix<Float>] { [:] }
    mutating func restore(_ state: [String: Matrix<Float>], for network: Network<Float>) throws(OptimizerStateError) {}
}
