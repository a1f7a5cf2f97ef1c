/// One line of a training history: where the network stands after an epoch.
///
/// Epoch 0 is the untrained network; its `trainLoss` is measured over the whole training set. For
/// later epochs `trainLoss` is the mean of the batch losses during the epoch (the network changes
/// as it goes), which costs nothing extra.
public struct EpochRecord: Codable, Sendable, Equatable {
    /// The epochs of training behind the network: 0 for the untrained one.
    public var epoch: Int
    /// The mean cross-entropy on the training set: over all of it for epoch 0, else the mean of the
    /// epoch's batch losses.
    public var trainLoss: Double
    /// The mean cross-entropy on the validation set at the end of the epoch, `(1/N) Σₙ Lₙ`: what
    /// chooses the best epoch.
    public var valLoss: Double
    /// In [0, 1].
    public var valAccuracy: Double
    /// Seconds spent on the epoch's training steps.
    public var trainSeconds: Double
    /// Seconds spent evaluating on the validation set.
    public var evalSeconds: Double

    /// The record of one epoch, as ``Trainer`` makes it at the epoch's end.
    public init(epoch: Int, trainLoss: Double, valLoss: Double, valAccuracy: Double, trainSeconds: Double, evalSeconds: Double) {
        self.epoch = epoch
        self.trainLoss = trainLoss
        self.valLoss = valLoss
        self.valAccuracy = valAccuracy
        self.trainSeconds = trainSeconds
        self.evalSeconds = evalSeconds
    }

    enum CodingKeys: String, CodingKey {
        case epoch
        case trainLoss = "train_loss"
        case valLoss = "val_loss"
        case valAccuracy = "val_accuracy"
        case trainSeconds = "train_seconds"
        case evalSeconds = "eval_seconds"
    }

    /// Whether every number is finite: a NaN or infinite loss means training diverged.
    public var isFinite: Bool { trainLoss.isFinite && valLoss.isFinite }
}
