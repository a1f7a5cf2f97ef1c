import Foundation
import Perceptron
import Testing

@Suite("Dense layer")
struct DenseTests {
    // x [2, 3], W [2, 3] (2 outputs), b [1, 2]
    static let x: [[Double]] = [[1, 2, 3], [0, -1, 1]]
    static let w: [[Double]] = [[0.1, 0.2, 0.3], [-0.5, 0.4, 0]]
    static let b: [Double] = [0.5, -1]
    // z = x·Wᵀ + b:
    //   row 0: 0.1 + 0.4 + 0.9 + 0.5 = 1.9      −0.5 + 0.8 + 0 − 1 = −0.7
    //   row 1: 0 − 0.2 + 0.3 + 0.5 = 0.6        0 − 0.4 + 0 − 1 = −1.4
    static let z: [[Double]] = [[1.9, -0.7], [0.6, -1.4]]

    func layer<S: NetworkScalar>(_ activation: Activation, as _: S.Type = S.self) -> Dense<S> {
        Dense(weight: Matrix(Self.w).converted(), bias: Matrix([Self.b]).converted(), activation: activation)
    }

    @Test("forward computes f(x·Wᵀ + b), by hand", arguments: Activation.allCases)
    func forwardByHand(activation: Activation) {
        let dense: Dense<Double> = layer(activation)
        #expect(dense.inputSize == 3 && dense.outputSize == 2)
        let output = Network(layers: [dense]).logits(Matrix(Self.x))
        let expected = Matrix(Self.z.map { $0.map { activation.function.value($0) } })
        #expect(isClose(output, expected, relative: 1e-14, absolute: 1e-15))
        if activation == .relu { #expect(isClose(output, Matrix([[1.9, 0], [0.6, 0]]), absolute: 1e-15)) }
    }

    @Test("forward in Float (oneDNN) agrees with Double")
    func forwardFloat() {
        let x = randomMatrix(7, 13, seed: 61, as: Double.self)
        let dense = Dense<Double>(weight: randomMatrix(5, 13, seed: 62), bias: randomMatrix(1, 5, seed: 63), activation: .tanh)
        let outD = Network(layers: [dense]).logits(x)
        let denseF = Dense<Float>(weight: dense.weight.converted(), bias: dense.bias.converted(), activation: .tanh)
        let outF = Network(layers: [denseF]).logits(x.converted())
        #expect(maxDifference(outF.converted(to: Double.self), outD) < 1e-5)
    }

    @Test("a layer built with an initializer has [out, in] weights and zero biases")
    func initializedLayer() {
        var generator = SplitMix64(seed: 5)
        let dense = Dense<Float>(inputSize: 6, outputSize: 4, activation: .relu, initializer: .he, using: &generator)
        #expect(dense.weight.shape == [4, 6])
        #expect(dense.bias == Matrix(rows: 1, columns: 4))
        #expect(dense.weight.elements.contains { $0 != 0 })
        let gradient = DenseGradient(zeroLike: dense)
        #expect(gradient.weight == Matrix(rows: 4, columns: 6))
        #expect(gradient.bias == Matrix(rows: 1, columns: 4))
    }
}
