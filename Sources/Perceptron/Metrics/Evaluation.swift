/// How a network does on a set of labelled images.
public struct Evaluation: Sendable, Equatable {
    /// The mean cross-entropy, `(1/N) Σₙ Lₙ`.
    public var loss: Double
    /// The share of images whose most probable class is their label, in [0, 1].
    public var accuracy: Double
    /// The number of images.
    public var count: Int
    /// The predicted class of every image, in order.
    public var predictions: [UInt8]
    /// The labels, in order.
    public var labels: [UInt8]
}

/// Runs a network over a whole data set in batches, forward only, reusing its workspaces.
public struct Evaluator<Scalar: NetworkScalar>: Sendable {
    /// The most images one forward pass takes.
    public let batchSize: Int
    /// Workspaces by the layer sizes and batch size they were made for.
    private var workspaces: [[Int]: Workspace<Scalar>] = [:]

    /// An evaluator that takes at most `batchSize` images per forward pass.
    public init(batchSize: Int = 1000) {
        self.batchSize = batchSize
    }

    /// The loss, accuracy and predictions of `network` on every image of `data`: forward passes
    /// `[batch, in] → [batch, classes]` of at most ``batchSize`` images, then the softmax
    /// cross-entropy of the logits. The loss is NaN when a parameter is not finite.
    public mutating func evaluate(_ network: Network<Scalar>, on data: LabeledImages) -> Evaluation {
        var lossSum = 0.0
        var correct = 0
        var predictions: [UInt8] = []
        predictions.reserveCapacity(data.count)
        let order = Array(0..<data.count)
        var start = 0
        while start < data.count {
            let size = min(batchSize, data.count - start)
            let key = network.sizes + [size]
            var workspace = workspaces.removeValue(forKey: key) ?? Workspace(sizes: network.sizes, batchSize: size)
            workspace.load(data, indices: order[start ..< start + size])
            network.forward(&workspace)
            let logits = workspace.outputs[network.layers.count - 1]
            let batch = SoftmaxCrossEntropy.loss(logits: logits, labels: workspace.labels)
            lossSum += batch.lossSum
            correct += batch.correct
            for n in 0..<size { predictions.append(UInt8(logits.argmax(row: n))) }
            workspaces[key] = workspace
            start += size
        }
        let count = max(data.count, 1)
        if !network.parametersAreFinite { lossSum = .nan }  // a NaN weight behind a ReLU would not reach the logits
        return Evaluation(loss: lossSum / Double(count), accuracy: Double(correct) / Double(count),
                          count: data.count, predictions: predictions, labels: data.labels)
    }
}
