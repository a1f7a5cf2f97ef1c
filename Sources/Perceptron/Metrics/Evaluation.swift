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
    @_specialize(where Scalar == Float)
    public mutating func evaluate(_ network: Network<Scalar>, on data: LabeledImages) -> Evaluation {
        var lossSum = 0.0
        var correct = 0
        var predictions: [UInt8] = []
        predictions.reserveCapacity(data.count)
        for batch in batches(of: data) {
            let (logits, labels) = logits(of: network, for: data, batch)
            let losses = SoftmaxCrossEntropy.loss(logits: logits, labels: labels)
            lossSum += losses.lossSum
            correct += losses.correct
            for n in 0..<logits.rows { predictions.append(UInt8(logits.argmax(row: n))) }
        }
        if !network.parametersAreFinite { lossSum = .nan }  // a NaN weight behind a ReLU would not reach the logits
        return Evaluation(lossSum: lossSum, correct: correct, predictions: predictions, labels: data.labels)
    }

    /// The loss, accuracy and predictions of `committee` on every image of `data`, batch by batch
    /// as for one network: each member's forward pass, its probabilities `pₖ = softmax(fₖ(x))`,
    /// and the committee's `p̄ = (1/K) Σₖ pₖ` (``Committee/probabilities(_:)``). An image's
    /// prediction is the class of its largest `p̄`; its loss is the cross-entropy of `p̄`,
    /// ```
    /// Lₙ = −log p̄ₙ,tₙ = −log((1/K) Σₖ e^{−Lₖₙ}),   Lₖₙ = member k's loss on image n
    /// ```
    /// computed as a log-sum-exp of the members' `−Lₖₙ`, so that it stays finite where every
    /// member's probability of the label underflows. A committee of one is evaluated as its network.
    @_specialize(where Scalar == Float)
    public mutating func evaluate(_ committee: Committee<Scalar>, on data: LabeledImages) -> Evaluation {
        if committee.members.count == 1 { return evaluate(committee.members[0], on: data) }
        var lossSum = 0.0
        var correct = 0
        var predictions: [UInt8] = []
        predictions.reserveCapacity(data.count)
        for batch in batches(of: data) {
            var probabilities: [Matrix<Scalar>] = []
            var memberLosses: [[Double]] = []
            var labels: [UInt8] = []
            for member in committee.members {
                let logits: Matrix<Scalar>
                (logits, labels) = self.logits(of: member, for: data, batch)
                probabilities.append(SoftmaxCrossEntropy.probabilities(logits: logits))
                memberLosses.append(SoftmaxCrossEntropy.losses(logits: logits, labels: labels))
            }
            let mean = Committee.mean(probabilities)
            for n in 0..<mean.rows {
                let prediction = mean.argmax(row: n)
                predictions.append(UInt8(prediction))
                if prediction == Int(labels[n]) { correct += 1 }
                let logProbabilities = memberLosses.map { -$0[n] }
                let top = logProbabilities.max()!
                let sum = logProbabilities.reduce(0) { $0 + Double.exp($1 - top) }
                lossSum -= top + Double.log(sum / Double(committee.members.count))
            }
        }
        if !committee.members.allSatisfy(\.parametersAreFinite) { lossSum = .nan }
        return Evaluation(lossSum: lossSum, correct: correct, predictions: predictions, labels: data.labels)
    }

    /// The images of `data` in order, in batches of at most ``batchSize``.
    private func batches(of data: LabeledImages) -> [Range<Int>] {
        stride(from: 0, to: data.count, by: batchSize).map { $0 ..< min($0 + batchSize, data.count) }
    }

    /// The logits `[batch.count, classes]` of `network` for the images `batch` of `data`, and their
    /// labels: one forward pass, on a workspace kept for the network's sizes and the batch's.
    private mutating func logits(of network: Network<Scalar>, for data: LabeledImages,
                                 _ batch: Range<Int>) -> (logits: Matrix<Scalar>, labels: [UInt8]) {
        let key = network.sizes + [batch.count]
        var workspace = workspaces.removeValue(forKey: key) ?? Workspace(sizes: network.sizes, batchSize: batch.count)
        workspace.load(data, indices: Array(batch)[...])
        network.forward(&workspace)
        let result = (workspace.outputs[network.layers.count - 1], workspace.labels)
        workspaces[key] = workspace
        return result
    }
}

extension Evaluation {
    /// The evaluation of `predictions` against `labels`, from the summed loss and the number right.
    init(lossSum: Double, correct: Int, predictions: [UInt8], labels: [UInt8]) {
        let count = max(labels.count, 1)
        self.init(loss: lossSum / Double(count), accuracy: Double(correct) / Double(count),
                  count: labels.count, predictions: predictions, labels: labels)
    }
}
