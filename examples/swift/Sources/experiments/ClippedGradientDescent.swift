import Perceptron

/// An optimiser of our own: plain gradient descent on gradients clipped to a largest size,
///
/// ```
/// g = ∇θ · min(1, c / ‖∇θ‖)      each layer's weight gradient (and its bias gradient) apart
/// θ ← θ − η·g
/// ```
/// The ``Optimizer`` protocol is open: a rule says where backpropagation writes the gradients
/// (here: the gradients themselves, `.overwrite`) and how to move the parameters from them.
struct ClippedGradientDescent: Optimizer {
    var learningRate: Float
    /// `c`, the largest norm a gradient keeps.
    var clip: Float
    /// How often a gradient was clipped, for the report.
    private(set) var clipped = 0
    private var gradients: [DenseGradient<Float>] = []

    init(learningRate: Float, clip: Float) {
        self.learningRate = learningRate
        self.clip = clip
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

    private mutating func step(_ theta: inout Matrix<Float>, _ g: Matrix<Float>) {
        let norm = g.elements.reduce(0) { $0 + $1 * $1 }.squareRoot()
        let scale = norm > clip ? clip / norm : 1
        if scale < 1 { clipped += 1 }
        for i in theta.elements.indices { theta.elements[i] -= learningRate * scale * g.elements[i] }
    }

    /// Plain gradient descent keeps no state between steps.
    var state: [String: Matrix<Float>] { [:] }
    mutating func restore(_ state: [String: Matrix<Float>], for network: Network<Float>) throws(OptimizerStateError) {}
}
