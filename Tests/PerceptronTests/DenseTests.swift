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
        var output = Matrix<Double>(rows: 2, columns: 2, repeating: .nan)
        dense.forward(Matrix(Self.x), into: &output)
        let expected = Matrix(Self.z.map { $0.map { activation.function.value($0) } })
        #expect(isClose(output, expected, relative: 1e-14, absolute: 1e-15))
        if activation == .relu { #expect(isClose(output, Matrix([[1.9, 0], [0.6, 0]]), absolute: 1e-15)) }
    }

    @Test("forward in Float (oneDNN) agrees with Double")
    func forwardFloat() {
        let x = randomMatrix(7, 13, seed: 61, as: Double.self)
        let dense = Dense<Double>(weight: randomMatrix(5, 13, seed: 62), bias: randomMatrix(1, 5, seed: 63), activation: .tanh)
        var outD = Matrix<Double>(rows: 7, columns: 5)
        dense.forward(x, into: &outD)
        let denseF = Dense<Float>(weight: dense.weight.converted(), bias: dense.bias.converted(), activation: .tanh)
        var outF = Matrix<Float>(rows: 7, columns: 5)
        denseF.forward(x.converted(), into: &outF)
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

    /// A scalar loss through the layer: `L = Σ c ⊙ f(x·Wᵀ + b)` for fixed weights `c`, so that
    /// `δ = ∂L/∂z = c ⊙ f′(z)`.
    struct Probe {
        let dense: Dense<Double>
        let x: Matrix<Double>
        let c: Matrix<Double>

        func loss(_ dense: Dense<Double>, _ x: Matrix<Double>) -> Double {
            var a = Matrix<Double>(rows: x.rows, columns: dense.outputSize)
            dense.forward(x, into: &a)
            return zip(a.elements, c.elements).reduce(0) { $0 + $1.0 * $1.1 }
        }

        var delta: Matrix<Double> {
            var a = Matrix<Double>(rows: x.rows, columns: dense.outputSize)
            dense.forward(x, into: &a)
            var d = c
            dense.activation.multiplyByDerivative(&d, outputs: a)
            return d
        }
    }

    static let activations: [Activation] = [.sigmoid, .tanh, .identity, .relu]

    @Test("parameterGradient equals finite differences of the loss in W and b", arguments: activations)
    func parameterGradientMatchesFiniteDifferences(activation: Activation) {
        let probe = Probe(dense: Dense(weight: randomMatrix(3, 4, seed: 71), bias: randomMatrix(1, 3, seed: 72), activation: activation),
                          x: randomMatrix(5, 4, seed: 73), c: randomMatrix(5, 3, seed: 74))
        var gradient = DenseGradient(zeroLike: probe.dense)
        gradient.weight = Matrix(rows: 3, columns: 4, repeating: .nan)  // must be overwritten
        gradient.bias = Matrix(rows: 1, columns: 3, repeating: 1e6)     // must be overwritten, not added to
        probe.dense.parameterGradient(delta: probe.delta, input: probe.x, into: &gradient)
        for r in 0..<3 {
            for c in 0..<4 {
                let numeric = numericDerivative(at: probe.dense.weight[r, c]) { v in
                    var d = probe.dense
                    d.weight[r, c] = v
                    return probe.loss(d, probe.x)
                }
                #expect(relativeError(gradient.weight[r, c], numeric) < 1e-7, "∇W[\(r), \(c)]")
            }
        }
        for j in 0..<3 {
            let numeric = numericDerivative(at: probe.dense.bias[0, j]) { v in
                var d = probe.dense
                d.bias[0, j] = v
                return probe.loss(d, probe.x)
            }
            #expect(relativeError(gradient.bias[0, j], numeric) < 1e-7, "∇b[\(j)]")
        }
    }

    @Test("inputGradient equals finite differences of the loss in x", arguments: activations)
    func inputGradientMatchesFiniteDifferences(activation: Activation) {
        let probe = Probe(dense: Dense(weight: randomMatrix(3, 4, seed: 81), bias: randomMatrix(1, 3, seed: 82), activation: activation),
                          x: randomMatrix(5, 4, seed: 83), c: randomMatrix(5, 3, seed: 84))
        var inputGradient = Matrix<Double>(rows: 5, columns: 4, repeating: .nan)
        probe.dense.inputGradient(delta: probe.delta, into: &inputGradient)
        for n in 0..<5 {
            for i in 0..<4 {
                let numeric = numericDerivative(at: probe.x[n, i]) { v in
                    var x = probe.x
                    x[n, i] = v
                    return probe.loss(probe.dense, x)
                }
                #expect(relativeError(inputGradient[n, i], numeric) < 1e-7, "∂L/∂x[\(n), \(i)]")
            }
        }
    }

    @Test("the gradients by hand: ∇W = δᵀ·x, ∇b = Σₙ δₙ, ∂L/∂x = δ·W")
    func gradientsByHand() {
        let dense: Dense<Float> = layer(.identity)
        let x = Matrix<Float>([[1, 2, 3], [0, -1, 1]])
        let delta = Matrix<Float>([[1, 0], [2, -1]])
        var gradient = DenseGradient(zeroLike: dense)
        dense.parameterGradient(delta: delta, input: x, into: &gradient)
        // δᵀ·x: [1 2; 0 −1]·[1 2 3; 0 −1 1] = [1 0 5; 0 1 −1]
        #expect(gradient.weight == Matrix([[1, 0, 5], [0, 1, -1]]))
        #expect(gradient.bias == Matrix([[3, -1]]))
        var dx = Matrix<Float>(rows: 2, columns: 3)
        dense.inputGradient(delta: delta, into: &dx)
        // δ·W: [1 0; 2 −1]·[0.1 0.2 0.3; −0.5 0.4 0] = [0.1 0.2 0.3; 0.7 0 0.6]
        #expect(isClose(dx, Matrix([[0.1, 0.2, 0.3], [0.7, 0, 0.6]]), absolute: 1e-6))
    }
}
