import Perceptron
import Testing

@Suite("Network")
struct NetworkTests {
    @Test("a network made from sizes has those sizes, identity outputs and zero biases")
    func fromSizes() {
        var generator = SplitMix64(seed: 1)
        let network = Network<Float>(sizes: [784, 100, 30, 10], hiddenActivation: .relu, using: &generator)
        #expect(network.sizes == [784, 100, 30, 10])
        #expect(network.architecture == "784-100-30-10")
        #expect(network.parameterCount == 784 * 100 + 100 + 100 * 30 + 30 + 30 * 10 + 10)
        #expect(network.layers.map(\.activation) == [.relu, .relu, .identity])
        #expect(network.layers.allSatisfy { $0.bias.elements.allSatisfy { $0 == 0 } })
        var again = SplitMix64(seed: 1)
        #expect(Network<Float>(sizes: [784, 100, 30, 10], hiddenActivation: .relu, using: &again) == network)
    }

    @Test("logits run the layers in order; probabilities are their softmax")
    func logitsAndProbabilities() {
        let network: Network<Double> = randomNetwork(sizes: [3, 4, 2], hidden: .sigmoid, seed: 2)
        let x = randomMatrix(5, 3, seed: 3, as: Double.self)
        var hidden = Matrix<Double>(rows: 5, columns: 4)
        Matrix.multiply(x, network.layers[0].weight, transposeB: true, into: &hidden)
        Activation.sigmoid.apply(to: &hidden, addingBias: network.layers[0].bias)
        var out = Matrix<Double>(rows: 5, columns: 2)
        Matrix.multiply(hidden, network.layers[1].weight, transposeB: true, into: &out)
        Activation.identity.apply(to: &out, addingBias: network.layers[1].bias)
        #expect(isClose(network.logits(x), out, relative: 1e-14, absolute: 1e-15))
        #expect(network.probabilities(x) == SoftmaxCrossEntropy.probabilities(logits: network.logits(x)))
        // By hand for the first row: σ(x·W₁ᵀ + b₁)·W₂ᵀ + b₂.
        let h = (0..<4).map { j in Sigmoid.value((0..<3).reduce(network.layers[0].bias[0, j]) { $0 + x[0, $1] * network.layers[0].weight[j, $1] }) }
        let z0 = (0..<4).reduce(network.layers[1].bias[0, 0]) { $0 + h[$1] * network.layers[1].weight[0, $1] }
        #expect(isClose(out[0, 0], z0, relative: 1e-14))
    }

    @Test("converting a network converts every parameter")
    func conversion() {
        let network: Network<Float> = randomNetwork(sizes: [3, 2, 2], hidden: .tanh, seed: 4)
        let d: Network<Double> = network.converted()
        #expect(flatParameters(d) == flatParameters(network).map(Double.init))
        #expect(d.layers.map(\.activation) == network.layers.map(\.activation))
        #expect(d.converted(to: Float.self) == network)
    }
}
