import Foundation
import Perceptron
import Testing

/// The gradient check itself: that it measures what it says, and that a wrong gradient cannot pass.
@Suite("Gradient check")
struct GradientCheckTests {
    static let network: Network<Double> = randomNetwork(sizes: [4, 5, 3], hidden: .tanh, seed: 101)
    static let inputs = randomMatrix(5, 4, seed: 102, in: 0...1, as: Double.self)
    static let labels: [UInt8] = [0, 1, 2, 1, 0]

    /// `L(θ)` for the network with one parameter replaced, under `reduction`.
    static func loss(_ network: Network<Double>, reduction: LossReduction) -> Double {
        let sum = SoftmaxCrossEntropy.loss(logits: network.logits(inputs), labels: labels).lossSum
        return reduction == .mean ? sum / Double(inputs.rows) : sum
    }

    /// The analytic gradient, from backpropagation.
    static func analyticGradient(reduction: LossReduction) -> [DenseGradient<Double>] {
        var workspace = Workspace<Double>(sizes: network.sizes, batchSize: inputs.rows)
        workspace.input = inputs
        workspace.labels = labels
        var gradients = network.zeroGradients()
        network.backpropagate(&workspace, reduction: reduction, into: &gradients)
        return gradients
    }

    /// `∂L/∂W[r, c]` of layer `l`, numerically.
    static func numericWeightDerivative(layer l: Int, _ r: Int, _ c: Int, reduction: LossReduction) -> Double {
        numericDerivative(at: network.layers[l].weight[r, c], step: 1e-4) { value in
            var shifted = network
            shifted.layers[l].weight[r, c] = value
            return loss(shifted, reduction: reduction)
        }
    }

    @Test("it compares every weight and bias and names the worst one")
    func reportsEveryParameter() {
        let result = GradientCheck.check(Self.network, inputs: Self.inputs, labels: Self.labels)
        #expect(result.parameterCount == 4 * 5 + 5 + 5 * 3 + 3)
        #expect(result.maxRelativeError < 1e-6)
        #expect(result.worstParameter.hasPrefix("layers.0.") || result.worstParameter.hasPrefix("layers.1."))
        #expect(result.worstParameter.contains("weight[") || result.worstParameter.contains("bias["))
    }

    @Test("a correct analytic derivative matches the numeric one; a corrupted one is caught",
          arguments: LossReduction.allCases)
    func corruptedGradientIsDetected(reduction: LossReduction) {
        let gradients = Self.analyticGradient(reduction: reduction)
        // Every weight of both layers, compared the way GradientCheck compares them.
        var worstCorrect = 0.0
        for l in 0..<2 {
            let w = Self.network.layers[l].weight
            for r in 0..<w.rows {
                for c in 0..<w.columns {
                    let numeric = Self.numericWeightDerivative(layer: l, r, c, reduction: reduction)
                    worstCorrect = max(worstCorrect, relativeError(gradients[l].weight[r, c], numeric, floor: 1e-5))
                }
            }
        }
        #expect(worstCorrect < 1e-6)

        // Corrupt one entry by 1 %: the comparison for that parameter must fail by far.
        var corrupted = gradients
        corrupted[0].weight[2, 1] *= 1.01
        let numeric = Self.numericWeightDerivative(layer: 0, 2, 1, reduction: reduction)
        #expect(abs(numeric) > 1e-4, "the chosen parameter must have a gradient worth corrupting")
        let error = relativeError(corrupted[0].weight[2, 1], numeric, floor: 1e-5)
        #expect(error > 1e-3)

        // And a gradient for the wrong reduction (off by the batch size) fails too.
        let other = Self.analyticGradient(reduction: reduction == .mean ? .sum : .mean)
        #expect(relativeError(other[0].weight[2, 1], numeric, floor: 1e-5) > 0.5)
    }

    @Test("a swapped pair of gradient entries is caught")
    func swappedEntriesAreDetected() {
        var gradients = Self.analyticGradient(reduction: .mean)
        gradients[1].weight.elements.swapAt(0, 1)
        let mismatches = (0..<2).filter { c in
            let numeric = Self.numericWeightDerivative(layer: 1, 0, c, reduction: .mean)
            return relativeError(gradients[1].weight[0, c], numeric, floor: 1e-5) > 1e-6
        }
        #expect(mismatches == [0, 1])
    }

    @Test("the check fails where the loss is not differentiable: a ReLU unit sitting on its kink")
    func checkCanFail() {
        // One hidden ReLU unit whose pre-activation is exactly 0 for the only example: the one-sided
        // derivatives differ, backpropagation takes relu′(0) = 0, and the central difference averages them.
        let hidden = Dense<Double>(weight: Matrix([[1, -1]]), bias: Matrix([[0]]), activation: .relu)
        let output = Dense<Double>(weight: Matrix([[2], [-1]]), bias: Matrix([[0, 0]]), activation: .identity)
        let network = Network(layers: [hidden, output])
        let result = GradientCheck.check(network, inputs: Matrix([[0.5, 0.5]]), labels: [0])
        #expect(result.maxRelativeError > 0.1)
        #expect(result.worstParameter.hasPrefix("layers.0."))
    }
}
