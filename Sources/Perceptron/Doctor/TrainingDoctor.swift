import Foundation

/// Watches a training run and says, in plain words, what is keeping it from learning.
///
/// After every epoch it measures each layer on a fixed sample of validation images
/// (``NetworkStatistics``) and checks:
///
/// | code | when | evidence |
/// |---|---|---|
/// | `bottleneck` | a hidden layer has fewer units than there are classes | its width |
/// | `init_off_centre` | initial weights whose mean is far from 0 (`|mean| > ½·σ₀`) | mean, σ₀ |
/// | `init_scale` | initial weights whose std is far from Glorot/He (`< σ₀/4` or `> 4σ₀`) | std, σ₀ |
/// | `saturated_units` | sigmoid/tanh outputs within 0.02 of a bound for over 80 % of the sample (a healthy sigmoid layer settles near 60 %) | share, z mean and std |
/// | `dead_relus` | over half a ReLU layer's units never fire on the sample | share |
/// | `step_too_small` | in the first 5 epochs, a layer's `‖ΔW‖/‖W‖ < 10⁻⁴` (healthy: about 10⁻³) in a step taken at no less than half the configured rate (a schedule's warm-up or annealed tail takes small steps by design); it tells whether the learning rate or a vanishing gradient is to blame | every layer's ratio and gradient norm, lr |
/// | `step_too_large` | a layer's `‖ΔW‖/‖W‖ > 10⁻¹` | ratio, lr |
/// | `no_learning` | from epoch 3, validation loss still above 0.9·ln 10 (ln 10 is chance for 10 classes) | loss |
/// | `dominant_class` | from epoch 2, one class takes over half the predictions | class, share |
/// | `overfitting` | 3+ epochs past the best, validation loss 25 % above its best while training loss falls, and below it | losses, best epoch |
/// | `weight_decay` | every layer's last step takes over 1 % of its weights away along themselves (`⟨ΔW, −W⟩ / ‖W‖² > 0.01`; healthy: below 10⁻³): a rule that multiplies the weights by a constant | each layer's shrinkage and ratio |
/// | `diverged` | a NaN or infinite loss, or a batch loss 10× that of the untrained network | epoch, loss, lr |
///
/// `σ₀` is the standard deviation the layer's standard initialiser would give (Glorot for sigmoid
/// and tanh, He for ReLU). Each diagnosis is reported once, the first time it holds.
public struct TrainingDoctor: Sendable {
    /// The images every epoch is measured on.
    public let sample: LabeledImages
    /// The number of classes (10 for digits).
    public let classes: Int
    /// The learning rate, quoted in advice.
    public let learningRate: Double
    /// How the run reduces a batch's losses to one; summed losses scale the gradient with the batch.
    public let lossReduction: LossReduction
    /// Every diagnosis so far, in order.
    public private(set) var diagnoses: [Diagnosis] = []
    /// The statistics of every epoch examined.
    public private(set) var statistics: [NetworkStatistics] = []

    /// A doctor that measures every epoch on the first `sampleSize` images of `validation` (all of
    /// them, if fewer), for `classes` classes, and quotes `learningRate` and `lossReduction` (the
    /// run's) in its advice.
    public init(validation: LabeledImages, sampleSize: Int = 500, classes: Int = 10, learningRate: Double,
                lossReduction: LossReduction = .mean) {
        sample = validation.subset(0..<min(sampleSize, validation.count))
        self.classes = classes
        self.learningRate = learningRate
        self.lossReduction = lossReduction
    }

    /// Takes back what the doctor found before a run stopped, so a resumed run reports each diagnosis once.
    public mutating func restore(diagnoses: [Diagnosis], statistics: [NetworkStatistics]) {
        self.diagnoses = diagnoses
        self.statistics = statistics
    }

    /// Examines the network at the end of the last epoch of `history` (the trainer's,
    /// ``Trainer/history``); returns the diagnoses that are new. `updateRatios`, `updateShrinkages`
    /// and `stepLearningRate` describe the epoch's last step (``Trainer/EpochEnd``); without a
    /// `stepLearningRate` the step is taken to be at ``learningRate``.
    public mutating func examine<Scalar: NetworkScalar>(_ network: Network<Scalar>, history: [EpochRecord],
                                                         updateRatios: [Double]?, updateShrinkages: [Double]? = nil,
                                                         stepLearningRate: Double? = nil,
                                                         diverged: Bool = false) -> [Diagnosis] {
        guard let record = history.last else { return [] }
        var found: [Diagnosis] = []
        func report(_ code: String, _ message: String, _ evidence: String, _ remedies: [Diagnosis.Remedy] = []) {
            guard !diagnoses.contains(where: { $0.code == code }) else { return }
            let diagnosis = Diagnosis(epoch: record.epoch, code: code, message: message, evidence: evidence, remedies: remedies)
            diagnoses.append(diagnosis)
            found.append(diagnosis)
        }
        let epoch = record.epoch
        if diverged || !record.isFinite {
            report("diverged", "training diverged: the loss became NaN or infinite, or exploded far above that of guessing, "
                   + "because the steps are too large — each one overshoots and the next one overshoots further; "
                   + "lower the learning rate (try \(Self.short(learningRate / 10)))",
                   "epoch \(epoch): mean batch loss \(Self.short(record.trainLoss)) (guessing: \(Self.short(log(Double(classes))))), "
                   + "val_loss \(Self.short(record.valLoss)), lr \(Self.short(learningRate))",
                   [.init(.learningRate, Self.short(learningRate / 10))])
            return found
        }
        let stats = NetworkStatistics(epoch: epoch, network: network, sample: sample, updateRatios: updateRatios,
                                      updateShrinkages: updateShrinkages)
        statistics.append(stats)

        for layer in stats.layers {
            let name = "layer \(layer.layer) (\(layer.inputs)→\(layer.units), \(layer.activation.rawValue))"
            let hidden = layer.layer < stats.layers.count - 1
            if hidden && layer.units < classes {
                report("bottleneck", "hidden \(name) has \(layer.units) unit\(layer.units == 1 ? "" : "s"), fewer than the \(classes) classes: "
                       + "every class must be told apart through \(layer.units) number\(layer.units == 1 ? "" : "s"), which caps the accuracy; "
                       + "use at least \(classes) units (100 is a good start)", "\(name): \(layer.units) unit\(layer.units == 1 ? "" : "s") for \(classes) classes")
            }
            if epoch == 0 {
                let expected = Self.standardDeviation(layer)
                let initName = layer.activation == .relu ? "He" : "Glorot"
                if abs(layer.weightMean) > expected / 2 {
                    report("init_off_centre", "the initial weights of \(name) are centred on \(Self.short(layer.weightMean)), not 0: "
                           + "every unit starts biased the same way, which pushes the pre-activations far from 0; "
                           + "draw them around 0 (\(initName) initialisation)",
                           "weight mean \(Self.short(layer.weightMean)), std \(Self.short(layer.weightStd)); \(initName) would give mean 0, std \(Self.short(expected))",
                           [.init(.initializer, initName.lowercased())])
                }
                if layer.weightStd < expected / 4 || layer.weightStd > expected * 4 {
                    report("init_scale", "the initial weights of \(name) have std \(Self.short(layer.weightStd)), far from the "
                           + "\(Self.short(expected)) that keeps signals at a steady scale through a layer of fan-in \(layer.inputs); "
                           + "use \(initName) initialisation",
                           "weight std \(Self.short(layer.weightStd)); \(initName): \(Self.short(expected))",
                           [.init(.initializer, initName.lowercased())])
                }
            }
            if let share = layer.saturatedShare, hidden, share > 0.8 {
                report("saturated_units", "\(Self.percent(share)) of the outputs of \(name) are pinned within 0.02 of a bound, "
                       + "where the derivative is nearly 0: gradients through them vanish and they stop learning; "
                       + "centre the pre-activations (zero-mean Glorot initialisation, inputs in [0, 1]) or use ReLU",
                       "saturated share \(Self.percent(share)); pre-activations mean \(Self.short(layer.preactivationMean)), std \(Self.short(layer.preactivationStd))")
            }
            if let share = layer.deadShare, share > 0.5 {
                report("dead_relus", "\(Self.percent(share)) of the units of \(name) never fire on the sample: a dead ReLU gets no gradient "
                       + "and never recovers; lower the learning rate or use He initialisation",
                       "dead share \(Self.percent(share)) of \(layer.units) units; pre-activations mean \(Self.short(layer.preactivationMean))")
            }
        }
        if let finding = constantShrinkage(stats) {
            report("weight_decay", finding.message, finding.evidence)
        }
        if let assessment = stepSizeAssessment(stats, epoch: epoch, stepLearningRate: stepLearningRate ?? learningRate) {
            report(assessment.code, assessment.message, assessment.evidence, assessment.remedies)
        }
        let chance = log(Double(classes))
        if epoch >= 3 && record.valLoss > 0.9 * chance {
            report("no_learning", "after \(epoch) epochs the validation loss is still \(Self.short(record.valLoss)), near ln \(classes) = "
                   + "\(Self.short(chance)), the loss of guessing: the network has not learned", "val_loss \(Self.short(record.valLoss)), "
                   + "val_accuracy \(Self.percent(record.valAccuracy)), epoch \(epoch)")
        }
        if epoch >= 2 && stats.mostPredictedShare > 0.5 {
            report("dominant_class", "the network predicts \(stats.mostPredictedClass) for \(Self.percent(stats.mostPredictedShare)) of the sample: "
                   + "it has learned little beyond one class", "most predicted class \(stats.mostPredictedClass), share \(Self.percent(stats.mostPredictedShare))")
        }
        if let best = history.min(by: { $0.valLoss < $1.valLoss }), epoch - best.epoch >= 3, record.valLoss > 1.25 * best.valLoss,
           history.count >= 2, record.trainLoss < history[history.count - 2].trainLoss,
           record.trainLoss < record.valLoss {  // memorising fits the training set better than unseen images
            report("overfitting", "the validation loss has risen for \(epoch - best.epoch) epochs while the training loss falls: "
                   + "the network is memorising the training set; the model of epoch \(best.epoch) is the one kept. "
                   + "Stop earlier (a patience of 3 epochs), or regularise (weight decay)",
                   "val_loss \(Self.short(record.valLoss)) now, \(Self.short(best.valLoss)) at epoch \(best.epoch); train_loss \(Self.short(record.trainLoss))",
                   [.init(.patience, "3"), .init(.weightDecay)])
        }
        return found
    }

    /// What the update-to-weight ratios say about the step size, if anything is wrong with it.
    ///
    /// A ratio far below 10⁻³ in one layer while another layer moves at a healthy rate means the
    /// learning rate is not the problem: that layer's gradient vanishes on its way down. Every layer
    /// slow means the learning rate is too small for the loss's scale. A step taken at less than
    /// half the configured rate (`stepLearningRate`: a warm-up's start, an annealed tail) is small
    /// by design and says nothing about either.
    func stepSizeAssessment(_ stats: NetworkStatistics, epoch: Int, stepLearningRate: Double)
        -> (code: String, message: String, evidence: String, remedies: [Diagnosis.Remedy])? {
        let ratios = stats.layers.compactMap { layer in layer.updateRatio.map { (layer, $0) } }.filter { $0.1.isFinite }
        guard !ratios.isEmpty else { return nil }
        let evidence = ratios.map { "layer \($0.0.layer): ‖ΔW‖/‖W‖ = \(Self.short($0.1)), ‖∇W‖ = \(Self.short($0.0.gradientNorm))" }
            .joined(separator: "; ") + "; lr \(Self.short(learningRate))"
        if let (layer, ratio) = ratios.first(where: { $0.1 > 0.1 }) {
            return ("step_too_large", "the weights of layer \(layer.layer) change by \(Self.percent(ratio)) of their size in one step, "
                    + "far above the ~10⁻³ of a healthy run: training will oscillate or diverge; lower the learning rate "
                    + "(now \(Self.short(learningRate)))", evidence, [.init(.learningRate, Self.short(learningRate / 10))])
        }
        guard epoch <= 5, stepLearningRate >= learningRate / 2 else { return nil }
        let slow = ratios.filter { $0.1 < 1e-4 }
        guard let (slowest, slowestRatio) = slow.min(by: { $0.1 < $1.1 }) else { return nil }
        if let (healthy, healthyRatio) = ratios.first(where: { $0.1 >= 1e-4 }) {
            return ("step_too_small", "the weights of layer \(slowest.layer) move by only \(Self.short(slowestRatio)) of their size per step, "
                    + "while layer \(healthy.layer) moves by \(Self.short(healthyRatio)): the step size is not what is wrong, the gradient "
                    + "reaching layer \(slowest.layer) has vanished (see saturated or dead units above); a larger learning rate "
                    + "would make layer \(healthy.layer) unstable before it helped layer \(slowest.layer)", evidence, [])
        }
        let raise = [Diagnosis.Remedy(.learningRate, Self.short(learningRate * 10))]
        let message = "every layer's weights move by less than 10⁻⁴ of their size per step (healthy: about 10⁻³): "
            + "the learning rate \(Self.short(learningRate)) is too small for this loss's scale; raise it"
        guard lossReduction == .sum else { return ("step_too_small", message, evidence, raise) }
        return ("step_too_small", message + " (with the losses summed over a batch the gradient grows with the batch, "
                + "so the learning rate must shrink with it — their mean keeps one learning rate right for every batch size)",
                evidence, raise + [.init(.lossReduction, LossReduction.mean.rawValue)])
    }

    /// Whether every step takes a sizeable share of every layer's weights away along themselves,
    /// whatever the gradient: the mark of an update rule that multiplies the weights by a constant
    /// factor (`w ← −η∇ + μw` keeps no velocity, so each step multiplies `w` by about `μ`).
    func constantShrinkage(_ stats: NetworkStatistics) -> (message: String, evidence: String)? {
        let steps = stats.layers.compactMap { layer in
            layer.updateRatio.flatMap { ratio in layer.updateShrinkage.map { (layer.layer, ratio, $0) } }
        }
        guard !steps.isEmpty, steps.count == stats.layers.count,
              steps.allSatisfy({ $0.2 > 0.01 && $0.2 < 1 }) else { return nil }
        let factor = 1 - steps.map(\.2).reduce(0, +) / Double(steps.count)
        return ("every step multiplies the weights of every layer by about \(Self.short(factor)), pulling them towards 0 "
                + "whatever the gradient says: that is weight decay of \(Self.percent(1 - factor)) per step, not learning. "
                + "An update rule that forgets its velocity does this: w ← −η∇ + μw multiplies w by μ each step. "
                + "Momentum keeps the velocity: v ← μv − η∇, then w ← w + v",
                steps.map { "layer \($0.0): ⟨ΔW,−W⟩/‖W‖² = \(Self.short($0.2)), ‖ΔW‖/‖W‖ = \(Self.short($0.1))" }.joined(separator: "; "))
    }

    /// The standard deviation of the layer's standard initialiser: He `√(2/in)` for ReLU, Glorot
    /// `√(2/(in+out))` otherwise.
    static func standardDeviation(_ layer: LayerStatistics) -> Double {
        layer.activation == .relu ? (2 / Double(layer.inputs)).squareRoot() : (2 / Double(layer.inputs + layer.units)).squareRoot()
    }

    static func short(_ value: Double) -> String {
        if value == 0 { return "0" }
        let magnitude = abs(value)
        return magnitude >= 1e-3 && magnitude < 1e4 ? String(format: "%.4g", value) : String(format: "%.2e", value)
    }

    static func percent(_ fraction: Double) -> String { String(format: "%.1f%%", 100 * fraction) }
}
