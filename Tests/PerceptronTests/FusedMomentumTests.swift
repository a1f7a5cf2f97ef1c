import Foundation
import Perceptron
import Testing

/// Classic momentum through its gradient destination: backpropagation writes the velocity itself,
/// `v ← −η·∇W + μ·v`, in the weight-gradient product; the update adds it.
@Suite("Momentum's velocity written by backpropagation")
struct FusedMomentumTests {
    /// One identity layer, W = [[0.2, −0.1], [0, 0.3]], b = [0.1, −0.2]; one example x = [1, 0.5] of class 0.
    static let start = Network<Double>(layers: [
        Dense(weight: Matrix([[0.2, -0.1], [0, 0.3]]), bias: Matrix([[0.1, -0.2]]), activation: .identity),
    ])
    static let x: [Double] = [1, 0.5]

    static func workspace(for network: Network<Double>) -> Workspace<Double> {
        var workspace = Workspace<Double>(sizes: network.sizes, batchSize: 1)
        workspace.input = Matrix([x])
        workspace.labels = [0]
        return workspace
    }

    /// The gradient of this one-layer, one-example loss by hand: z = Wx + b, p = softmax(z),
    /// δ = p − onehot(0), ∇W = δxᵀ, ∇b = δ. Returns `[∇W₀₀, ∇W₀₁, ∇W₁₀, ∇W₁₁, ∇b₀, ∇b₁]`.
    static func gradientByHand(_ p: [Double]) -> [Double] {
        let (w, b) = (Array(p[0..<4]), Array(p[4..<6]))
        let z0 = w[0] * x[0] + w[1] * x[1] + b[0]
        let z1 = w[2] * x[0] + w[3] * x[1] + b[1]
        let p0 = 1 / (1 + exp(z1 - z0))
        let d = [p0 - 1, 1 - p0]  // p₁ − 0 = 1 − p₀
        return [d[0] * x[0], d[0] * x[1], d[1] * x[0], d[1] * x[1], d[0], d[1]]
    }

    @Test("two steps equal the classic update computed by hand (η = 0.5, μ = 0.9, λ = 0.1)")
    func twoStepsByHand() {
        let (η, μ, λ) = (0.5, 0.9, 0.1)
        var optimizer = Momentum<Double>(learningRate: η, momentum: μ, weightDecay: λ)
        var network = Self.start
        var workspace = Self.workspace(for: network)

        var θ = flatParameters(Self.start)  // [W₀₀, W₀₁, W₁₀, W₁₁, b₀, b₁]
        var v = [Double](repeating: 0, count: 6)
        for step in 1...2 {
            let g = Self.gradientByHand(θ)
            for i in 0..<6 {
                let decay = i < 4 ? λ * θ[i] : 0  // weights only
                v[i] = μ * v[i] - η * (g[i] + decay)
                θ[i] += v[i]
            }
            let result = optimizer.step(&network, on: &workspace, reduction: .mean)
            #expect(result.lossSum > 0)
            for (a, e) in zip(flatParameters(network), θ) {
                #expect(isClose(a, e, relative: 1e-12, absolute: 1e-15), "step \(step): \(flatParameters(network)) vs \(θ)")
            }
            for (a, e) in zip(optimizer.velocity[0].weight.elements + optimizer.velocity[0].bias.elements, v) {
                #expect(isClose(a, e, relative: 1e-12, absolute: 1e-15), "step \(step): velocity")
            }
        }
    }

    /// Deep networks, dropout masks, both reductions, with and without weight decay: the fused step
    /// and backpropagate-then-update give the same parameters and velocities, step after step.
    @Test("a step equals backpropagate + update, in Double", arguments: [0.0, 0.01], [false, true])
    func equalsBackpropagateThenUpdate(weightDecay: Double, dropout: Bool) {
        let sizes = [6, 7, 5, 3]
        let start: Network<Double> = randomNetwork(sizes: sizes, hidden: .tanh, seed: 21)
        let inputs: Matrix<Double> = randomMatrix(9, 6, seed: 22, in: 0...1)
        let labels = randomLabels(9, classes: 3, seed: 23)
        var fused = Momentum<Double>(learningRate: 0.3, momentum: 0.8, weightDecay: weightDecay)
        var plain = fused
        var (a, b) = (start, start)
        var workspace = Workspace<Double>(sizes: sizes, batchSize: 9)
        workspace.input = inputs
        workspace.labels = labels
        if dropout {
            workspace.setMasks([randomMatrix(9, 6, seed: 24, in: 0...2), nil, randomMatrix(9, 5, seed: 25, in: 0...2)])
        }
        for reduction in LossReduction.allCases {
            for _ in 0..<3 {
                var gradients = b.zeroGradients()
                let rb = b.backpropagate(&workspace, reduction: reduction, into: &gradients)
                plain.update(&b, gradients: gradients)
                let ra = fused.step(&a, on: &workspace, reduction: reduction)
                #expect(isClose(ra.lossSum, rb.lossSum, relative: 1e-14) && ra.correct == rb.correct)
                for (x, y) in zip(flatParameters(a), flatParameters(b)) {
                    #expect(isClose(x, y, relative: 1e-12, absolute: 1e-14))
                }
                for (x, y) in zip(flatGradients(fused.velocity), flatGradients(plain.velocity)) {
                    #expect(isClose(x, y, relative: 1e-12, absolute: 1e-14))
                }
            }
        }
    }

    @Test("in Float (oneDNN) a step agrees with backpropagate + update")
    func floatAgrees() {
        let sizes = [12, 16, 10]
        let start: Network<Float> = randomNetwork(sizes: sizes, hidden: .relu, seed: 31)
        var workspace: Workspace<Float> = randomBatch(sizes: sizes, batchSize: 20, seed: 32)
        var fused = Momentum<Float>(learningRate: 0.1, momentum: 0.9, weightDecay: 0.001)
        var plain = fused
        var (a, b) = (start, start)
        for _ in 0..<5 {
            var gradients = b.zeroGradients()
            b.backpropagate(&workspace, reduction: .mean, into: &gradients)
            plain.update(&b, gradients: gradients)
            fused.step(&a, on: &workspace, reduction: .mean)
        }
        for (x, y) in zip(flatParameters(a), flatParameters(b)) {
            #expect(isClose(x, y, relative: 1e-4, absolute: 1e-6))
        }
    }

    @Test("Optimizer.step equals backpropagate + update(gradients:) for classic and Nesterov momentum and Adam")
    func stepEqualsReference() {
        let sizes = [5, 4, 3]
        let start: Network<Double> = randomNetwork(sizes: sizes, hidden: .sigmoid, seed: 41)
        var workspace: Workspace<Double> = randomBatch(sizes: sizes, batchSize: 6, seed: 42)

        func run<O: Optimizer>(_ optimizer: O) -> (Network<Double>, O) where O.Scalar == Double {
            var optimizer = optimizer
            var network = start
            for _ in 0..<2 { optimizer.step(&network, on: &workspace, reduction: .mean) }
            return (network, optimizer)
        }
        func reference<O: Optimizer>(_ optimizer: O) -> Network<Double> where O.Scalar == Double {
            var optimizer = optimizer
            var network = start
            for _ in 0..<2 {
                var gradients = network.zeroGradients()
                network.backpropagate(&workspace, reduction: .mean, into: &gradients)
                optimizer.update(&network, gradients: gradients)
            }
            return network
        }
        func close(_ a: Network<Double>, _ b: Network<Double>) -> Bool {
            zip(flatParameters(a), flatParameters(b)).allSatisfy { isClose($0, $1, relative: 1e-12, absolute: 1e-15) }
        }

        let classic = Momentum<Double>(learningRate: 0.2, momentum: 0.9)
        let (classicNetwork, stepped) = run(classic)
        #expect(stepped.velocity.count == 2 && flatGradients(stepped.velocity).contains { $0 != 0 })
        #expect(close(classicNetwork, reference(classic)))
        let nesterov = Momentum<Double>(learningRate: 0.2, momentum: 0.9, nesterov: true)
        #expect(close(run(nesterov).0, reference(nesterov)))
        let adam = Adam<Double>(learningRate: 0.01)
        #expect(close(run(adam).0, reference(adam)))
    }

    @Test("the velocity is written in place: a copy of the optimiser taken before a step keeps its own")
    func velocityIsAValue() {
        let sizes = [4, 3, 2]
        var network: Network<Double> = randomNetwork(sizes: sizes, hidden: .relu, seed: 51)
        var workspace = Workspace<Double>(sizes: sizes, batchSize: 3)
        workspace.input = randomMatrix(3, 4, seed: 52, in: 0...1)
        workspace.labels = [0, 1, 1]
        var optimizer = Momentum<Double>(learningRate: 0.1)
        optimizer.step(&network, on: &workspace, reduction: .mean)
        let saved = optimizer
        optimizer.step(&network, on: &workspace, reduction: .mean)
        #expect(saved.velocity != optimizer.velocity)
        #expect(saved.state.count == 4)
    }
}
