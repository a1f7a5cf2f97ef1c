import Perceptron
import Testing

@Suite("Momentum")
struct MomentumTests {
    /// One layer, W = [1, −2], b = [0.5].
    static let start = Network<Double>(layers: [Dense(weight: Matrix([[1, -2]]), bias: Matrix([[0.5]]), activation: .identity)])

    /// ∇W = [0.1, 0.2], ∇b = [0.3].
    static var gradient: [DenseGradient<Double>] {
        var g = start.zeroGradients()
        g[0].weight = Matrix([[0.1, 0.2]])
        g[0].bias = Matrix([[0.3]])
        return g
    }

    /// `[W₀, W₁, b]` after `steps` updates with the same gradient.
    static func parameters(after steps: Int, _ optimizer: Momentum<Double>) -> [Double] {
        var optimizer = optimizer
        var network = start
        for _ in 0..<steps { optimizer.update(&network, gradients: gradient) }
        return flatParameters(network)
    }

    static func expectParameters(_ actual: [Double], _ expected: [Double], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(actual.count == expected.count, sourceLocation: sourceLocation)
        for (a, e) in zip(actual, expected) {
            #expect(isClose(a, e, relative: 1e-12, absolute: 1e-14), "\(actual) vs \(expected)", sourceLocation: sourceLocation)
        }
    }

    @Test("classic momentum, one and two steps by hand (η = 0.5, μ = 0.9)")
    func classic() {
        let optimizer = Momentum<Double>(learningRate: 0.5, momentum: 0.9)
        // Step 1: v = −η∇ = [−0.05, −0.1 | −0.15]; θ ← θ + v.
        Self.expectParameters(Self.parameters(after: 1, optimizer), [0.95, -2.1, 0.35])
        // Step 2: v = 0.9·v − η∇ = [−0.095, −0.19 | −0.285]; θ ← θ + v.
        Self.expectParameters(Self.parameters(after: 2, optimizer), [0.855, -2.29, 0.065])
    }

    @Test("Nesterov momentum, one and two steps by hand (η = 0.5, μ = 0.9)")
    func nesterov() {
        let optimizer = Momentum<Double>(learningRate: 0.5, momentum: 0.9, nesterov: true)
        // Step 1: v = [−0.05, −0.1 | −0.15]; θ ← θ + μv − η∇ = θ + [−0.095, −0.19 | −0.285].
        Self.expectParameters(Self.parameters(after: 1, optimizer), [0.905, -2.19, 0.215])
        // Step 2: v = [−0.095, −0.19 | −0.285]; θ ← θ + μv − η∇ = θ + [−0.1355, −0.271 | −0.4065].
        Self.expectParameters(Self.parameters(after: 2, optimizer), [0.7695, -2.461, -0.1915])
    }

    @Test("weight decay adds λθ to the weights' gradient and leaves the biases alone")
    func weightDecay() {
        let optimizer = Momentum<Double>(learningRate: 0.5, momentum: 0.9, weightDecay: 0.1)
        // Step 1: g = ∇W + λW = [0.1 + 0.1, 0.2 − 0.2] = [0.2, 0]; bias g = 0.3 (no decay).
        //         v = [−0.1, 0 | −0.15]
        Self.expectParameters(Self.parameters(after: 1, optimizer), [0.9, -2, 0.35])
        // Step 2: g = [0.1 + 0.09, 0.2 − 0.2] = [0.19, 0]; v = [−0.09 − 0.095, 0 | −0.285]
        Self.expectParameters(Self.parameters(after: 2, optimizer), [0.715, -2, 0.065])

        let nesterov = Momentum<Double>(learningRate: 0.5, momentum: 0.9, nesterov: true, weightDecay: 0.1)
        // Step 1: θ ← θ + μv − ηg = W + [−0.09 − 0.1, 0] = [0.81, −2]; b as without decay.
        Self.expectParameters(Self.parameters(after: 1, nesterov), [0.81, -2, 0.215])
    }

    @Test("μ = 0 is plain gradient descent, θ ← θ − η∇θ, classic or Nesterov", arguments: [false, true])
    func zeroMomentumIsGradientDescent(nesterov: Bool) {
        var optimizer = Momentum<Double>(learningRate: 0.3, momentum: 0, nesterov: nesterov)
        var network: Network<Double> = randomNetwork(sizes: [3, 4, 2], hidden: .tanh, seed: 1)
        var expected = flatParameters(network)
        for step in 0..<3 {
            var gradients = network.zeroGradients()
            for l in gradients.indices {
                gradients[l].weight = randomMatrix(gradients[l].weight.rows, gradients[l].weight.columns, seed: UInt64(10 * step + l))
                gradients[l].bias = randomMatrix(1, gradients[l].bias.columns, seed: UInt64(10 * step + l + 5))
            }
            expected = zip(expected, flatGradients(gradients)).map { $0 - 0.3 * $1 }
            optimizer.update(&network, gradients: gradients)
            Self.expectParameters(flatParameters(network), expected)
        }
    }

    @Test("the velocity starts empty and takes the parameters' shapes at the first update")
    func velocityShape() {
        var optimizer = Momentum<Float>(learningRate: 0.1)
        #expect(optimizer.velocity.isEmpty)
        #expect(optimizer.momentum == 0.9 && !optimizer.nesterov && optimizer.weightDecay == 0)
        var network: Network<Float> = randomNetwork(sizes: [3, 4, 2], hidden: .relu, seed: 2)
        optimizer.update(&network, gradients: network.zeroGradients())
        #expect(optimizer.velocity.map(\.weight.shape) == [[4, 3], [2, 4]])
        #expect(optimizer.velocity.map(\.bias.shape) == [[1, 4], [1, 2]])
    }

    @Test("the state is the velocity by name; restoring it continues the same trajectory")
    func stateRoundTrip() throws {
        var optimizer = Momentum<Double>(learningRate: 0.5, momentum: 0.9)
        #expect(optimizer.state.isEmpty)
        var network = Self.start
        optimizer.update(&network, gradients: Self.gradient)
        let state = optimizer.state
        #expect(Set(state.keys) == ["velocity.0.weight", "velocity.0.bias"])
        #expect(isClose(state["velocity.0.weight"]!, Matrix([[-0.05, -0.1]]), relative: 1e-14))
        #expect(isClose(state["velocity.0.bias"]!, Matrix([[-0.15]]), relative: 1e-14))

        var restored = Momentum<Double>(learningRate: 0.5, momentum: 0.9)
        try restored.restore(state, for: network)
        var a = network, b = network
        optimizer.update(&a, gradients: Self.gradient)
        restored.update(&b, gradients: Self.gradient)
        #expect(a == b)
        Self.expectParameters(flatParameters(a), [0.855, -2.29, 0.065])  // the two-step values of the classic test
    }

    @Test("restoring a state that does not fit the network throws; an empty one resets the velocity")
    func restoreRejectsMismatches() throws {
        var optimizer = Momentum<Double>(learningRate: 0.5)
        var network = Self.start
        optimizer.update(&network, gradients: Self.gradient)
        var missing = optimizer.state
        missing["velocity.0.bias"] = nil
        #expect(throws: OptimizerStateError.self) { try optimizer.restore(missing, for: network) }
        var misshapen = optimizer.state
        misshapen["velocity.0.weight"] = Matrix([[1, 2, 3]])
        #expect(throws: OptimizerStateError.self) { try optimizer.restore(misshapen, for: network) }
        let bigger: Network<Double> = randomNetwork(sizes: [2, 3, 1], hidden: .tanh, seed: 1)
        #expect(throws: OptimizerStateError.self) { try optimizer.restore(optimizer.state, for: bigger) }
        try optimizer.restore([:], for: network)
        #expect(optimizer.velocity.isEmpty)
    }

    @Test("an update changes the network it is given, and no copy of it")
    func updateLeavesCopiesAlone() {
        var optimizer = Momentum<Double>(learningRate: 0.5)
        var network = Self.start
        let copy = network
        optimizer.update(&network, gradients: Self.gradient)
        #expect(copy == Self.start)
        #expect(network != copy)
    }
}
