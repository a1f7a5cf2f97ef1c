/// Trains a network by mini-batch gradient descent and keeps the network of the epoch with the
/// lowest validation loss.
///
/// ```
/// for epoch in 1…E:
///     shuffle the training examples (unless told not to; and distort them anew, when augmenting,
///     up to epoch augment_epochs)
///     for each batch of B:
///         set η (schedule, warm-up) and μ (momentum warm-up) for this point of the run
///         draw the dropout masks;  ∇θ = backprop(batch);  θ ← optimizer(θ, ∇θ);  θ ← maxNorm(θ)
///         stop if the batch loss exploded
///     evaluate on the validation set
///     if the validation loss is the lowest yet: best ← a copy of the network
/// ```
/// Epoch 0 records the untrained network, so the first epoch's progress is visible. On ties the
/// earliest epoch is kept. `best` is a value, a real copy: training on does not change it.
public struct Trainer<O: Optimizer> {
    /// The number type of the network and of the optimiser.
    public typealias Scalar = O.Scalar

    /// The network being trained.
    public private(set) var network: Network<Scalar>
    /// The rule that moves the parameters, with its state. The trainer sets its `learningRate` as
    /// ``TrainingOptions/schedule`` and ``TrainingOptions/warmup`` ask, and a ``Momentum``'s `μ`
    /// during ``TrainingOptions/momentumWarmup``.
    public var optimizer: O
    /// The run's settings: epochs, batch size, schedule, regularisation, precision.
    public let options: TrainingOptions
    /// One record per finished epoch, from epoch 0.
    public private(set) var history: [EpochRecord] = []
    /// The network of the epoch with the lowest validation loss so far.
    public private(set) var best: Network<Scalar>
    /// The epoch `best` comes from.
    public private(set) var bestEpoch = 0
    /// The validation loss of `best`.
    public private(set) var bestValidationLoss = Double.infinity

    /// How each epoch redraws the training images; `nil` trains on them as they are.
    public let augmentation: (any TrainingAugmentation)?

    private var shuffler: SplitMix64
    /// Draws each epoch's distortions of the training images (from the epoch alone: no state to save).
    private let augmentationGenerator: SplitMix64
    /// The training images as this epoch distorts them (allocated once, rewritten every epoch).
    private var augmented: LabeledImages?
    /// Draws the dropout masks; its state goes into checkpoints, so a resumed run drops the same units.
    public private(set) var dropoutGenerator: SplitMix64
    private var order: [Int] = []
    private var workspaces: [Int: Workspace<Scalar>] = [:]
    private var evaluator = Evaluator<Scalar>()
    /// The weights before the epoch's last step, kept to measure how far that step moved them.
    private var weightsBeforeLastStep: [Matrix<Scalar>] = []
    /// `‖ΔW‖ / ‖W‖` of every layer over the last step of the latest epoch.
    public private(set) var updateRatios: [Double]?
    /// The share of each layer's weights the latest epoch's last step took away along themselves,
    /// `⟨ΔW, −W⟩ / ‖W‖²` (see ``Matrix/change(from:to:)``).
    public private(set) var updateShrinkages: [Double]?

    /// How a call to ``train(on:validation:shouldStop:onBatch:onEpoch:)`` ended.
    public enum Outcome: Equatable, Sendable {
        /// All the epochs ran.
        case completed
        /// `patience` epochs passed without a new lowest validation loss.
        case stoppedEarly(epoch: Int)
        /// The loss became NaN or infinite, or exploded (see ``divergenceFactor``), in this epoch.
        /// A NaN or infinite parameter always shows in the validation loss: the ``Evaluator`` reports
        /// NaN for a network with one, even where a ReLU would have hidden it.
        case diverged(epoch: Int)
        /// `shouldStop` said stop, during this epoch; the epoch was not finished or recorded.
        case interrupted(epoch: Int)
    }

    /// A batch whose mean loss exceeds this many times the untrained network's (or is NaN or
    /// infinite) stops training as diverged: the steps have thrown the network far past guessing.
    public var divergenceFactor = 10.0

    /// What `onBatch` is told after every batch: a ``TrainingProgress``.
    public typealias BatchProgress = TrainingProgress

    /// A trainer at the start of a run, epoch 0 still to come; the batch size must be positive.
    ///
    /// - Parameters:
    ///   - network: the network to train (a copy: the trainer's own is ``network``).
    ///   - optimizer: the rule that moves the parameters.
    ///   - options: epochs, batch size, schedule, regularisation, precision.
    ///   - shuffler: the generator that orders the examples in each epoch.
    ///   - augmentation: how each epoch redraws the training images (from the shuffler's stream
    ///     "augment"); `nil` for none.
    public init(network: Network<Scalar>, optimizer: O, options: TrainingOptions, shuffler: SplitMix64,
                augmentation: (any TrainingAugmentation)? = nil) {
        precondition(options.batchSize > 0, "the batch size must be positive")
        self.network = network
        self.optimizer = optimizer
        self.options = options
        self.shuffler = shuffler
        self.augmentation = augmentation
        self.dropoutGenerator = shuffler.stream("dropout")
        self.augmentationGenerator = shuffler.stream("augment")
        self.best = network
    }

    /// What ``train(on:validation:shouldStop:onBatch:onEpoch:)`` tells after each epoch.
    public struct EpochEnd {
        /// The epoch's line of the history: its losses, validation accuracy and seconds.
        public var record: EpochRecord
        /// Every epoch's record so far, this one last (``Trainer/history``).
        public var history: [EpochRecord]
        /// The epoch of ``best``.
        public var bestEpoch: Int
        /// Whether this epoch has the lowest validation loss yet.
        public var isBest: Bool
        /// The network with the lowest validation loss so far (this epoch's when `isBest`).
        public var best: Network<Scalar>
        /// The network as trained so far.
        public var network: Network<Scalar>
        /// `‖ΔW‖ / ‖W‖` of each layer over the epoch's last step; `nil` for epoch 0.
        public var updateRatios: [Double]?
        /// `⟨ΔW, −W⟩ / ‖W‖²` of each layer over the epoch's last step; `nil` for epoch 0.
        public var updateShrinkages: [Double]?
        /// `η(t)`, the learning rate of the epoch's last step (the schedule's, warm-up included); `nil` for epoch 0.
        public var stepLearningRate: Double?
        /// Whether training diverged in this epoch (and stops after it).
        public var diverged: Bool
        /// The optimiser as it stands, with its state (for a checkpoint).
        public var optimizer: O
        /// The dropout generator as it stands (for a checkpoint).
        public var dropoutGenerator: SplitMix64
    }

    /// Continues a run from a checkpoint: `network` and `optimizer` as they were at the end of the
    /// last epoch of `history`, and `best`, the network of `bestEpoch`. `shuffler` is the run's
    /// fresh generator: the batch orders of the finished epochs are drawn again from it, so the run
    /// goes on exactly as if it had never stopped.
    public init(resuming network: Network<Scalar>, optimizer: O, options: TrainingOptions, shuffler: SplitMix64,
                history: [EpochRecord], best: Network<Scalar>, bestEpoch: Int, dropoutGenerator: SplitMix64? = nil,
                augmentation: (any TrainingAugmentation)? = nil) {
        precondition(history.indices.contains(bestEpoch), "the best epoch \(bestEpoch) is not in a history of \(history.count) epochs")
        self.init(network: network, optimizer: optimizer, options: options, shuffler: shuffler, augmentation: augmentation)
        self.history = history
        self.best = best
        self.bestEpoch = bestEpoch
        self.bestValidationLoss = history[bestEpoch].valLoss
        if let dropoutGenerator { self.dropoutGenerator = dropoutGenerator }
    }

    /// Runs epoch 0 (the untrained network) and `options.epochs` epochs of training, calling
    /// `onEpoch` after each. `shouldStop` is asked after every batch: when it says yes, training
    /// stops there, leaving the unfinished epoch unrecorded.
    @_specialize(where O == Momentum<Float>)
    @_specialize(where O == Adam<Float>)
    public mutating func train(
        on training: LabeledImages, validation: LabeledImages,
        shouldStop: () -> Bool = { false },
        onBatch: (BatchProgress) -> Void = { _ in },
        onEpoch: (EpochEnd) throws -> Void
    ) rethrows -> Outcome {
        precondition(training.count > 0 && validation.count > 0, "training needs training and validation examples")
        if history.isEmpty {
            let clock = ContinuousClock()
            let start = clock.now
            let trainLoss = evaluator.evaluate(network, on: training).loss
            let record = try finishEpoch(0, trainLoss: trainLoss, trainSeconds: 0, validation: validation, evalStart: start,
                                         diverged: false, onEpoch: onEpoch)
            if !record.isFinite { return .diverged(epoch: 0) }
        }
        if order.count != training.count {
            order = Array(0..<training.count)
            for _ in 0..<(history.count - 1) where options.shuffle { order.shuffle(with: &shuffler) }  // the orders of epochs already done
        }
        let batchSize = min(options.batchSize, training.count)
        let batchCount = (training.count + batchSize - 1) / batchSize
        let clock = ContinuousClock()
        let divergenceLimit = divergenceFactor * max(history[0].trainLoss, 1)
        let regularisation = (dropout: Dropout(rates: options.dropout), maxNorm: options.maxNorm.map(MaxNorm.init(limit:)))

        while history.count <= options.epochs {
            let epoch = history.count
            let start = clock.now
            if options.shuffle { order.shuffle(with: &shuffler) }
            let examples = augmentedExamples(training, epoch: epoch)
            var lossSum = 0.0
            var done = 0
            var diverged = false
            for batch in 0..<batchCount {
                let indices = order[done ..< min(done + batchSize, training.count)]
                let isLast = batch == batchCount - 1
                setHyperparameters(at: Double(epoch - 1) + Double(batch + 1) / Double(batchCount))
                if isLast { rememberWeights() }
                if !isLast { examples.prefetch(order[done + batchSize ..< min(done + 2 * batchSize, training.count)]) }
                let result = step(on: examples, indices: indices, regularisation: regularisation)
                if isLast { measureUpdate() }
                lossSum += result.lossSum
                done += indices.count
                onBatch(BatchProgress(epoch: epoch, batch: batch + 1, batchCount: batchCount,
                                      examplesDone: done, runningLoss: lossSum / Double(done)))
                if !(result.lossSum / Double(indices.count) <= divergenceLimit) {  // also true for NaN
                    diverged = true
                    break
                }
                if shouldStop() { return .interrupted(epoch: epoch) }
            }
            let trainSeconds = (clock.now - start).seconds
            let record = try finishEpoch(epoch, trainLoss: lossSum / Double(done), trainSeconds: trainSeconds,
                                         validation: validation, evalStart: clock.now, diverged: diverged, onEpoch: onEpoch)
            if diverged || !record.isFinite { return .diverged(epoch: epoch) }
            if let patience = options.patience, epoch - bestEpoch >= patience { return .stoppedEarly(epoch: epoch) }
        }
        return .completed
    }

    @discardableResult
    private mutating func finishEpoch(
        _ epoch: Int, trainLoss: Double, trainSeconds: Double, validation: LabeledImages,
        evalStart: ContinuousClock.Instant, diverged: Bool, onEpoch: (EpochEnd) throws -> Void
    ) rethrows -> EpochRecord {
        let evaluation = evaluator.evaluate(network, on: validation)
        let record = EpochRecord(epoch: epoch, trainLoss: trainLoss, valLoss: evaluation.loss, valAccuracy: evaluation.accuracy,
                                 trainSeconds: trainSeconds, evalSeconds: (ContinuousClock.now - evalStart).seconds)
        history.append(record)
        let isBest = record.valLoss < bestValidationLoss && !diverged
        if isBest {
            best = network
            bestEpoch = epoch
            bestValidationLoss = record.valLoss
        }
        try onEpoch(EpochEnd(record: record, history: history, bestEpoch: bestEpoch, isBest: isBest, best: best, network: network,
                             updateRatios: epoch == 0 ? nil : updateRatios, updateShrinkages: epoch == 0 ? nil : updateShrinkages,
                             stepLearningRate: epoch == 0 ? nil : Double(optimizer.learningRate), diverged: diverged || !record.isFinite,
                             optimizer: optimizer, dropoutGenerator: dropoutGenerator))
        return record
    }
}

/// Where an epoch's training stands, after each batch.
public struct TrainingProgress: Sendable {
    /// The epoch under way, from 1.
    public var epoch: Int
    /// The batch just done, from 1 to ``batchCount``.
    public var batch: Int
    /// The batches of an epoch, `⌈N / B⌉` for `N` examples in batches of `B`.
    public var batchCount: Int
    /// The examples of this epoch done so far, at most `N`.
    public var examplesDone: Int
    /// The mean loss of the epoch's batches so far.
    public var runningLoss: Double
}

extension Trainer {
    /// Copies every layer's weights into `weightsBeforeLastStep` (allocated the first time only).
    private mutating func rememberWeights() {
        if weightsBeforeLastStep.count != network.layers.count {
            weightsBeforeLastStep = network.layers.map { Matrix(rows: $0.weight.rows, columns: $0.weight.columns) }
        }
        for l in network.layers.indices {
            let count = network.layers[l].weight.elements.count
            network.layers[l].weight.elements.withUnsafeBufferPointer { source in
                weightsBeforeLastStep[l].elements.withUnsafeMutableBufferPointer { target in
                    target.baseAddress!.update(from: source.baseAddress!, count: count)
                }
            }
        }
    }

    /// The training images for `epoch`: redrawn by ``augmentation`` (up to
    /// ``TrainingOptions/augmentEpochs``), or as they are.
    private mutating func augmentedExamples(_ training: LabeledImages, epoch: Int) -> LabeledImages {
        guard let augmentation, epoch <= options.augmentEpochs ?? Int.max else { return training }
        var images = augmented ?? training
        augmented = nil  // `images` alone holds the buffer, so augmenting into it copies nothing
        augmentation.augment(training, epoch: epoch, generator: augmentationGenerator, into: &images)
        augmented = images
        return images
    }

    /// `η` and `μ` for the point `t` of the run (epochs done after this batch): the schedule with
    /// its warm-up, and the momentum warm-up.
    private mutating func setHyperparameters(at t: Double) {
        if options.schedule != .constant || options.warmup > 0 {
            optimizer.learningRate = Scalar(options.schedule.rate(options.learningRate, at: t, epochs: options.epochs,
                                                                  warmup: options.warmup))
        }
        if options.momentumWarmup > 0 {
            let warmup = MomentumWarmup(momentum: options.momentum, epochs: options.momentumWarmup)
            optimizer.setMomentum(Scalar(warmup.momentum(at: t)))
        }
    }

    /// One gradient step on the examples at `indices`: dropout's masks, backpropagation and the
    /// optimiser's update (``Optimizer/step(_:on:loading:indices:reduction:)``), then max-norm.
    private mutating func step(on examples: LabeledImages, indices: ArraySlice<Int>,
                               regularisation: (dropout: Dropout, maxNorm: MaxNorm?)) -> (lossSum: Double, correct: Int) {
        let (sizes, precision, size) = (network.sizes, options.precision, indices.count)
        var workspace = workspaces.removeValue(forKey: size) ?? Workspace(sizes: sizes, batchSize: size, precision: precision)
        defer { workspaces[size] = workspace }
        if regularisation.dropout.isActive { regularisation.dropout.drawMasks(into: &workspace, using: &dropoutGenerator) }
        let result = optimizer.step(&network, on: &workspace, loading: examples, indices: indices, reduction: options.lossReduction)
        regularisation.maxNorm?.apply(to: &network)
        return result
    }

    /// How far (`‖W − W_before‖ / ‖W_before‖`) and which way every layer moved in the last step.
    private mutating func measureUpdate() {
        let changes = network.layers.indices.map { l in Matrix.change(from: weightsBeforeLastStep[l], to: network.layers[l].weight) }
        updateRatios = changes.map(\.relative)
        updateShrinkages = changes.map(\.shrinkage)
    }
}

extension Duration {
    /// The duration in seconds, as a `Double`.
    public var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) * 1e-18
    }
}
