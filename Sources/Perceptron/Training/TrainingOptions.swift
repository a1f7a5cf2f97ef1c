/// The settings of a training run that are not the network's shape.
public struct TrainingOptions: Sendable, Equatable {
    /// Passes over the training set.
    public var epochs: Int
    /// Examples per gradient step; the training set's size gives full-batch gradient descent.
    public var batchSize: Int
    /// `η`
    public var learningRate: Double
    /// `μ`
    public var momentum: Double
    /// Nesterov's look-ahead step instead of the classic one (``Momentum/nesterov``).
    public var nesterov: Bool
    /// `λ`
    public var weightDecay: Double
    /// How a batch's losses become one: ``LossReduction/mean`` or ``LossReduction/sum``.
    public var lossReduction: LossReduction
    /// Stop after this many epochs without a new lowest validation loss; `nil` never stops early.
    public var patience: Int?
    /// How the learning rate changes over the run.
    public var schedule: LearningRateSchedule = .constant
    /// Epochs of linear learning-rate warm-up.
    public var warmup: Double = 0
    /// Dropout rates: the input's, then each hidden layer's; empty for none.
    public var dropout: [Double] = []
    /// The number format of the matrix products.
    public var precision = Precision.fp32
    /// `c` of the max-norm constraint on each unit's incoming weights; `nil` for none.
    public var maxNorm: Double?
    /// Epochs over which the momentum rises from 0.5 to `momentum` (see ``MomentumWarmup``); 0 for none.
    public var momentumWarmup: Double = 0

    /// Options of these values; the rest start off (a constant rate, no warm-up, dropout, max-norm
    /// or momentum warm-up, fp32) and are set as properties.
    public init(epochs: Int = 10, batchSize: Int = 128, learningRate: Double = 0.1, momentum: Double = 0.9,
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
}
