/// Every setting of a training run that is not the network's shape or the data: the one place each
/// option and its default are stated.
///
/// Its JSON form (the keys below) is what configuration files hold; the defaults are those of a run
/// that sets nothing: 12 epochs of batches of 128, classic momentum `μ = 0.9` at `η = 0.05`,
/// the products in bf16 where the CPU has it.
/// ```json
/// {"epochs": 12, "batch_size": 128, "lr": 0.05, "momentum": 0.9, "nesterov": false,
///  "weight_decay": 0, "loss_reduction": "mean", "optimizer": "momentum", "schedule": "constant", …}
/// ```
/// Decoding needs every key that has no `nil`: a partial object (a configuration file) is laid
/// over the encoded defaults first.
public struct TrainingOptions: Codable, Sendable, Equatable {
    /// Passes over the training set after epoch 0 (the untrained network); 0 trains nothing.
    public var epochs = 12
    /// `B`, the examples per gradient step; the training set's size gives full-batch gradient descent.
    public var batchSize = 128
    /// `η`
    public var learningRate = 0.05
    /// `μ`
    public var momentum = 0.9
    /// Nesterov's look-ahead step instead of the classic one (``Momentum/nesterov``).
    public var nesterov = false
    /// `λ`, on weights only.
    public var weightDecay = 0.0
    /// How a batch's losses become one: `(1/B) Σₙ Lₙ` or `Σₙ Lₙ` (``LossReduction``).
    public var lossReduction = LossReduction.mean
    /// Stop after this many epochs without a new lowest validation loss; `nil` never stops early.
    public var patience: Int?
    /// Whether each epoch visits the training examples in a new random order; `false` keeps the
    /// data's own order every epoch (sorted data then gives batches of one class).
    public var shuffle = true
    /// The rule that moves the parameters.
    public var optimizer = OptimizerKind.momentum
    /// How the learning rate changes over the run.
    public var schedule = LearningRateSchedule.constant
    /// Epochs of linear learning-rate warm-up.
    public var warmup = 0.0
    /// Dropout rates: the input's, then each hidden layer's; empty for none.
    public var dropout: [Double] = []
    /// `c` of the max-norm constraint on each unit's incoming weights; `nil` for none.
    public var maxNorm: Double?
    /// Epochs over which the momentum rises from 0.5 to `momentum` (see ``MomentumWarmup``); 0 for none.
    public var momentumWarmup = 0.0
    /// The number format of the matrix products: bf16 where the CPU has it, else fp32
    /// (``Precision/preferred``).
    public var precision = Precision.preferred
    /// The last epoch that trains on distorted images, when the trainer has an augmentation:
    /// epochs 1…`augmentEpochs` see the augmentation's variants, the later ones the images as they
    /// are (at the smallest rates of a decaying schedule, the network settles on the undistorted
    /// digits it will be tested on). `nil`: every epoch is distorted.
    public var augmentEpochs: Int?

    /// The options of a run that sets only these (every other option at its default).
    public init(epochs: Int = 12, batchSize: Int = 128, learningRate: Double = 0.05, momentum: Double = 0.9,
                nesterov: Bool = false, weightDecay: Double = 0, lossReduction: LossReduction = .mean, patience: Int? = nil) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
        self.weightDecay = weightDecay
        self.lossReduction = lossReduction
        self.patience = patience
    }

    /// The JSON keys.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case epochs
        case batchSize = "batch_size"
        case learningRate = "lr"
        case momentum, nesterov
        case weightDecay = "weight_decay"
        case lossReduction = "loss_reduction"
        case patience, shuffle, optimizer, schedule, warmup, dropout
        case maxNorm = "max_norm"
        case momentumWarmup = "momentum_warmup"
        case precision
        case augmentEpochs = "augment_epochs"
    }

    /// The first problem with these options, in words, or `nil` when they make sense.
    public var problem: String? {
        if epochs < 0 { return "epochs must be 0 or more, not \(epochs)" }
        if batchSize < 1 { return "batch_size must be at least 1, not \(batchSize)" }
        if !(learningRate.isFinite && learningRate > 0) { return "lr must be a positive number, not \(learningRate)" }
        if !(momentum.isFinite && momentum >= 0 && momentum < 1) { return "momentum must be in [0, 1), not \(momentum)" }
        if !(weightDecay.isFinite && weightDecay >= 0) { return "weight_decay must be 0 or more, not \(weightDecay)" }
        if let patience, patience < 1 { return "patience must be at least 1, not \(patience)" }
        if !(warmup.isFinite && warmup >= 0) { return "warmup must be 0 or more epochs, not \(warmup)" }
        if let bad = dropout.first(where: { !($0 >= 0 && $0 < 1) }) { return "dropout rates must be in [0, 1), not \(bad)" }
        if let maxNorm, !(maxNorm.isFinite && maxNorm > 0) { return "max_norm must be a positive number, not \(maxNorm)" }
        if !(momentumWarmup.isFinite && momentumWarmup >= 0) { return "momentum_warmup must be 0 or more epochs, not \(momentumWarmup)" }
        if let augmentEpochs, augmentEpochs < 0 { return "augment_epochs must be 0 or more, not \(augmentEpochs)" }
        if momentumWarmup > 0 && optimizer != .momentum { return "momentum_warmup needs the momentum optimizer, not \(optimizer.rawValue)" }
        return nil
    }
}
