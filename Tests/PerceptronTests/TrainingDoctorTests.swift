import Perceptron
import Testing

@Suite("Training doctor: overfitting")
struct TrainingDoctorTests {
    /// Feeds the doctor one epoch per (train loss, validation loss) pair and returns the codes it reported.
    static func codes(_ losses: [(train: Double, val: Double)]) -> [String] {
        var generator = SplitMix64(seed: 3)
        let network = Network<Float>(sizes: [16, 12, 3], hiddenActivation: .relu, using: &generator)
        var doctor = TrainingDoctor(validation: quadrantImages(count: 60, seed: 2), classes: 3, learningRate: 0.05)
        var history: [EpochRecord] = []
        for (epoch, loss) in losses.enumerated() {
            history.append(EpochRecord(epoch: epoch, trainLoss: loss.train, valLoss: loss.val, valAccuracy: 0.9, trainSeconds: 1, evalSeconds: 0))
            _ = doctor.examine(network, history: history, updateRatios: nil)
        }
        return doctor.diagnoses.map(\.code)
    }

    @Test("validation loss rising while the training loss falls below it is overfitting")
    func memorising() {
        let losses = [(1.1, 1.1), (0.3, 0.30), (0.2, 0.25), (0.1, 0.28), (0.05, 0.30), (0.03, 0.33)]
        #expect(Self.codes(losses).contains("overfitting"))
    }

    @Test("with augmentation the training loss (on distorted images) stays above the validation loss: a wobble is not overfitting")
    func augmentedWobble() {
        let losses = [(1.1, 1.1), (0.3, 0.020), (0.2, 0.016), (0.15, 0.019), (0.12, 0.021), (0.10, 0.024)]
        #expect(!Self.codes(losses).contains("overfitting"))
    }
}

@Suite("Training doctor: weights that shrink by a constant factor")
struct WeightDecayDiagnosisTests {
    static func codes(shrinkages: [Double], ratios: [Double]) -> [String] {
        var generator = SplitMix64(seed: 3)
        let network = Network<Float>(sizes: [16, 12, 3], hiddenActivation: .relu, using: &generator)
        var doctor = TrainingDoctor(validation: quadrantImages(count: 60, seed: 2), classes: 3, learningRate: 0.05)
        let history = [EpochRecord(epoch: 0, trainLoss: 1.1, valLoss: 1.1, valAccuracy: 0.3, trainSeconds: 0, evalSeconds: 0),
                       EpochRecord(epoch: 1, trainLoss: 0.9, valLoss: 0.9, valAccuracy: 0.6, trainSeconds: 1, evalSeconds: 0)]
        return doctor.examine(network, history: history, updateRatios: ratios, updateShrinkages: shrinkages).map(\.code)
    }

    @Test("a step that multiplies every layer's weights by 0.9 is named weight decay")
    func forgetfulMomentum() {
        #expect(Self.codes(shrinkages: [0.1, 0.1], ratios: [0.1, 0.1]).contains("weight_decay"))
    }

    @Test("healthy steps, nearly orthogonal to the weights, and a little L2 decay are not")
    func healthy() {
        #expect(!Self.codes(shrinkages: [2e-5, -1e-4], ratios: [1e-3, 2e-3]).contains("weight_decay"))
        #expect(!Self.codes(shrinkages: [0.1, 1e-5], ratios: [0.1, 1e-3]).contains("weight_decay"))  // one layer only
    }

    @Test("the shrinkage of after = c·before is 1 − c, and of an orthogonal step 0")
    func shrinkage() {
        let before = Matrix<Double>(rows: 1, columns: 2, elements: [3, 4])
        #expect(abs(Matrix.change(from: before, to: Matrix(rows: 1, columns: 2, elements: [2.7, 3.6])).shrinkage - 0.1) < 1e-12)
        let orthogonal = Matrix.change(from: before, to: Matrix(rows: 1, columns: 2, elements: [3 - 0.4, 4 + 0.3]))
        #expect(abs(orthogonal.shrinkage) < 1e-12)
        #expect(abs(orthogonal.relative - 0.1) < 1e-12)
    }
}

@Suite("Training doctor: steps too small")
struct StepTooSmallTests {
    /// What the doctor says after epoch 1, whose last step moved the layers by `ratios`, taken at
    /// `stepLearningRate` in a run configured for η = 0.05.
    static func diagnosis(ratios: [Double], stepLearningRate: Double? = nil, reduction: LossReduction = .mean) -> Diagnosis? {
        var generator = SplitMix64(seed: 3)
        let network = Network<Float>(sizes: [16, 12, 3], hiddenActivation: .relu, using: &generator)
        var doctor = TrainingDoctor(validation: quadrantImages(count: 60, seed: 2), classes: 3, learningRate: 0.05, lossReduction: reduction)
        let history = [EpochRecord(epoch: 0, trainLoss: 1.1, valLoss: 1.1, valAccuracy: 0.3, trainSeconds: 0, evalSeconds: 0),
                       EpochRecord(epoch: 1, trainLoss: 0.9, valLoss: 0.9, valAccuracy: 0.6, trainSeconds: 1, evalSeconds: 0)]
        return doctor.examine(network, history: history, updateRatios: ratios, stepLearningRate: stepLearningRate)
            .first { $0.code == "step_too_small" }
    }

    @Test("every layer moving by 10⁻⁶ of its size at the configured rate: raise the learning rate tenfold")
    func everyLayerSlow() throws {
        let diagnosis = try #require(Self.diagnosis(ratios: [1e-6, 2e-6]))
        #expect(diagnosis.remedies == [.init(.learningRate, "0.5")])
        #expect(!diagnosis.message.contains("summed"))
    }

    @Test("with the losses summed over the batch, the advice adds their mean")
    func summedLosses() throws {
        let diagnosis = try #require(Self.diagnosis(ratios: [1e-6, 2e-6], reduction: .sum))
        #expect(diagnosis.remedies == [.init(.learningRate, "0.5"), .init(.lossReduction, "mean")])
    }

    @Test("one slow layer beside a healthy one is a vanishing gradient, with no change of rate advised")
    func vanishing() throws {
        let diagnosis = try #require(Self.diagnosis(ratios: [1e-6, 1e-3]))
        #expect(diagnosis.message.contains("vanished"))
        #expect(diagnosis.remedies?.isEmpty ?? true)
    }

    @Test("small steps at the end of an annealed schedule, or at a warm-up's start, are no diagnosis; at half the rate they still are")
    func scheduled() {
        #expect(Self.diagnosis(ratios: [1e-6, 2e-6], stepLearningRate: 0) == nil)
        #expect(Self.diagnosis(ratios: [1e-6, 2e-6], stepLearningRate: 0.001) == nil)
        #expect(Self.diagnosis(ratios: [1e-6, 2e-6], stepLearningRate: 0.025) != nil)
    }
}
