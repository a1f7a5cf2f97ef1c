/// How one layer looks on a sample of inputs: the numbers a person checks first when a network
/// does not learn.
public struct LayerStatistics: Codable, Sendable, Equatable {
    /// The layer's index, from 0 at the input.
    public var layer: Int
    /// `in`, the width of the layer's input (``Dense/inputSize``).
    public var inputs: Int
    /// `out`, the layer's number of units (``Dense/outputSize``).
    public var units: Int
    /// `f`, the layer's activation.
    public var activation: Activation
    /// The mean of the weights `W`.
    public var weightMean: Double
    /// The standard deviation of the weights `W`, `√(E[w²] − E[w]²)`: to compare with `σ₀`, the
    /// standard initialiser's (see ``TrainingDoctor``).
    public var weightStd: Double
    /// The mean of the biases `b`.
    public var biasMean: Double
    /// The standard deviation of the biases `b`, `√(E[b²] − E[b]²)`.
    public var biasStd: Double
    /// The mean of the pre-activations `z = x·Wᵀ + b` over the sample.
    public var preactivationMean: Double
    /// The standard deviation of the pre-activations `z = x·Wᵀ + b` over the sample: large `|z|`
    /// saturates a sigmoid or tanh.
    public var preactivationStd: Double
    /// Sigmoid and tanh: the share of outputs within 0.02 of a bound (0 or 1; −1 or 1), where the
    /// derivative nearly vanishes and the unit stops learning. `nil` for other activations.
    public var saturatedShare: Double?
    /// ReLU: the share of units that output 0 for every input of the sample (dead units get no
    /// gradient, so they never recover). `nil` for other activations.
    public var deadShare: Double?
    /// `‖∇W‖`, the Frobenius norm of the weight gradient of the mean loss over the sample.
    public var gradientNorm: Double
    /// `‖ΔW‖ / ‖W‖` over the last step of the epoch; `nil` before training. Around 10⁻³ is healthy.
    public var updateRatio: Double?
    /// `⟨ΔW, −W⟩ / ‖W‖²` over the last step of the epoch, the share of the weights it took away along
    /// themselves (see ``Matrix/change(from:to:)``); `nil` before training (and in runs recorded before it was).
    public var updateShrinkage: Double?

    enum CodingKeys: String, CodingKey {
        case layer, inputs, units, activation
        case weightMean = "weight_mean"
        case weightStd = "weight_std"
        case biasMean = "bias_mean"
        case biasStd = "bias_std"
        case preactivationMean = "preactivation_mean"
        case preactivationStd = "preactivation_std"
        case saturatedShare = "saturated_share"
        case deadShare = "dead_share"
        case gradientNorm = "gradient_norm"
        case updateRatio = "update_ratio"
        case updateShrinkage = "update_shrinkage"
    }
}

/// The statistics of every layer at the end of one epoch, and what the network predicts.
public struct NetworkStatistics: Codable, Sendable, Equatable {
    /// The epoch at whose end the network was measured (0: untrained).
    public var epoch: Int
    /// The statistics of each layer, from layer 0 at the input.
    public var layers: [LayerStatistics]
    /// The class predicted most often on the sample.
    public var mostPredictedClass: Int
    /// The share of the sample predicted as ``mostPredictedClass``, in [0, 1] (over ½:
    /// `dominant_class`).
    public var mostPredictedShare: Double

    enum CodingKeys: String, CodingKey {
        case epoch, layers
        case mostPredictedClass = "most_predicted_class"
        case mostPredictedShare = "most_predicted_share"
    }

    /// Measures `network` on `sample` (a forward and a backward pass, mean loss).
    /// `updateRatios` are `‖ΔW‖ / ‖W‖` of each layer's last step, if there was one, and
    /// `updateShrinkages` its `⟨ΔW, −W⟩ / ‖W‖²`.
    public init<Scalar: NetworkScalar>(epoch: Int, network: Network<Scalar>, sample: LabeledImages, updateRatios: [Double]? = nil,
                                       updateShrinkages: [Double]? = nil) {
        var workspace = Workspace<Scalar>(sizes: network.sizes, batchSize: sample.count, keepsPreactivations: true)
        workspace.load(sample, indices: Array(0..<sample.count)[...])
        var gradients = network.zeroGradients()
        network.backpropagate(&workspace, reduction: .mean, into: &gradients)

        self.epoch = epoch
        layers = network.layers.indices.map { l in
            let layer = network.layers[l]
            let z = workspace.preactivations![l]
            let outputs = workspace.outputs[l]
            let (weightMean, weightStd) = Self.meanAndStd(layer.weight.elements)
            let (biasMean, biasStd) = Self.meanAndStd(layer.bias.elements)
            let (zMean, zStd) = Self.meanAndStd(z.elements)
            return LayerStatistics(
                layer: l, inputs: layer.inputSize, units: layer.outputSize, activation: layer.activation,
                weightMean: weightMean, weightStd: weightStd, biasMean: biasMean, biasStd: biasStd,
                preactivationMean: zMean, preactivationStd: zStd,
                saturatedShare: Self.saturatedShare(outputs, layer.activation),
                deadShare: layer.activation == .relu ? Self.deadShare(outputs) : nil,
                gradientNorm: Self.norm(gradients[l].weight.elements),
                updateRatio: updateRatios?[l], updateShrinkage: updateShrinkages?[l])
        }
        var counts = Array(repeating: 0, count: network.sizes.last!)
        let logits = workspace.outputs[network.layers.count - 1]
        for n in 0..<sample.count { counts[logits.argmax(row: n)] += 1 }
        mostPredictedClass = counts.argmax() ?? 0
        mostPredictedShare = Double(counts[mostPredictedClass]) / Double(max(sample.count, 1))
    }

    static func meanAndStd<Scalar: NetworkScalar>(_ values: [Scalar]) -> (Double, Double) {
        guard !values.isEmpty else { return (0, 0) }
        var sum = 0.0, sumOfSquares = 0.0
        for value in values {
            sum += Double(value)
            sumOfSquares += Double(value) * Double(value)
        }
        let mean = sum / Double(values.count)
        return (mean, max(sumOfSquares / Double(values.count) - mean * mean, 0).squareRoot())
    }

    static func norm<Scalar: NetworkScalar>(_ values: [Scalar]) -> Double {
        values.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
    }

    static func saturatedShare<Scalar: NetworkScalar>(_ outputs: Matrix<Scalar>, _ activation: Activation) -> Double? {
        let bounds: (Double, Double)
        switch activation {
        case .sigmoid: bounds = (0, 1)
        case .tanh: bounds = (-1, 1)
        default: return nil
        }
        let saturated = outputs.elements.reduce(0) { count, a in
            count + (Double(a) - bounds.0 < 0.02 || bounds.1 - Double(a) < 0.02 ? 1 : 0)
        }
        return Double(saturated) / Double(max(outputs.elements.count, 1))
    }

    static func deadShare<Scalar: NetworkScalar>(_ outputs: Matrix<Scalar>) -> Double {
        var dead = 0
        for unit in 0..<outputs.columns where (0..<outputs.rows).allSatisfy({ outputs[$0, unit] <= 0 }) { dead += 1 }
        return Double(dead) / Double(max(outputs.columns, 1))
    }
}
