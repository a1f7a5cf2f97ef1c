import Foundation
import Perceptron
import Testing

@Suite("Backpropagation")
struct BackpropagationTests {
    /// A batch for a network with `inputs` inputs and `classes` outputs: inputs in [0, 1], labels covering the classes.
    static func batch(inputs: Int, classes: Int, count: Int = 6, seed: UInt64) -> (Matrix<Double>, [UInt8]) {
        (randomMatrix(count, inputs, seed: seed, in: 0...1), (0..<count).map { UInt8($0 % classes) })
    }

    static let architectures: [[Int]] = [[5, 4, 3], [5, 4, 4, 3], [5, 4, 3, 4, 3]]  // 1, 2 and 3 hidden layers
    static let hidden: [Activation] = [.sigmoid, .tanh, .relu]

    @Test("backpropagation agrees with finite differences (max relative error < 1e-6)",
          arguments: architectures, hidden)
    func gradientCheck(sizes: [Int], activation: Activation) {
        let network: Network<Double> = randomNetwork(sizes: sizes, hidden: activation, seed: UInt64(sizes.count * 10))
        let (inputs, labels) = Self.batch(inputs: 5, classes: 3, seed: UInt64(sizes.count))
        for reduction in LossReduction.allCases {
            let result = GradientCheck.check(network, inputs: inputs, labels: labels, reduction: reduction)
            #expect(result.parameterCount == network.parameterCount)
            #expect(result.maxRelativeError < 1e-6,
                    "\(network.architecture) \(activation) \(reduction): \(result.maxRelativeError) at \(result.worstParameter)")
        }
    }

    @Test("backpropagate returns the batch's summed loss and correct count, and leaves the logits in the workspace")
    func lossAndLogits() {
        let network: Network<Double> = randomNetwork(sizes: [4, 6, 3], hidden: .tanh, seed: 3)
        let (inputs, labels) = (randomMatrix(8, 4, seed: 4, in: 0...1, as: Double.self), randomLabels(8, classes: 3, seed: 5))
        var workspace = Workspace<Double>(sizes: network.sizes, batchSize: 8)
        workspace.input = inputs
        workspace.labels = labels
        var gradients = network.zeroGradients()
        let result = network.backpropagate(&workspace, reduction: .mean, into: &gradients)
        let logits = network.logits(inputs)
        #expect(workspace.outputs.last == logits)
        let expected = SoftmaxCrossEntropy.loss(logits: logits, labels: labels)
        #expect(isClose(result.lossSum, expected.lossSum, relative: 1e-14))
        #expect(result.correct == expected.correct)
        #expect(result.lossSum > 0)
    }

    @Test("asked for G ← α·∇ + β·G, backpropagation writes exactly that: α carried down the layers, β accumulated",
          arguments: [Activation.sigmoid, .relu])
    func scaleAndAccumulation(activation: Activation) {
        let network: Network<Double> = randomNetwork(sizes: [5, 6, 4, 3], hidden: activation, seed: 21)
        var workspace: Workspace<Double> = randomBatch(sizes: network.sizes, batchSize: 6, seed: 22)
        var gradient = network.zeroGradients()
        network.backpropagate(&workspace, reduction: .mean, into: &gradient)
        var before = network.zeroGradients()
        for l in before.indices {
            before[l].weight = randomMatrix(gradient[l].weight.rows, gradient[l].weight.columns, seed: UInt64(30 + l), in: -1...1)
            before[l].bias = randomMatrix(1, gradient[l].bias.columns, seed: UInt64(40 + l), in: -1...1)
        }
        var accumulated = before
        let (α, β) = (-0.5, 0.75)  // powers of two: the scaled sums are exact
        network.backpropagate(&workspace, reduction: .mean, into: &accumulated, accumulating: GradientAccumulation(scale: α, decay: β))
        for (g, (old, new)) in zip(flatGradients(gradient), zip(flatGradients(before), flatGradients(accumulated))) {
            #expect(isClose(new, α * g + β * old, relative: 1e-13, absolute: 1e-15))
        }
    }

    @Test("the .sum gradient is B times the .mean gradient")
    func sumIsBatchTimesMean() {
        let network: Network<Double> = randomNetwork(sizes: [4, 5, 3], hidden: .sigmoid, seed: 9)
        let (inputs, labels) = (randomMatrix(7, 4, seed: 10, in: 0...1, as: Double.self), randomLabels(7, classes: 3, seed: 11))
        var workspace = Workspace<Double>(sizes: network.sizes, batchSize: 7)
        workspace.input = inputs
        workspace.labels = labels
        var mean = network.zeroGradients(), sum = network.zeroGradients()
        network.backpropagate(&workspace, reduction: .mean, into: &mean)
        network.backpropagate(&workspace, reduction: .sum, into: &sum)
        for (m, s) in zip(flatGradients(mean), flatGradients(sum)) {
            #expect(isClose(7 * m, s, relative: 1e-12, absolute: 1e-15))
        }
        #expect(flatGradients(sum).contains { abs($0) > 1e-3 })
    }

    @Test("backpropagation in Float (oneDNN) agrees with Double")
    func floatAgreesWithDouble() {
        let network: Network<Double> = randomNetwork(sizes: [6, 8, 5, 4], hidden: .relu, seed: 13)
        let (inputs, labels) = (randomMatrix(10, 6, seed: 14, in: 0...1, as: Double.self), randomLabels(10, classes: 4, seed: 15))
        var wd = Workspace<Double>(sizes: network.sizes, batchSize: 10)
        wd.input = inputs
        wd.labels = labels
        var gd = network.zeroGradients()
        let rd = network.backpropagate(&wd, reduction: .mean, into: &gd)

        let networkF: Network<Float> = network.converted()
        var wf = Workspace<Float>(sizes: network.sizes, batchSize: 10)
        wf.input = inputs.converted()
        wf.labels = labels
        var gf = networkF.zeroGradients()
        let rf = networkF.backpropagate(&wf, reduction: .mean, into: &gf)

        #expect(isClose(rf.lossSum, rd.lossSum, relative: 1e-5))
        #expect(rf.correct == rd.correct)
        for (f, d) in zip(flatGradients(gf), flatGradients(gd)) {
            #expect(abs(Double(f) - d) < 1e-5)
        }
    }

    @Test("a workspace loads pixels as p / 255 and gathers the labels at the given indices")
    func workspaceLoad() {
        let data = LabeledImages(images: [0, 255, 51, 102, 10, 20, 30, 40, 255, 0, 0, 255], labels: [2, 0, 1], rows: 2, columns: 2)
        var workspace = Workspace<Double>(sizes: [4, 3], batchSize: 2)
        workspace.load(data, indices: [2, 0][...])
        #expect(workspace.labels == [1, 2])
        #expect(isClose(workspace.input, Matrix([[1, 0, 0, 1], [0, 1, 0.2, 0.4]]), relative: 1e-15))
        #expect(workspace.outputs.map(\.shape) == [[2, 3]])
        #expect(workspace.deltas.map(\.shape) == [[2, 3]])
    }

    @Test("a Float workspace gathers p / 255 into its input; in bf16 into the first product's bfloat16 operand instead, unless the input has a dropout mask")
    func floatWorkspaceLoad() {
        let bytes: [UInt8] = (0..<60).map { (i: Int) -> UInt8 in UInt8((i * 37 + 11) % 256) }  // 3 images of 4×5: a 16-pixel block and a tail
        let data = LabeledImages(images: bytes, labels: [4, 5, 6], rows: 4, columns: 5)
        let scale: Float = 1 / 255
        let expected: [Float] = (bytes[40 ..< 60] + bytes[0 ..< 20]).map { (p: UInt8) -> Float in Float(p) * scale }
        var fp32 = Workspace<Float>(sizes: [20, 3], batchSize: 2)
        fp32.load(data, indices: [2, 0][...])
        #expect(fp32.input.elements == expected && fp32.labels == [6, 4])
        guard OneDNN.supportsBF16 else { return }
        var bf16 = Workspace<Float>(sizes: [20, 3], batchSize: 2, precision: .bf16)
        bf16.load(data, indices: [2, 0][...])
        #expect(bf16.roundedInputs[0].bits == expected.map(bfloat16Bits) && bf16.labels == [6, 4])
        #expect(bf16.input.elements.allSatisfy { $0 == 0 })  // not written: no product reads it
        bf16.setMasks([Matrix(rows: 2, columns: 20, elements: Array(repeating: 1, count: 40))])
        bf16.load(data, indices: [2, 0][...])
        #expect(bf16.input.elements == expected)  // x̃₀ = x₀ ⊙ m₀ needs the floats
    }

    @Test("backpropagate(loading:) trains on exactly the examples at the indices")
    func loadingIndices() {
        let data = quadrantImages(count: 12, seed: 17)
        let network: Network<Double> = randomNetwork(sizes: [16, 5, 3], hidden: .sigmoid, seed: 18)
        var workspace = Workspace<Double>(sizes: network.sizes, batchSize: 4)
        var viaIndices = network.zeroGradients()
        network.backpropagate(&workspace, loading: data, indices: [9, 3, 5, 0][...], reduction: .sum, into: &viaIndices)

        let subset = data.subset([9, 3, 5, 0])
        var direct = Workspace<Double>(sizes: network.sizes, batchSize: 4)
        direct.input = inputMatrix(subset)
        direct.labels = subset.labels
        var viaSubset = network.zeroGradients()
        network.backpropagate(&direct, reduction: .sum, into: &viaSubset)
        #expect(zip(flatGradients(viaIndices), flatGradients(viaSubset)).allSatisfy { isClose($0, $1, relative: 1e-12, absolute: 1e-15) })
    }
}
