import Foundation
import Perceptron
import Testing

@Suite("Activations")
struct ActivationTests {
    @Test("sigmoid is finite at z = ±1000: 0 and 1, never NaN")
    func sigmoidIsStable() {
        for z in [1000.0, -1000.0, 750, -750] {
            let d = Sigmoid.value(z)
            #expect(!d.isNaN && d.isFinite)
            #expect(d == (z > 0 ? 1 : 0))
        }
        for z: Float in [1000, -1000, 100, -100] {
            let f = Sigmoid.value(z)
            #expect(!f.isNaN && f.isFinite)
            // In Float, 0 up to 10⁻³⁷ (a fast eˣ may stop at the smallest normal number instead of 0).
            if z > 0 { #expect(f == 1) } else { #expect(f >= 0 && f <= 1e-37) }
        }
        #expect(Sigmoid.value(Float(-1000)) <= Sigmoid.value(Float(-10)))
        #expect(Sigmoid.value(0.0) == 0.5)
        #expect(isClose(Sigmoid.value(2.0), 1 / (1 + exp(-2.0)), relative: 1e-15))
    }

    @Test("sigmoid is symmetric: σ(−z) = 1 − σ(z)")
    func sigmoidSymmetry() {
        for z in [0.1, 0.5, 1, 3, 8, 20] {
            #expect(isClose(Sigmoid.value(-z), 1 - Sigmoid.value(z), relative: 1e-12, absolute: 1e-15))
        }
    }

    @Test("ReLU clips negatives, keeps positives and passes NaN through, so divergence stays visible")
    func reluValues() {
        #expect(ReLU.value(-3.0) == 0)
        #expect(ReLU.value(2.5) == 2.5)
        #expect(ReLU.value(0.0) == 0)
        #expect(ReLU.value(Double.nan).isNaN)
        #expect(ReLU.value(Float.nan).isNaN)
        #expect(ReLU.value(Float.infinity) == .infinity)
        #expect(ReLU.derivative(output: 0.0) == 0)
        #expect(ReLU.derivative(output: 4.0) == 1)
    }

    @Test("tanh and the identity compute what they say")
    func tanhAndIdentity() {
        for z in [-4.0, -0.5, 0, 0.25, 3] {
            #expect(isClose(Tanh.value(z), tanh(z), relative: 1e-15))
            #expect(Identity.value(z) == z)
            #expect(Identity.derivative(output: z) == 1)
        }
        #expect(isClose(Double(Tanh.value(Float(0.7))), tanh(0.7), relative: 1e-6))
    }

    /// Points away from ReLU's kink at 0.
    static let points: [Double] = [-3, -1.2, -0.4, 0.3, 0.9, 2.5]

    @Test("derivative(output: f(z)) equals a central finite difference of f", arguments: Activation.allCases)
    func derivativeMatchesFiniteDifference(activation: Activation) {
        let f = activation.function
        for z in Self.points {
            let analytic = f.derivative(output: f.value(z))
            let numeric = numericDerivative(at: z) { f.value($0) }
            #expect(isClose(analytic, numeric, relative: 1e-8, absolute: 1e-10), "\(activation) at z = \(z): \(analytic) vs \(numeric)")
        }
    }

    @Test("Activation names the function that implements it")
    func functionLookup() {
        #expect(ObjectIdentifier(Activation.sigmoid.function) == ObjectIdentifier(Sigmoid.self))
        #expect(ObjectIdentifier(Activation.tanh.function) == ObjectIdentifier(Tanh.self))
        #expect(ObjectIdentifier(Activation.relu.function) == ObjectIdentifier(ReLU.self))
        #expect(ObjectIdentifier(Activation.identity.function) == ObjectIdentifier(Identity.self))
        #expect(Activation(rawValue: "relu") == .relu)
        #expect(Activation(rawValue: "softplus") == nil)
    }

    @Test("apply adds the bias to every row and maps every element through f", arguments: Activation.allCases)
    func applyOnMatrix(activation: Activation) {
        let z = randomMatrix(3, 5, seed: 3, in: -4...4, as: Double.self)
        let bias = Matrix<Double>([[0.5, -1, 0, 2, -0.25]])
        var a = z
        activation.apply(to: &a, addingBias: bias)
        #expect(a.shape == z.shape)
        for r in 0..<3 {
            for c in 0..<5 {
                #expect(a[r, c] == activation.function.value(z[r, c] + bias[0, c]), "[\(r), \(c)]")
            }
        }
        // With a zero bias: plain f(z).
        var plain = z
        activation.apply(to: &plain, addingBias: Matrix(rows: 1, columns: 5))
        #expect(plain.elements == z.elements.map { activation.function.value($0) })
        if activation == .identity { #expect(plain == z) } else { #expect(plain != z) }
    }

    @Test("apply on an empty batch does nothing")
    func applyOnEmptyBatch() {
        var empty = Matrix<Float>(rows: 0, columns: 3)
        Activation.sigmoid.apply(to: &empty, addingBias: Matrix([[1, 2, 3]]))
        #expect(empty.shape == [0, 3])
    }

    @Test("multiplyByDerivative multiplies δ by f′ element-wise", arguments: Activation.allCases)
    func multiplyByDerivative(activation: Activation) {
        var outputs = randomMatrix(4, 3, seed: 5, in: -3...3, as: Double.self)
        activation.apply(to: &outputs, addingBias: Matrix(rows: 1, columns: 3))
        let delta = randomMatrix(4, 3, seed: 6, as: Double.self)
        var product = delta
        activation.multiplyByDerivative(&product, outputs: outputs)
        for i in delta.elements.indices {
            #expect(product.elements[i] == delta.elements[i] * activation.function.derivative(output: outputs.elements[i]))
        }
    }

    @Test("on a ReLU layer, δ is zeroed exactly where the unit was off")
    func reluGatesDelta() {
        let outputs = Matrix<Float>([[0, 2, 0], [1, 0, 3]])
        var delta = Matrix<Float>([[5, 6, 7], [8, 9, 10]])
        Activation.relu.multiplyByDerivative(&delta, outputs: outputs)
        #expect(delta == Matrix([[0, 6, 0], [8, 0, 10]]))
    }
}
