import Perceptron
import Testing

@Suite("Dropout")
struct DropoutTests {
    static let sizes = [6, 5, 4, 3]

    static func network(_ activation: Activation) -> Network<Double> {
        var generator = SplitMix64(seed: 17)
        return Network(sizes: sizes, hiddenActivation: activation, using: &generator)
    }

    static func batch() -> (Matrix<Double>, [UInt8]) {
        var generator = SplitMix64(seed: 12)
        let inputs = Matrix<Double>(rows: 8, columns: sizes[0], elements: (0..<48).map { _ in generator.nextUnitDouble() })
        return (inputs, (0..<8).map { _ in UInt8(generator.nextIndex(below: 3)) })
    }

    /// Masks drawn the way training draws them, for the input and both hidden layers.
    static func masks(rates: [Double]) -> [Matrix<Double>?] {
        var workspace = Workspace<Double>(sizes: sizes, batchSize: 8)
        var generator = SplitMix64(seed: 13)
        Dropout(rates: rates).drawMasks(into: &workspace, using: &generator)
        return workspace.masks
    }

    @Test("with the mask held fixed, backpropagation through dropout matches finite differences", arguments: [Activation.sigmoid, .tanh, .relu])
    func gradientThroughFixedMasks(_ activation: Activation) {
        let (inputs, labels) = Self.batch()
        let masks = Self.masks(rates: [0.2, 0.5, 0.5])
        // Finite differences across a ReLU's kink measure a different function: make sure no
        // pre-activation lies within reach of the step (h = 10⁻⁴, up to 2h, times weights and masks).
        var probe = Workspace<Double>(sizes: Self.sizes, batchSize: 8)
        probe.input = inputs
        probe.setMasks(masks)
        Self.network(activation).forward(&probe)
        let smallest = Self.network(activation).layers.indices.dropLast().map { l -> Double in
            var z = Matrix<Double>(rows: 8, columns: Self.sizes[l + 1])
            Matrix.multiply(probe.layerInput(l), Self.network(activation).layers[l].weight, transposeB: true, into: &z)
            Activation.identity.apply(to: &z, addingBias: Self.network(activation).layers[l].bias)
            return z.elements.map(abs).min()!
        }.min()!
        #expect(smallest > 1e-2, "a pre-activation of \(smallest) is too close to a kink for this check")
        #expect(masks.compactMap { $0 }.count == 3)
        let result = GradientCheck.check(Self.network(activation), inputs: inputs, labels: labels, dropoutMasks: masks)
        #expect(result.maxRelativeError < 1e-6, "\(result.worstParameter): \(result.maxRelativeError) of \(result.parameterCount)")
    }

    @Test("a mask changes the gradient: dropped units pass none")
    func masksMatter() {
        let (inputs, labels) = Self.batch()
        let network = Self.network(.relu)
        func gradient(_ masks: [Matrix<Double>?]) -> [DenseGradient<Double>] {
            var workspace = Workspace<Double>(sizes: Self.sizes, batchSize: 8)
            workspace.input = inputs
            workspace.labels = labels
            workspace.setMasks(masks)
            var gradients = network.zeroGradients()
            network.backpropagate(&workspace, reduction: .mean, into: &gradients)
            return gradients
        }
        // Drop hidden unit 0 of the first hidden layer for every example: its weights get no gradient.
        var mask = Matrix<Double>(rows: 8, columns: 5, repeating: 1)
        for n in 0..<8 { mask[n, 0] = 0 }
        let dropped = gradient([nil, mask])
        #expect((0..<Self.sizes[0]).allSatisfy { dropped[0].weight[0, $0] == 0 })
        #expect(dropped[0].bias[0, 0] == 0)
        #expect(gradient([]) != dropped)
    }

    @Test("masks hold 0 or 1/(1−p), and keep about 1−p of the units")
    func maskValues() {
        var workspace = Workspace<Double>(sizes: [1000, 800, 10], batchSize: 100)
        var generator = SplitMix64(seed: 3)
        Dropout(rates: [0.2, 0.5]).drawMasks(into: &workspace, using: &generator)
        for (l, p) in [(0, 0.2), (1, 0.5)] {
            let values = workspace.masks[l]!.elements
            #expect(values.allSatisfy { $0 == 0 || abs($0 - 1 / (1 - p)) < 1e-12 })
            let kept = Double(values.filter { $0 != 0 }.count) / Double(values.count)
            #expect(abs(kept - (1 - p)) < 0.01, "layer \(l) kept \(kept)")
        }
    }

    @Test("a rate of 0 leaves a layer unmasked")
    func zeroRate() {
        var workspace = Workspace<Double>(sizes: Self.sizes, batchSize: 8)
        var generator = SplitMix64(seed: 3)
        Dropout(rates: [0, 0.5]).drawMasks(into: &workspace, using: &generator)
        #expect(workspace.masks[0] == nil && workspace.masks[1] != nil && workspace.masks[2] == nil)
        #expect(!Dropout(rates: [0, 0]).isActive)
    }
}
